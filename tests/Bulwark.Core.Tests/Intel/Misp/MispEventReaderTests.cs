using System.Text;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Misp;

public sealed class MispEventReaderTests
{
    private const string EventUuid = "c4ba0a4c-c501-4e7f-973d-de0baebb005a";
    private const string Hafnium = "misp-galaxy:threat-actor--4f05d6c1-3fc1-4567-91cd-dd4637cc38b5";
    private const string HafniumAttack = "misp-galaxy:mitre-intrusion-set=\"HAFNIUM - G0125\"";
    private const string ChinaChopper = "misp-galaxy:tool=\"China Chopper\"";
    private const string FileObject = "misp-object--8ce4689a-6d51-404c-b1d7-37a50f36a5ac";

    private static readonly string[] IndicatorIds =
    [
        "misp-attribute--583d20d9-5cd0-45ca-894d-a2840cf48d2c",
        "misp-attribute--403108c9-19b7-41c9-8986-68d8379427f7",
        "misp-attribute--8282c295-422c-4138-94b5-2abc38e0eccf",
        "misp-attribute--1f59a8b6-e900-457e-93f2-546ad908c3f4",
        "misp-attribute--4c7e1a14-85b0-4228-b44a-6a5c5f759b6e",
        "misp-attribute--d695f68b-2b4e-44e1-bc84-43fc6d2af4ea",
        "misp-attribute--21a75373-993d-45ae-b71c-2529f9eb1b12",
        "misp-attribute--89e531b2-306c-49ea-9fb9-d644c3d93cf3",
        "misp-attribute--3671cdc3-2762-40cf-9a67-57e4145cd9cb",
        "misp-attribute--f13b7d9a-3012-42d8-8b87-1ff0be334c1b",
        FileObject,
        "misp-attribute--175b279a-2287-4df6-98b0-66a2c35d134c",
    ];

