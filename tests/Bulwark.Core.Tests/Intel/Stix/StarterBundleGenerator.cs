using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Intel.Stix;

namespace Bulwark.Core.Tests.Intel.Stix;

/// <summary>
/// Writes Bulwark's starter bundle (src/Bulwark.Core/Intel/Starter/proxylogon-hafnium.stix.json) from the public
/// sources in shared/data: the CISA AA21-062A CHIRP file (Volexity's addresses and user agents) and Microsoft's MSTIC
/// CSV (web-shell hashes and paths). Ids are UUIDv5 of the value, timestamps fixed, so the same sources always give
/// the same bytes; <see cref="StarterIntelTests"/> compares the shipped file with this output.
/// </summary>
internal static partial class StarterBundleGenerator
{
    /// <summary>When the bundle was written; change it only when its content changes.</summary>
    public const string Written = "2026-11-28T00:00:00.000Z";

    public const string HafniumId = "intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87";

    private const string CisaUrl = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a";
    private const string VolexityUrl = "https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/";
    private const string ChirpUrl = "https://github.com/cisagov/CHIRP/blob/ae532f6b86f007bac82ca40bab25a48dbf64b3ce/indicators/AA21-062A/AA21062A.yaml";
    private const string MicrosoftBlogUrl = "https://www.microsoft.com/en-us/security/blog/2021/03/02/hafnium-targeting-exchange-servers/";
    private const string MsticCsvUrl = "https://github.com/Azure/Azure-Sentinel/blob/03ba89f6fc7f5f1037eb544c109066938532ea3e/Sample%20Data/Feeds/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv";

    // Volexity published on 2021-03-02; CISA's alert followed on 2021-03-03.
    private const string VolexityValidFrom = "2021-03-02T00:00:00.000Z";

    /// <summary>Namespace of Bulwark's starter ids (UUIDv5).</summary>
    private static readonly Guid Namespace = new("ee4b0dc0-d1bf-477a-8be5-9e965366d5b4");

    public static string IdentityId { get; } = "identity--" + Uuid5("identity:bulwark");

