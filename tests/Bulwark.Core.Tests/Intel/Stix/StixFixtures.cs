namespace Bulwark.Core.Tests.Intel.Stix;

/// <summary>Hand-written STIX bundles: one of each object Bulwark reads, in 2.1 and 2.0.</summary>
internal static class StixFixtures
{
    public const string Indicator1 = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    public const string Complex = "indicator--0c1e4d8a-4a44-4d1f-8d5c-1d2a3b4c5d6e";
    public const string Revoked = "indicator--5b7f0f7a-6c3d-4a37-9a51-0f4f7f9e1b2c";
    public const string MarkedLater = "indicator--9f3c2b1a-0e4d-4c5b-8a69-7b8c9d0e1f2a";
    public const string Yara = "indicator--2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    public const string WebShell = "indicator--7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a";
    public const string Unindexable = "indicator--3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7";
    public const string IntrusionSet = "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    public const string ThreatActor = "threat-actor--6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e";
    public const string Campaign = "campaign--8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f";
    public const string Malware = "malware--0d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a";
    public const string Indicates = "relationship--2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b";
    public const string AttributedTo = "relationship--4f5a6b7c-8d9e-4f0a-8b1c-2d3e4f5a6b7c";
    public const string ObservedData = "observed-data--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
    public const string Sighting = "sighting--6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
    public const string Report = "report--7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f";
    public const string Identity = "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff";
    public const string PartnerMarking = "marking-definition--3c1f4a5b-6d7e-4f80-9a1b-2c3d4e5f6a7b";
    public const string Statement = "marking-definition--4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a";