    [Fact]
    public void Hafnium_event_gives_an_indicator_per_to_ids_attribute_and_counts_the_rest()
    {
        var catalog = new IntelCatalog();

        var result = new MispEventReader(catalog, MispFixtures.Source()).ReadFile(MispFixtures.PathOf("hafnium-event.json"));

        Assert.Empty(result.Problems);
        Assert.Equal(1, result.Events);
        Assert.Equal(12, result.Indicators);
        Assert.Equal(5, result.NotForDetection);
        Assert.Equal(new Dictionary<string, int> { ["AS"] = 1, ["uri"] = 1, ["x509-fingerprint-sha256"] = 1 }, result.UnsupportedTypes);
        Assert.Equal(4, result.Objects);
        Assert.Equal(25, result.Relationships);
        Assert.Equal(
            "1 event, 12 indicators, 5 attributes without to_ids not indexed, 3 of types the index cannot hold (AS 1, uri 1, x509-fingerprint-sha256 1), 4 objects, 25 relationships",
            result.ToString());
        Assert.Equal(IndicatorIds.Order(StringComparer.Ordinal), catalog.Indicators.Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.Equal("misp-test", Assert.Single(catalog.Sources).Id);
    }

    [Fact]
    public void Each_attribute_type_maps_to_its_index_values()
    {
        var catalog = Read();

        Assert.Equal([(IocKind.IPv4, "103.77.192.219")], ValuesOf(catalog, "583d20d9-5cd0-45ca-894d-a2840cf48d2c"));
        Assert.Equal([(IocKind.IPv4, "104.140.114.110")], ValuesOf(catalog, "403108c9-19b7-41c9-8986-68d8379427f7"));
        Assert.Equal([(IocKind.Domain, "mail.owa-update.example"), (IocKind.IPv4, "203.0.113.17")], ValuesOf(catalog, "8282c295-422c-4138-94b5-2abc38e0eccf"));
        Assert.Equal([(IocKind.Url, "http://owa-update.example/owa/auth/errorEE.aspx")], ValuesOf(catalog, "1f59a8b6-e900-457e-93f2-546ad908c3f4"));
        Assert.Equal([(IocKind.Sha256, "8e90ed33c7ee82c0b64078ea36ec95f7420ba435c693b3b3dd728b494abf7dfc")], ValuesOf(catalog, "4c7e1a14-85b0-4228-b44a-6a5c5f759b6e"));
        Assert.Equal(
            [(IocKind.Sha256, "2f0bc81c2ea269643cae307239124d1b6479847867b1adfe9ae712a1d5ef135e"), (IocKind.FileName, "supp0rt.aspx")],
            ValuesOf(catalog, "d695f68b-2b4e-44e1-bc84-43fc6d2af4ea"));
        Assert.Equal([(IocKind.UserAgent, "antSword/v2.1")], ValuesOf(catalog, "21a75373-993d-45ae-b71c-2529f9eb1b12"));
        Assert.Equal([(IocKind.Email, "exchange-admin@owa-update.example")], ValuesOf(catalog, "89e531b2-306c-49ea-9fb9-d644c3d93cf3"));
        Assert.Equal([(IocKind.Domain, "owa-update.example")], ValuesOf(catalog, "3671cdc3-2762-40cf-9a67-57e4145cd9cb"));
        Assert.Equal(
            [(IocKind.FilePath, @"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\8Lw7tAhF9i1pJnRo.aspx")],
            ValuesOf(catalog, "f13b7d9a-3012-42d8-8b87-1ff0be334c1b"));
        // The file object's one to_ids key (its name is not to_ids) is its indicator.
        Assert.Equal([(IocKind.Sha256, "a291305f181e24fe7194154b4cd355ccb039d5765709c80999e392efec69c90a")], catalog.GetIndicator(FileObject)!.Values.Select(v => (v.Kind, v.Value)));
        Assert.Equal([(IocKind.IPv4, "5.254.43.18")], ValuesOf(catalog, "175b279a-2287-4df6-98b0-66a2c35d134c"));
    }

    [Fact]
    public void Indicator_keeps_pattern_labels_tlp_confidence_time_and_reference()
    {
        var catalog = Read();

        var ip = catalog.GetIndicator("misp-attribute--583d20d9-5cd0-45ca-894d-a2840cf48d2c")!;
        Assert.Equal("misp-test", ip.Source);
        Assert.Equal("misp", ip.PatternType);
        Assert.Equal("ip-dst:103.77.192.219", ip.PatternText);
        Assert.Equal(["Network activity", "ip-dst", "distribution:all-communities"], ip.Labels);
        Assert.Equal(Tlp.Green, ip.Tlp);
        Assert.Equal(75, ip.Confidence);
        Assert.Equal(DateTimeOffset.Parse("2021-03-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), ip.Modified);
        Assert.Equal("Volexity: VPS used to exploit CVE-2021-26855", ip.Description);
        Assert.Null(ip.ValidFrom);
        var value = Assert.Single(ip.Values);
        Assert.Equal(new IocIndicator(IocKind.IPv4, "103.77.192.219", "misp-test") { Tlp = Tlp.Green, Confidence = 75, Reference = ip.Id }, value);

        // An attribute's own tlp:amber is stricter than the event's tlp:green: the stricter wins.
        Assert.Equal(Tlp.Amber, catalog.GetIndicator("misp-attribute--4c7e1a14-85b0-4228-b44a-6a5c5f759b6e")!.Tlp);

        // admiralty-scale:information-credibility="2" (probably true) is 70 on the STIX scale.
        Assert.Equal(70, catalog.GetIndicator("misp-attribute--89e531b2-306c-49ea-9fb9-d644c3d93cf3")!.Confidence);

        var host = catalog.GetIndicator("misp-attribute--3671cdc3-2762-40cf-9a67-57e4145cd9cb")!;
        Assert.Equal(new DateTimeOffset(2021, 2, 26, 0, 0, 0, TimeSpan.Zero), host.ValidFrom);
        Assert.Equal(new DateTimeOffset(2021, 3, 5, 0, 0, 0, TimeSpan.Zero), host.ValidUntil);
        Assert.Equal(host.ValidUntil, Assert.Single(host.Values).ValidUntil);

        var url = catalog.GetIndicator("misp-attribute--1f59a8b6-e900-457e-93f2-546ad908c3f4")!;
        Assert.Equal("url:http://owa-update.example/owa/auth/errorEE.aspx", url.PatternText); // refanged

        var file = catalog.GetIndicator(FileObject)!;
        Assert.Equal(["Payload delivery", "misp-object:file", "distribution:all-communities"], file.Labels);
        Assert.Equal(("stix", "[file:hashes.'SHA-256' = 'a291305f181e24fe7194154b4cd355ccb039d5765709c80999e392efec69c90a']", false), (file.PatternType, file.PatternText, file.Complex));
        Assert.Equal((Tlp.Green, 75, DateTimeOffset.FromUnixTimeSeconds(1614729600)), (file.Tlp, file.Confidence, file.Modified));
        Assert.Null(catalog.GetIndicator("misp-attribute--7792d9be-4c19-4845-b6fb-b859cd1c6775"));

        // The ip-port object is a list: its address is an indicator on its own.
        Assert.Equal(["Network activity", "ip-dst", "misp-object:ip-port", "distribution:all-communities"], catalog.GetIndicator("misp-attribute--175b279a-2287-4df6-98b0-66a2c35d134c")!.Labels);
    }

    [Fact]
    public void Event_becomes_a_report_that_refers_to_its_indicators_and_clusters()
    {
        var catalog = Read();

        var report = catalog.GetObject($"report--{EventUuid}")!;
        Assert.Equal("report", report.Type);
        Assert.Equal("ProxyLogon: HAFNIUM exploitation of on-premises Exchange servers (Bulwark test event)", report.Name);
        Assert.Equal(new DateTimeOffset(2021, 3, 2, 0, 0, 0, TimeSpan.Zero), report.Created);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1615200000), report.Modified);
        Assert.Equal(Tlp.Green, report.Tlp);
        Assert.Equal(75, report.Confidence);
        Assert.Equal(
            ["tlp:green", "misp-galaxy:threat-actor=\"HAFNIUM\"", HafniumAttack, "misp:confidence-level=\"usually-confident\"", "type:OSINT",
             "distribution:all-communities", "threat-level:high", "analysis:complete", "orgc:Example National CERT"],
            report.Labels);
        Assert.Equal(
            [new ExternalId("misp-event", EventUuid), new ExternalId("misp-organisation", "03d98f08-8339-4d07-9a14-ecb11da0bcb0")],
            report.ExternalIds);
        Assert.Equal([.. IndicatorIds, Hafnium, HafniumAttack], report.ObjectRefs);
    }

    [Fact]
    public void Galaxy_clusters_become_objects_that_every_indicator_indicates()
    {
        var catalog = Read();

        var hafnium = catalog.GetObject(Hafnium)!;
        Assert.Equal("intrusion-set", hafnium.Type);
        Assert.Equal("HAFNIUM", hafnium.Name);
        Assert.Equal("CN", hafnium.Country);
        Assert.Equal(100, hafnium.AttributionConfidence);
        Assert.Equal(["ATK233", "G0125", "Operation Exchange Marauder", "Red Dev 13", "Silk Typhoon", "MURKY PANDA"], hafnium.Aliases);
        Assert.Equal(
            [new ExternalId(ExternalId.MispGalaxy, "4f05d6c1-3fc1-4567-91cd-dd4637cc38b5"), new ExternalId(ExternalId.MitreAttack, "G0125")],
            hafnium.ExternalIds);
        Assert.Equal(Tlp.Green, hafnium.Tlp);

        // Known only from its tag: the tag is its id, "HAFNIUM - G0125" its name and ATT&CK id.
        var attack = catalog.GetObject(HafniumAttack)!;
        Assert.Equal(("intrusion-set", "HAFNIUM"), (attack.Type, attack.Name));
        Assert.Equal([new ExternalId(ExternalId.MitreAttack, "G0125")], attack.ExternalIds);

        var tool = catalog.GetObject(ChinaChopper)!;
        Assert.Equal(("tool", "China Chopper"), (tool.Type, tool.Name));

        Assert.Equal(25, catalog.Relationships.Count);
        foreach (var id in IndicatorIds)
        {
            var targets = catalog.Relationships.Where(r => r.SourceRef == id).Select(r => r.TargetRef).Order(StringComparer.Ordinal).ToList();
            var expected = id == "misp-attribute--1f59a8b6-e900-457e-93f2-546ad908c3f4" ? new[] { HafniumAttack, ChinaChopper, Hafnium } : [HafniumAttack, Hafnium];
            Assert.Equal(expected.Order(StringComparer.Ordinal), targets);
        }

        var amber = Assert.Single(catalog.Relationships, r => r.SourceRef == "misp-attribute--4c7e1a14-85b0-4228-b44a-6a5c5f759b6e" && r.TargetRef == Hafnium);
        Assert.Equal(
            new IntelRelationship($"misp-relationship:misp-attribute--4c7e1a14-85b0-4228-b44a-6a5c5f759b6e|indicates|{Hafnium}", "misp-attribute--4c7e1a14-85b0-4228-b44a-6a5c5f759b6e", "indicates", Hafnium, "misp-test")
            {
                Confidence = 75,
                Tlp = Tlp.Amber,
                Modified = DateTimeOffset.FromUnixTimeSeconds(1614729600),
            },
            amber);
    }

    [Fact]
    public void Every_value_is_accepted_by_the_ioc_index()
    {
        var catalog = Read();
        var builder = new IocIndexBuilder();

        var refused = catalog.Indicators.SelectMany(i => i.Values).Select(v => builder.TryAdd(v)).Where(r => !r.Added).Select(r => r.Error).ToList();

        Assert.Empty(refused);
        Assert.Equal(14, builder.Count);
        var index = builder.Build();
        Assert.Equal(1, index.Match("103.77.192.219").Count);
        Assert.Equal(2, index.MatchDomain("a.mail.owa-update.example").Count); // the domain|ip name and its parent hostname
    }

    [Fact]
    public void Galaxy_tags_resolve_to_clusters_read_before_and_the_fuller_copy_is_kept()
    {
        var catalog = new IntelCatalog();
        MispGalaxyReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes("""
                {"type": "threat-actor", "values": [{"uuid": "4f05d6c1-3fc1-4567-91cd-dd4637cc38b5", "value": "HAFNIUM",
                  "description": "Galaxy file text", "meta": {"country": "CN", "synonyms": ["Silk Typhoon"]}}]}
                """)),
            "threat-actor.json",
            catalog,
            new IntelSource("misp-galaxy", IntelFormat.MispGalaxy) { DefaultTlp = Tlp.Clear });