    public static string Generate(string chirpYaml, string msticCsv)
    {
        var indicators = new List<Indicator>();
        indicators.AddRange(ChirpAddresses(chirpYaml).Select(Address));
        indicators.AddRange(ChirpUserAgents(chirpYaml).Select(UserAgent));
        var rows = MsticRows(msticCsv);
        indicators.AddRange(rows.Where(r => r.Type == "sha256").Select(Hash));
        indicators.AddRange(rows.Where(r => r.Type == "filepath").DistinctBy(r => r.Value, StringComparer.OrdinalIgnoreCase).Select(FilePath));

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("type", "bundle");
            json.WriteString("id", "bundle--" + Uuid5("bundle:proxylogon-hafnium"));
            json.WriteStartArray("objects");
            WriteIdentity(json);
            WriteClearMarking(json);
            WriteHafnium(json);
            foreach (var indicator in indicators)
            {
                WriteIndicator(json, indicator);
            }

            foreach (var indicator in indicators)
            {
                WriteIndicates(json, indicator);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The addresses of the CHIRP <c>network</c> indicator, in file order.</summary>
    public static List<string> ChirpAddresses(string yaml) =>
        [.. AddressLine().Matches(yaml).Select(m => m.Groups[1].Value)];

    /// <summary>The <c>$uaN= "…"</c> strings of the CHIRP user-agent rule, as written there (IIS log form), without repeats.</summary>
    public static List<string> ChirpUserAgents(string yaml) =>
        [.. UserAgentLine().Matches(yaml).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    public static List<(string Type, string Value, string DateAdded, string FirstSeen)> MsticRows(string csv)
    {
        var rows = new List<(string, string, string, string)>();
        foreach (var line in csv.Split('\n').Skip(1))
        {
            var cells = line.TrimEnd('\r').Split(',');
            if (cells.Length == 5)
            {
                rows.Add((cells[3], cells[2], cells[0], cells[1]));
            }
        }

        return rows;
    }

    /// <summary>
    /// The User-Agent header an IIS log line stands for: IIS writes spaces as '+', and the crawler strings keep a real
    /// '+' before their URL (<c>;++http</c> is "; +http", <c>(+http</c> stays).
    /// </summary>
    public static string FromIisForm(string logged)
    {
        var header = new StringBuilder(logged.Length);
        for (var i = 0; i < logged.Length; i++)
        {
            var c = logged[i];
            header.Append(c == '+' && !(i > 0 && logged[i - 1] is '+' or '(') ? ' ' : c);
        }

        return header.ToString();
    }

    /// <summary>RFC 4122 name-based UUID (version 5, SHA-1) in <see cref="Namespace"/>.</summary>
    public static Guid Uuid5(string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
#pragma warning disable CA5350 // UUIDv5 is defined on SHA-1; nothing here depends on its strength.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static Indicator Address(string address) => new(
        "ipv4-addr:" + address,
        $"ProxyLogon attacker address {address}",
        $"[ipv4-addr:value = '{address}']",
        "Volexity saw attackers exploiting the Microsoft Exchange zero-days (CVE-2021-26855, -26857, -26858, -27065; 'Operation Exchange Marauder') "
            + "use this address; CISA republished it in alert AA21-062A (CHIRP indicator 'IP addresesses related to possible Hafnium activity'). "
            + "Volexity notes the addresses belong to VPS and VPN services: a match is a reason to investigate, not proof. "
            + "Confidence 30: CHIRP rates this set 3 of 10, where 1 means most likely a false positive.",
        ["malicious-activity"],
        VolexityValidFrom,
        30,
        Cisa: true);

    private static Indicator UserAgent(string logged)
    {
        var header = FromIisForm(logged);
        return new Indicator(
            "user-agent:" + header,
            $"ProxyLogon user agent {header}",
            $"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = '{Escape(header)}']",
            "Volexity observed this non-standard User-Agent during the Exchange exploitation of early 2021 (POST requests to files under /owa/auth/Current, "
                + "or to ECP, or in post-exploitation); CISA republished it in alert AA21-062A (CHIRP rule ecp_user_agents, where it is written as IIS logs it: "
                + $"'{logged}'). Volexity states such user agents 'are not necessarily indicative of compromise', and several imitate public crawlers. "
                + "Confidence 30: a reason to look further, not a conclusion.",
            ["anomalous-activity"],
            VolexityValidFrom,
            30,
            Cisa: true);
    }

    private static Indicator Hash((string Type, string Value, string DateAdded, string FirstSeen) row)
    {
        var hash = row.Value.ToLowerInvariant();
        var seen = row.FirstSeen.Length >= 19 ? $", first seen {row.FirstSeen[..19]}Z" : "";
        return new Indicator(
            "sha256:" + hash,
            $"Exchange web shell or payload SHA-256 {hash}",
            $"[file:hashes.'SHA-256' = '{hash}']",
            "SHA-256 of a web shell or payload Microsoft saw in exploitation of the Exchange Server vulnerabilities disclosed in March 2021 "
                + $"(MSTIC IOC feed, added {row.DateAdded}{seen}). Confidence 80: a hash names one exact file; Microsoft published it at TLP:WHITE "
                + "without a confidence of its own.",
            ["malicious-activity"],
            row.DateAdded + "T00:00:00.000Z",
            80,
            Cisa: false);
    }

    private static Indicator FilePath((string Type, string Value, string DateAdded, string FirstSeen) row)
    {
        var path = row.Value;
        var cut = path.LastIndexOf('\\');
        var directory = path[..cut];
        var name = path[(cut + 1)..];
        return new Indicator(
            "file-path:" + path.ToLowerInvariant(),
            $"Exchange web shell path {path}",
            $"[file:name = '{Escape(name)}' AND file:parent_directory_ref.path = '{Escape(directory)}']",
            "A file location Microsoft listed for exploitation of the Exchange Server vulnerabilities disclosed in March 2021 "
                + $"(MSTIC IOC feed, added {row.DateAdded}): web shells and attacker artefacts were dropped there. Confidence 60: a file at this path "
                + "is a strong reason to look, but the path alone does not prove what the file is.",
            ["malicious-activity"],
            row.DateAdded + "T00:00:00.000Z",
            60,
            Cisa: false);
    }

    private static void WriteIdentity(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        Common(json, "identity", IdentityId, Written, Written, createdBy: false);
        json.WriteString("name", "Bulwark");
        json.WriteString("description", "The Bulwark project: an open, self-hostable service that hunts nation-state compromise in Exchange logs. Author of the starter intelligence shipped with it, compiled from the public sources each object cites.");
        json.WriteString("identity_class", "organization");
        Marking(json);
        json.WriteEndObject();
    }

    /// <summary>The TLP 2.0 CLEAR marking definition as oasis-open/cti-stix-common-objects publishes it.</summary>
    private static void WriteClearMarking(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "marking-definition");
        json.WriteString("spec_version", "2.1");
        json.WriteString("id", TlpMarkings.Tlp2Clear);
        json.WriteString("created", "2022-10-01T00:00:00.000Z");
        json.WriteString("name", "TLP:CLEAR");
        json.WriteStartObject("extensions");
        json.WriteStartObject(TlpMarkings.Tlp2Extension);
        json.WriteString("extension_type", "property-extension");
        json.WriteString("tlp_2_0", "clear");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// HAFNIUM under ATT&amp;CK's own id, so these indicators attach to ATT&amp;CK's group. Its <c>modified</c> is
    /// ATT&amp;CK's <c>created</c>: whenever ATT&amp;CK's richer version is loaded too, that one is newer and wins.
    /// No <c>created_by_ref</c>: the id is MITRE's, the object a reference to it.
    /// </summary>
    private static void WriteHafnium(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        Common(json, "intrusion-set", HafniumId, "2021-03-03T19:40:47.280Z", "2021-03-03T19:40:47.280Z", createdBy: false);
        json.WriteString("name", "HAFNIUM");
        json.WriteString("description", "HAFNIUM (MITRE ATT&CK G0125; Microsoft: Silk Typhoon), which Microsoft assessed to be state-sponsored and operating out of China, exploited Exchange Server zero-days in early 2021. This is a reference to ATT&CK's intrusion set with the same id so that Bulwark's starter indicators attach to it; load ATT&CK for the full object.");
        json.WriteStartArray("aliases");
        json.WriteStringValue("HAFNIUM");
        json.WriteStringValue("Operation Exchange Marauder");
        json.WriteStringValue("Silk Typhoon");
        json.WriteEndArray();
        json.WriteStartArray("external_references");
        Reference(json, "mitre-attack", null, "https://attack.mitre.org/groups/G0125", "G0125");
        json.WriteEndArray();
        Marking(json);
        json.WriteEndObject();
    }

    private static void WriteIndicator(Utf8JsonWriter json, Indicator indicator)
    {
        json.WriteStartObject();
        Common(json, "indicator", indicator.Id, Written, Written, createdBy: true);
        json.WriteString("name", indicator.Name);
        json.WriteString("description", indicator.Description);
        json.WriteStartArray("indicator_types");
        foreach (var type in indicator.Types)
        {
            json.WriteStringValue(type);
        }

        json.WriteEndArray();
        json.WriteString("pattern", indicator.Pattern);
        json.WriteString("pattern_type", "stix");
        json.WriteString("pattern_version", "2.1");
        json.WriteString("valid_from", indicator.ValidFrom);
        json.WriteNumber("confidence", indicator.Confidence);
        json.WriteStartArray("external_references");
        if (indicator.Cisa)
        {
            Reference(json, "CISA AA21-062A", "CISA, Mitigate Microsoft Exchange Server Vulnerabilities (alert AA21-062A), 2021-03-03", CisaUrl, null);
            Reference(json, "Volexity", "Volexity, Operation Exchange Marauder: Active Exploitation of Multiple Zero-Day Microsoft Exchange Vulnerabilities, 2021-03-02", VolexityUrl, null);
            Reference(json, "cisagov/CHIRP", "CISA CHIRP indicator file for AA21-062A (indicators/AA21-062A/AA21062A.yaml), CC0 1.0", ChirpUrl, null);
        }
        else
        {
            Reference(json, "Microsoft Security Blog", "Microsoft Threat Intelligence, HAFNIUM targeting Exchange Servers with 0-day exploits, 2021-03-02", MicrosoftBlogUrl, null);
            Reference(json, "MSTIC IOC feed", "MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv (Azure/Azure-Sentinel, Sample Data/Feeds), MIT licence, TLP:WHITE", MsticCsvUrl, null);
        }

        json.WriteEndArray();
        Marking(json);
        json.WriteEndObject();
    }

    private static void WriteIndicates(Utf8JsonWriter json, Indicator indicator)
    {
        json.WriteStartObject();
        Common(json, "relationship", "relationship--" + Uuid5($"indicates:{indicator.Id}:{HafniumId}"), Written, Written, createdBy: true);
        json.WriteString("relationship_type", "indicates");
        json.WriteString("description", indicator.Cisa
            ? "ATT&CK lists Volexity's 'Operation Exchange Marauder' as an alias of HAFNIUM (G0125), and Microsoft attributed the exploitation before disclosure to HAFNIUM with high confidence. Other actors used the same vulnerabilities soon after, so 70, not more."
            : "Microsoft's list covers exploitation of the Exchange vulnerabilities disclosed in March 2021, including after disclosure, when actors beyond HAFNIUM used them too; the link to HAFNIUM in particular is therefore 50.");
        json.WriteString("source_ref", indicator.Id);
        json.WriteString("target_ref", HafniumId);
        json.WriteNumber("confidence", indicator.Cisa ? 70 : 50);
        Marking(json);
        json.WriteEndObject();
    }

    private static void Common(Utf8JsonWriter json, string type, string id, string created, string modified, bool createdBy)
    {
        json.WriteString("type", type);
        json.WriteString("spec_version", "2.1");
        json.WriteString("id", id);
        if (createdBy)
        {
            json.WriteString("created_by_ref", IdentityId);
        }

        json.WriteString("created", created);
        json.WriteString("modified", modified);
    }

    private static void Reference(Utf8JsonWriter json, string source, string? description, string url, string? externalId)
    {
        json.WriteStartObject();
        json.WriteString("source_name", source);
        if (description is not null)
        {
            json.WriteString("description", description);
        }

        json.WriteString("url", url);
        if (externalId is not null)
        {
            json.WriteString("external_id", externalId);
        }

        json.WriteEndObject();
    }

    private static void Marking(Utf8JsonWriter json)
    {
        json.WriteStartArray("object_marking_refs");
        json.WriteStringValue(TlpMarkings.Tlp2Clear);
        json.WriteEndArray();
    }

    /// <summary>A STIX pattern string literal's content: only <c>\</c> and <c>'</c> are escaped.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s+(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AddressLine();

    [GeneratedRegex(@"^\s*\$ua\d+\s*=\s*""(.*)""\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex UserAgentLine();

    private sealed record Indicator(string Key, string Name, string Pattern, string Description, string[] Types, string ValidFrom, int Confidence, bool Cisa)
    {
        public string Id { get; } = "indicator--" + Uuid5("indicator:" + Key);
    }
}