    /// <summary>STIX 2.1: every object type Bulwark reads, TLP 1.0 and 2.0 markings (one defined after its use), and three types it skips.</summary>
    public const string Bundle21 = """
        {
          "type": "bundle",
          "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982",
          "objects": [
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "created": "2024-05-01T10:00:00.000Z",
              "modified": "2024-05-01T10:00:00.000Z",
              "name": "C2 addresses",
              "indicator_types": ["malicious-activity"],
              "pattern": "[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value = '203.0.113.0/24']",
              "pattern_type": "stix",
              "valid_from": "2024-05-01T00:00:00Z",
              "valid_until": "2025-05-01T00:00:00Z",
              "confidence": 85,
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--0c1e4d8a-4a44-4d1f-8d5c-1d2a3b4c5d6e",
              "created": "2024-05-02T10:00:00.000Z",
              "modified": "2024-05-02T10:00:00.000Z",
              "pattern": "([ipv4-addr:value = '198.51.100.9'] FOLLOWEDBY [url:value = 'https://evil.example/owa/auth/x.js']) WITHIN 600 SECONDS",
              "pattern_type": "stix",
              "valid_from": "2024-05-02T00:00:00+02:00",
              "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--5b7f0f7a-6c3d-4a37-9a51-0f4f7f9e1b2c",
              "created": "2024-05-03T10:00:00.000Z",
              "modified": "2024-05-04T10:00:00.000Z",
              "revoked": true,
              "pattern": "[file:hashes.'SHA-256' IN ('b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0', '65149e036fff06026d80ac9ad4d156332822dc93142cf1a122b1841ec8de34b5')]",
              "pattern_type": "stix",
              "valid_from": "2024-05-03T00:00:00Z",
              "object_marking_refs": ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--9f3c2b1a-0e4d-4c5b-8a69-7b8c9d0e1f2a",
              "created": "2024-05-05T10:00:00.000Z",
              "modified": "2024-05-05T10:00:00.000Z",
              "pattern": "[domain-name:value = 'evil.example']",
              "pattern_type": "stix",
              "valid_from": "2024-05-05T00:00:00Z",
              "object_marking_refs": ["marking-definition--3c1f4a5b-6d7e-4f80-9a1b-2c3d4e5f6a7b", "marking-definition--4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"]
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
              "created": "2024-05-06T10:00:00.000Z",
              "modified": "2024-05-06T10:00:00.000Z",
              "pattern": "rule webshell { strings: $a = \"eval(Request\" condition: $a }",
              "pattern_type": "yara",
              "valid_from": "2024-05-06T00:00:00Z"
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
              "created": "2024-05-07T10:00:00.000Z",
              "modified": "2024-05-07T10:00:00.000Z",
              "pattern": "[file:name = 'shell.aspx' AND file:parent_directory_ref.path = 'C:\\\\inetpub\\\\wwwroot\\\\aspnet_client']",
              "pattern_type": "stix",
              "valid_from": "2024-05-07T00:00:00Z"
            },
            {
              "type": "indicator",
              "spec_version": "2.1",
              "id": "indicator--3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7",
              "created": "2024-05-08T10:00:00.000Z",
              "modified": "2024-05-08T10:00:00.000Z",
              "pattern": "[process:command_line LIKE '%powershell -enc%']",
              "pattern_type": "stix",
              "valid_from": "2024-05-08T00:00:00Z"
            },
            {
              "type": "intrusion-set",
              "spec_version": "2.1",
              "id": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-04-01T00:00:00.000Z",
              "name": "Example Panda",
              "description": "A test group.",
              "aliases": ["Example Panda", "Storm-0000"],
              "confidence": 70,
              "external_references": [
                {"source_name": "mitre-attack", "external_id": "G9999", "url": "https://attack.mitre.org/groups/G9999"},
                {"source_name": "Example blog", "description": "no id here"}
              ],
              "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
            },
            {
              "type": "threat-actor",
              "spec_version": "2.1",
              "id": "threat-actor--6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-01-01T00:00:00.000Z",
              "name": "Example State",
              "threat_actor_types": ["nation-state"]
            },
            {
              "type": "campaign",
              "spec_version": "2.1",
              "id": "campaign--8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-01-01T00:00:00.000Z",
              "name": "Operation Example"
            },
            {
              "type": "malware",
              "spec_version": "2.1",
              "id": "malware--0d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-01-01T00:00:00.000Z",
              "is_family": true,
              "malware_types": ["webshell"],
              "aliases": ["China Chopper"]
            },
            {
              "type": "relationship",
              "spec_version": "2.1",
              "id": "relationship--2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b",
              "created": "2024-05-01T10:00:00.000Z",
              "modified": "2024-05-01T10:00:00.000Z",
              "relationship_type": "indicates",
              "source_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "target_ref": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
              "confidence": 60,
              "object_marking_refs": ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]
            },
            {
              "type": "relationship",
              "spec_version": "2.1",
              "id": "relationship--4f5a6b7c-8d9e-4f0a-8b1c-2d3e4f5a6b7c",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-03-01T00:00:00.000Z",
              "relationship_type": "attributed-to",
              "source_ref": "campaign--8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f",
              "target_ref": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
              "revoked": true
            },
            {
              "type": "observed-data",
              "spec_version": "2.1",
              "id": "observed-data--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
              "created": "2024-05-09T10:00:00.000Z",
              "modified": "2024-05-09T10:00:00.000Z",
              "first_observed": "2024-05-09T08:00:00Z",
              "last_observed": "2024-05-09T09:00:00Z",
              "number_observed": 3,
              "object_refs": ["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]
            },
            {
              "type": "sighting",
              "spec_version": "2.1",
              "id": "sighting--6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e",
              "created": "2024-05-09T10:00:00.000Z",
              "modified": "2024-05-09T10:00:00.000Z",
              "count": 3,
              "sighting_of_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "observed_data_refs": ["observed-data--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"],
              "where_sighted_refs": ["identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"],
              "confidence": 90
            },
            {
              "type": "report",
              "spec_version": "2.1",
              "id": "report--7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f",
              "created": "2024-05-10T10:00:00.000Z",
              "modified": "2024-05-10T10:00:00.000Z",
              "name": "Example Panda targets Exchange",
              "published": "2024-05-10T10:00:00Z",
              "report_types": ["threat-actor"],
              "object_refs": ["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"]
            },
            {
              "type": "identity",
              "spec_version": "2.1",
              "id": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-01-01T00:00:00.000Z",
              "name": "Example CERT",
              "identity_class": "organization"
            },
            {
              "type": "marking-definition",
              "spec_version": "2.1",
              "id": "marking-definition--3c1f4a5b-6d7e-4f80-9a1b-2c3d4e5f6a7b",
              "created": "2024-01-01T00:00:00.000Z",
              "name": "Partner sharing",
              "extensions": {
                "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}
              }
            },
            {
              "type": "marking-definition",
              "spec_version": "2.1",
              "id": "marking-definition--4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
              "created": "2024-01-01T00:00:00.000Z",
              "definition_type": "statement",
              "definition": {"statement": "Copyright Example CERT"}
            },
            {
              "type": "x-example-note",
              "spec_version": "2.1",
              "id": "x-example-note--8d9e0f1a-2b3c-4d4e-8f5a-6b7c8d9e0f1a",
              "text": "custom objects are skipped"
            },
            {
              "type": "course-of-action",
              "spec_version": "2.1",
              "id": "course-of-action--9e0f1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b",
              "created": "2024-01-01T00:00:00.000Z",
              "modified": "2024-01-01T00:00:00.000Z",
              "name": "Patch Exchange"
            },
            {
              "type": "ipv4-addr",
              "spec_version": "2.1",
              "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd",
              "value": "198.51.100.7"
            }
          ]
        }
        """;