        var result = new MispEventReader(catalog, MispFixtures.Source()).ReadFile(MispFixtures.PathOf("hafnium-event.json"));

        Assert.Equal(3, result.Objects); // report, the ATT&CK tag, China Chopper: HAFNIUM was already held
        var hafnium = catalog.GetObject(Hafnium)!;
        Assert.Equal(("Galaxy file text", "misp-galaxy", Tlp.Clear), (hafnium.Description, hafnium.Source, hafnium.Tlp));
        Assert.Equal(12, catalog.Relationships.Count(r => r.TargetRef == Hafnium));
    }

    [Fact]
    public void RestSearch_response_is_read_event_by_event_and_a_cut_keeps_the_events_before_it()
    {
        var json = $$"""
            {"response": [
              {"Event": {{Event("5cd567a8-ed25-47c2-89e4-a22cf2ab7495", Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "198.51.100.7"))}}},
              {"Event": {{Event("7da252ea-e803-4f07-ae70-fe2ca81de1a7", Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "domain", "evil.example"))}}},
              {"Event": {"uuid": "c370cce7-3ba1-49d9-9019-40b983bfcc7b", "Attribute": [{"uuid": "123e9164-6f20
            """;
        var catalog = new IntelCatalog();

        var result = new MispEventReader(catalog, MispFixtures.Source()).Read(MispFixtures.Utf8(json), "restsearch.json");

        Assert.Equal((2, 2), (result.Events, result.Indicators));
        var problem = Assert.Single(result.Problems);
        Assert.Equal("restsearch.json: line 4, byte 99: invalid JSON: Expected end of string, but instead reached end of data; the 2 events before it were read, nothing after them", problem.ToString());
        Assert.Null(catalog.GetObject("report--c370cce7-3ba1-49d9-9019-40b983bfcc7b"));
    }

    [Fact]
    public void A_list_of_events_and_a_bare_event_are_read_too()
    {
        var list = $$"""[{"Event": {{Event("5cd567a8-ed25-47c2-89e4-a22cf2ab7495", Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "198.51.100.7"))}}}, 42]""";
        var bare = Event("7da252ea-e803-4f07-ae70-fe2ca81de1a7", Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "md5", "b75f163ca9b9240bf4b37ad92bc7556b"));
        var catalog = new IntelCatalog();
        var reader = new MispEventReader(catalog, MispFixtures.Source());

        var fromList = reader.Read(MispFixtures.Utf8(list), "events.json");
        var fromBare = reader.Read(MispFixtures.Utf8(bare), "event.json");

        Assert.Equal((1, 1), (fromList.Events, fromList.Indicators));
        Assert.Equal(["events.json: [1]: expected an event object, found a number"], fromList.Problems.Select(p => p.ToString()));
        Assert.Equal((1, 1, 0), (fromBare.Events, fromBare.Indicators, fromBare.Problems.Count));
        Assert.Equal([(IocKind.Md5, "b75f163ca9b9240bf4b37ad92bc7556b")], ValuesOf(catalog, "175b279a-2287-4df6-98b0-66a2c35d134c"));
    }

    [Fact]
    public void Untagged_event_takes_the_sources_default_tlp_and_confidence()
    {
        var catalog = new IntelCatalog();

        new MispEventReader(catalog, MispFixtures.Source(tlp: Tlp.Red, confidence: 35))
            .Read(MispFixtures.Utf8(Event("5cd567a8-ed25-47c2-89e4-a22cf2ab7495", Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "198.51.100.7"))), "e.json");

        var indicator = catalog.GetIndicator("misp-attribute--7792d9be-4c19-4845-b6fb-b859cd1c6775")!;
        Assert.Equal((Tlp.Red, 35), (indicator.Tlp, indicator.Confidence));
        Assert.Equal(Tlp.Red, catalog.GetObject("report--5cd567a8-ed25-47c2-89e4-a22cf2ab7495")!.Tlp);
    }

    [Fact]
    public void Wrong_json_types_are_problems_naming_where_and_the_rest_is_read()
    {
        var json = """
            {"Event": {"uuid": "5cd567a8-ed25-47c2-89e4-a22cf2ab7495", "info": 7,
              "Attribute": "x",
              "Tag": [{"name": "tlp:green"}, 12],
              "Galaxy": {"type": "threat-actor"},
              "Object": [
                "not an object",
                {"name": "file", "Attribute": [
                  {"uuid": "7792d9be-4c19-4845-b6fb-b859cd1c6775", "type": "ip-dst", "to_ids": true, "value": 42},
                  {"uuid": "175b279a-2287-4df6-98b0-66a2c35d134c", "type": "ip-dst", "to_ids": "yes", "value": "198.51.100.9"},
                  {"uuid": "65233951-c795-4f54-9f01-783b0fb5bb8b", "type": ["ip-dst"], "to_ids": true, "value": "198.51.100.10"},
                  {"uuid": 5, "type": "ip-dst", "to_ids": true, "value": "198.51.100.11"},
                  {"type": "ip-dst", "to_ids": true, "value": "198.51.100.12"},
                  {"uuid": "e04fc8f1-ccf5-4a3f-92f4-62d5a8887e8f", "type": "ip-dst", "to_ids": "1", "value": "198.51.100.13", "timestamp": "soon", "distribution": 9}
                ]}
              ]}}
            """;
        var catalog = new IntelCatalog();

        var result = new MispEventReader(catalog, MispFixtures.Source()).Read(MispFixtures.Utf8(json), "wrong.json");

        Assert.Equal(
            [
                "wrong.json: Event.Tag[1]: expected a tag object with a name, found the number '12'",
                "wrong.json: Event.Galaxy: expected an array of galaxies, found an object; no galaxies were read from it",
                "wrong.json: Event.Attribute: expected an array of attributes, found the string 'x'; no attributes were read from it",
                "wrong.json: Event.Object[0]: expected a MISP object, found the string 'not an object'",
                "wrong.json: Event.Object[1].uuid: the object has no uuid, which the file object's indicator id needs; its attributes were read one by one",
                "wrong.json: Event.Object[1].Attribute[0].value: expected a string, found the number '42'",
                "wrong.json: Event.Object[1].Attribute[1].to_ids: expected true or false, found the string 'yes'",
                "wrong.json: Event.Object[1].Attribute[2].type: expected a string, found an array",
                "wrong.json: Event.Object[1].Attribute[3].uuid: expected a string, found the number '5'",
                "wrong.json: Event.Object[1].Attribute[4].uuid: the attribute has no uuid, which its indicator id needs; it was not read",
                "wrong.json: Event.Object[1].Attribute[5].timestamp: expected an integer, found the string 'soon'",
                "wrong.json: Event.Object[1].Attribute[5].distribution: 9 is not a MISP distribution level (0 to 5)",
                "wrong.json: Event.info: expected a string, found the number '7'",
            ],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal((1, 1, 1), (result.Events, result.Indicators, result.NotForDetection));
        Assert.Equal([(IocKind.IPv4, "198.51.100.13")], ValuesOf(catalog, "e04fc8f1-ccf5-4a3f-92f4-62d5a8887e8f"));
        Assert.Equal("MISP event 5cd567a8-ed25-47c2-89e4-a22cf2ab7495", catalog.GetObject("report--5cd567a8-ed25-47c2-89e4-a22cf2ab7495")!.Name);
        Assert.Equal(catalog.Problems, result.Problems);
    }

    [Fact]
    public void Values_not_of_their_types_form_are_problems()
    {
        var json = Event(
            "5cd567a8-ed25-47c2-89e4-a22cf2ab7495",
            Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "not-an-ip"),
            Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "sha256", "abc123"),
            Attribute("65233951-c795-4f54-9f01-783b0fb5bb8b", "domain|ip", "evil.example"),
            Attribute("e04fc8f1-ccf5-4a3f-92f4-62d5a8887e8f", "domain", "evil.example"));

        var result = new MispEventReader(new IntelCatalog(), MispFixtures.Source()).Read(MispFixtures.Utf8(json), "v.json");

        Assert.Equal(
            [
                "v.json: Attribute[0].value: 'not-an-ip' is not an IP address or CIDR range, as type 'ip-dst' needs; the attribute was not read",
                "v.json: Attribute[1].value: 'abc123' is not an SHA-256 hash (64 hex digits), as type 'sha256' needs; the attribute was not read",
                "v.json: Attribute[2].value: 'evil.example' is not a 'domain|ip' value (two parts joined by '|'), as type 'domain|ip' needs; the attribute was not read",
            ],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal(1, result.Indicators);
    }

    [Fact]
    public void Truncated_deeply_nested_and_non_event_json_are_problems_with_position()
    {
        var catalog = new IntelCatalog();
        var reader = new MispEventReader(catalog, MispFixtures.Source());
        var deep = "{\"Event\": {\"uuid\": \"5cd567a8-ed25-47c2-89e4-a22cf2ab7495\", \"comment\": " + new string('[', 100) + new string(']', 100) + "}}";

        Assert.Equal(
            ["cut.json: line 3, byte 1: invalid JSON: Expected start of a property name or value, but instead reached end of data; nothing was read from this file"],
            reader.Read(MispFixtures.Utf8("{\"Event\": {\n  \"uuid\": \"5cd567a8-ed25-47c2-89e4-a22cf2ab7495\",\n"), "cut.json").Problems.Select(p => p.ToString()));
        Assert.Equal(
            ["deep.json: line 1, byte 133: invalid JSON: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array; nothing was read from this file"],
            reader.Read(MispFixtures.Utf8(deep), "deep.json").Problems.Select(p => p.ToString()));
        Assert.Equal(
            ["s.json: expected a MISP event ({\"Event\": …}) or a list of events, found a string; nothing was read"],
            reader.Read(MispFixtures.Utf8("\"Event\""), "s.json").Problems.Select(p => p.ToString()));
        Assert.Equal(
            ["o.json: uuid: the event has no uuid; expected the event's uuid (is this a MISP event?); the event was not read"],
            reader.Read(MispFixtures.Utf8("{\"type\": \"bundle\", \"objects\": []}"), "o.json").Problems.Select(p => p.ToString()));
        Assert.Equal(
            ["e.json: the file is empty; expected a MISP event ({\"Event\": …}) or a list of events"],
            reader.Read(MispFixtures.Utf8("  "), "e.json").Problems.Select(p => p.ToString()));
        Assert.Empty(catalog.Indicators);
    }

    [Fact]
    public void Huge_values_and_invalid_utf8_are_refused_and_the_rest_is_read()
    {
        var huge = new string('a', 1_000_000) + ".example";
        var json = Encoding.UTF8.GetBytes(Event(
            "5cd567a8-ed25-47c2-89e4-a22cf2ab7495",
            Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "domain", huge),
            Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "domain", "bad-UTF8.example"),
            Attribute("65233951-c795-4f54-9f01-783b0fb5bb8b", "ip-dst", "198.51.100.7")));
        var bad = json.AsSpan().IndexOf("UTF8"u8);
        json[bad] = 0xFF;

        var result = new MispEventReader(new IntelCatalog(), MispFixtures.Source()).Read(json, "huge.json");

        Assert.Equal(
            [
                "huge.json: Attribute[0].value: the domain value is 1,000,008 characters long; at most 2,048 are taken, so it was not read",
                "huge.json: Attribute[1].value: is not valid UTF-8 text",
            ],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal(1, result.Indicators);
    }

    [Fact]
    public void A_later_version_that_deletes_an_attribute_or_drops_to_ids_revokes_its_indicator()
    {
        var catalog = new IntelCatalog();
        var reader = new MispEventReader(catalog, MispFixtures.Source());
        reader.Read(MispFixtures.Utf8(Event(
            "5cd567a8-ed25-47c2-89e4-a22cf2ab7495",
            Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "198.51.100.7"),
            Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "ip-dst", "198.51.100.8"))), "v1.json");

        var v2 = Event(
            "5cd567a8-ed25-47c2-89e4-a22cf2ab7495",
            Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "198.51.100.7", extra: "\"deleted\": true, \"timestamp\": \"1615900000\""),
            Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "ip-dst", "198.51.100.8", toIds: false, extra: "\"timestamp\": \"1615900000\""));
        var result = reader.Read(MispFixtures.Utf8(v2), "v2.json");

        Assert.Equal((2, 1, 0), (result.Revoked, result.NotForDetection, result.Indicators));
        Assert.All(catalog.Indicators, i => Assert.True(i.Revoked));
        Assert.All(catalog.Indicators, i => Assert.Empty(i.Values));
    }

    [Fact]
    public void Last_seen_before_first_seen_keeps_the_indicator_without_an_end()
    {
        var json = Event(
            "5cd567a8-ed25-47c2-89e4-a22cf2ab7495",
            Attribute("7792d9be-4c19-4845-b6fb-b859cd1c6775", "ip-dst", "198.51.100.7", extra: "\"first_seen\": \"2021-03-05T00:00:00Z\", \"last_seen\": \"2021-03-01T00:00:00Z\""),
            Attribute("175b279a-2287-4df6-98b0-66a2c35d134c", "ip-dst", "198.51.100.8", extra: "\"first_seen\": \"2021-03-05T00:00:00Z\", \"last_seen\": \"2021-03-05T00:00:00Z\""));
        var catalog = new IntelCatalog();

        var result = new MispEventReader(catalog, MispFixtures.Source()).Read(MispFixtures.Utf8(json), "t.json");

        Assert.Equal(
            ["t.json: Attribute[0].last_seen: 2021-03-01T00:00:00.0000000+00:00 is before first_seen 2021-03-05T00:00:00.0000000+00:00; the indicator was kept without an end of validity"],
            result.Problems.Select(p => p.ToString()));
        Assert.Null(catalog.GetIndicator("misp-attribute--7792d9be-4c19-4845-b6fb-b859cd1c6775")!.ValidUntil);
        Assert.Equal(
            new DateTimeOffset(2021, 3, 5, 0, 0, 1, TimeSpan.Zero),
            catalog.GetIndicator("misp-attribute--175b279a-2287-4df6-98b0-66a2c35d134c")!.ValidUntil);
    }

    private static IntelCatalog Read()
    {
        var catalog = new IntelCatalog();
        var result = new MispEventReader(catalog, MispFixtures.Source()).ReadFile(MispFixtures.PathOf("hafnium-event.json"));
        Assert.Empty(result.Problems);
        return catalog;
    }

    private static List<(IocKind, string)> ValuesOf(IntelCatalog catalog, string attributeUuid) =>
        [.. catalog.GetIndicator($"misp-attribute--{attributeUuid}")!.Values.Select(v => (v.Kind, v.Value))];

    private static string Event(string uuid, params string[] attributes) =>
        $$"""{"uuid": "{{uuid}}", "info": "test event", "timestamp": "1615000000", "Attribute": [{{string.Join(",\n", attributes)}}]}""";

    private static string Attribute(string uuid, string type, string value, bool toIds = true, string? extra = null) =>
        $$"""{"uuid": "{{uuid}}", "type": "{{type}}", "category": "Network activity", "to_ids": {{(toIds ? "true" : "false")}}, "value": "{{value}}"{{(extra is null ? "" : ", " + extra)}}}""";
}