    /// <summary>STIX 2.0 (mitre/cti style): spec_version on the bundle only, labels for types, the TLP 1.0 definition in the bundle.</summary>
    public const string Bundle20 = """
        {
          "type": "bundle",
          "id": "bundle--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
          "spec_version": "2.0",
          "objects": [
            {
              "type": "marking-definition",
              "id": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
              "created": "2017-01-20T00:00:00.000Z",
              "definition_type": "tlp",
              "definition": {"tlp": "amber"}
            },
            {
              "type": "marking-definition",
              "id": "marking-definition--5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f",
              "created": "2017-01-20T00:00:00.000Z",
              "definition_type": "tlp",
              "definition": {"tlp": "green"}
            },
            {
              "type": "indicator",
              "id": "indicator--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
              "created": "2016-04-06T20:03:48.000Z",
              "modified": "2016-04-06T20:03:48.000Z",
              "labels": ["malicious-activity"],
              "name": "OWA phishing page",
              "pattern": "[url:value = 'http://evil.example/owa/auth/logon.aspx']",
              "valid_from": "2016-01-01T00:00:00Z",
              "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]
            },
            {
              "type": "malware",
              "id": "malware--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
              "created": "2017-05-31T21:32:29.203Z",
              "modified": "2020-02-11T15:43:53.436Z",
              "name": "China Chopper",
              "labels": ["malware"],
              "x_mitre_aliases": ["China Chopper"],
              "external_references": [{"source_name": "mitre-attack", "external_id": "S0020", "url": "https://attack.mitre.org/software/S0020"}],
              "object_marking_refs": ["marking-definition--5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"]
            },
            {
              "type": "tool",
              "id": "tool--4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b",
              "created": "2017-05-31T21:32:11.544Z",
              "modified": "2021-10-08T14:06:09.063Z",
              "name": "Mimikatz",
              "labels": ["tool"],
              "x_mitre_aliases": ["Mimikatz"]
            },
            {
              "type": "intrusion-set",
              "id": "intrusion-set--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c",
              "created": "2017-05-31T21:31:43.540Z",
              "modified": "2024-04-10T22:10:22.447Z",
              "name": "Example Group",
              "aliases": ["Example Group", "EG"],
              "revoked": false,
              "x_mitre_deprecated": true,
              "external_references": [{"source_name": "mitre-attack", "external_id": "G9998"}]
            },
            {
              "type": "relationship",
              "id": "relationship--6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
              "created": "2017-05-31T21:33:27.044Z",
              "modified": "2019-03-25T16:47:54.447Z",
              "relationship_type": "uses",
              "source_ref": "intrusion-set--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c",
              "target_ref": "malware--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"
            },
            {
              "type": "report",
              "id": "report--7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
              "created": "2016-04-06T20:03:48.000Z",
              "modified": "2016-04-06T20:03:48.000Z",
              "name": "Example Group uses China Chopper",
              "published": "2016-04-06T20:03:48.000Z",
              "labels": ["threat-report"],
              "object_refs": ["indicator--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "malware--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"]
            }
          ]
        }
        """;
}
