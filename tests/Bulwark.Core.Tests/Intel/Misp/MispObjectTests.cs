using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Tests.Detection.Files;

namespace Bulwark.Core.Tests.Intel.Misp;

/// <summary>
/// MISP objects: a file, url or email object is one indicator whose pattern needs its keys together (the index holds
/// the rarest, the evaluator confirms the rest); domain-ip and ip-port objects are lists (each entry on its own);
/// malformed objects are problems and the rest of the import goes on.
/// </summary>
public sealed class MispObjectTests
{
    private const string EventUuid = "5cd567a8-ed25-47c2-89e4-a22cf2ab7495";
    private const string ObjectUuid = "8ce4689a-6d51-404c-b1d7-37a50f36a5ac";
    private const string ObjectId = "misp-object--" + ObjectUuid;
    private const string WebShell = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"exec_code\"],\"unsafe\");%>";

    private static readonly string WebShellSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WebShell)));

    [Fact]
    public void A_file_object_with_name_and_hash_is_one_indicator_that_needs_both()
    {
        var json = Event(Object("file", ObjectUuid,
            Attribute(1, "filename", "filename", "supp0rt.aspx"),
            Attribute(2, "sha256", "sha256", WebShellSha256.ToUpperInvariant())));

        var (catalog, result) = Read(json);

        Assert.Empty(result.Problems);
        Assert.Equal(1, result.Indicators);
        var indicator = Assert.Single(catalog.Indicators);
        Assert.Equal(ObjectId, indicator.Id);
        Assert.Equal(("stix", $"[file:hashes.'SHA-256' = '{WebShellSha256}' AND file:name = 'supp0rt.aspx']", true), (indicator.PatternType, indicator.PatternText, indicator.Complex));
        Assert.Equal([(IocKind.Sha256, WebShellSha256)], indicator.Values.Select(v => (v.Kind, v.Value)));
        Assert.Equal(["Payload delivery", "misp-object:file"], indicator.Labels);

        // The index selects by the hash alone; a file of that name with other content is no hit at all.
        var intel = IntelSet.Build(catalog);
        Assert.Single(intel.Find(WebShellSha256));
        Assert.Empty(intel.Find("supp0rt.aspx"));

        // The evaluator confirms the name: same content under another name is not this object.
        Assert.True(PatternEvaluator.TryCreate(indicator.Pattern!, out var evaluator, out _));
        Assert.True(evaluator.Match([EventObservations.FromFile(FileFactsBuilder.Of("inetpub/wwwroot/aspnet_client/supp0rt.aspx", WebShell))]).IsMatch);
        Assert.False(evaluator.Match([EventObservations.FromFile(FileFactsBuilder.Of("inetpub/wwwroot/aspnet_client/other.aspx", WebShell))]).IsMatch);
        Assert.False(evaluator.Match([EventObservations.FromFile(FileFactsBuilder.Of("inetpub/wwwroot/aspnet_client/supp0rt.aspx", "harmless"))]).IsMatch);
    }

    [Fact]
    public void The_strongest_hash_stands_for_the_file_and_several_names_are_alternatives()
    {
        var json = Event(
            Object("file", ObjectUuid,
                Attribute(1, "md5", "md5", "b75f163ca9b9240bf4b37ad92bc7556b"),
                Attribute(2, "sha1", "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                Attribute(3, "sha256", "sha256", WebShellSha256),
                Attribute(4, "filename", "filename", "errorEE.aspx"),
                Attribute(5, "filename", "filename", "errorFF.aspx")),
            Object("file", "9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                Attribute(6, "md5", "md5", "D41D8CD98F00B204E9800998ECF8427E"),
                Attribute(7, "filename", "filename", "x.aspx")),
            Object("file", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
                Attribute(8, "malware-sample", "malware-sample", "update.exe|b75f163ca9b9240bf4b37ad92bc7556b"),
                Attribute(9, "sha256", "sha256", WebShellSha256)),
            Object("file", "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
                Attribute(10, "malware-sample", "malware-sample", "update.exe|b75f163ca9b9240bf4b37ad92bc7556b")));

        var (catalog, result) = Read(json);

        Assert.Empty(result.Problems);
        var first = catalog.GetIndicator(ObjectId)!;
        Assert.Equal($"[file:hashes.'SHA-256' = '{WebShellSha256}' AND file:name IN ('errorEE.aspx', 'errorFF.aspx')]", first.PatternText);
        Assert.Equal([(IocKind.Sha256, WebShellSha256)], first.Values.Select(v => (v.Kind, v.Value)));
        var second = catalog.GetIndicator("misp-object--9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d")!;
        Assert.Equal("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:name = 'x.aspx']", second.PatternText);
        Assert.Equal([(IocKind.Md5, "d41d8cd98f00b204e9800998ecf8427e")], second.Values.Select(v => (v.Kind, v.Value)));
        // A malware sample is its MD5 and name; a SHA-256 beside it stands for the content instead of the MD5.
        Assert.Equal($"[file:hashes.'SHA-256' = '{WebShellSha256}' AND file:name = 'update.exe']", catalog.GetIndicator("misp-object--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e")!.PatternText);
        Assert.Equal("[file:hashes.MD5 = 'b75f163ca9b9240bf4b37ad92bc7556b' AND file:name = 'update.exe']", catalog.GetIndicator("misp-object--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f")!.PatternText);
        Assert.Equal(4, catalog.Indicators.Count);
    }

    [Fact]
    public void A_path_in_a_file_object_is_matched_on_its_own_and_a_single_key_is_a_simple_indicator()
    {
        var json = Event(Object("file", ObjectUuid,
            Attribute(1, "filename", "filename", @"C:\inetpub\wwwroot\aspnet_client\supp0rt.aspx"),
            Attribute(2, "sha256", "sha256", WebShellSha256)));

        var (catalog, _) = Read(json);

        var file = catalog.GetIndicator(ObjectId)!;
        Assert.Equal(($"[file:hashes.'SHA-256' = '{WebShellSha256}']", false), (file.PatternText, file.Complex));
        Assert.Equal(
            [(IocKind.FilePath, @"C:\inetpub\wwwroot\aspnet_client\supp0rt.aspx")],
            catalog.GetIndicator(AttributeId(1))!.Values.Select(v => (v.Kind, v.Value)));
    }

    [Fact]
    public void A_url_object_is_its_url_its_parts_are_covered_and_its_address_is_its_own()
    {
        var json = Event(
            Object("url", ObjectUuid,
                Attribute(1, "url", "url", "hxxp://owa-update[.]example/owa/auth/errorEE.aspx"),
                Attribute(2, "domain", "domain", "owa-update.example"),
                Attribute(3, "host", "hostname", "owa-update.example"),
                Attribute(4, "resource_path", "text", "/owa/auth/errorEE.aspx"),
                Attribute(5, "ip", "ip-dst", "203.0.113.17")),
            Object("url", "9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                Attribute(6, "url", "url", "http://mail-sync.example/x", toIds: false),
                Attribute(7, "domain", "domain", "mail-sync.example")));

        var (catalog, result) = Read(json);

        Assert.Empty(result.Problems);
        var url = catalog.GetIndicator(ObjectId)!;
        Assert.Equal(("[url:value = 'http://owa-update.example/owa/auth/errorEE.aspx']", false), (url.PatternText, url.Complex));
        Assert.Equal([(IocKind.Url, "http://owa-update.example/owa/auth/errorEE.aspx")], url.Values.Select(v => (v.Kind, v.Value)));
        Assert.Equal([(IocKind.IPv4, "203.0.113.17")], catalog.GetIndicator(AttributeId(5))!.Values.Select(v => (v.Kind, v.Value)));
        // Without a to_ids url, the object's domain is what the producer marked for detection: on its own.
        Assert.Equal([(IocKind.Domain, "mail-sync.example")], catalog.GetIndicator(AttributeId(7))!.Values.Select(v => (v.Kind, v.Value)));
        Assert.Equal(
            [AttributeId(5), AttributeId(7), ObjectId],
            catalog.Indicators.Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["text"] = 1 }, result.UnsupportedTypes);
        Assert.Null(catalog.GetIndicator("misp-object--9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
    }

    [Fact]
    public void Domain_ip_and_ip_port_objects_are_lists_whose_entries_are_indicators_on_their_own()
    {
        var json = Event(
            Object("domain-ip", ObjectUuid,
                Attribute(1, "domain", "domain", "owa-update.example"),
                Attribute(2, "ip", "ip-dst", "203.0.113.17"),
                Attribute(3, "ip", "ip-dst", "203.0.113.18")),
            Object("ip-port", "9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                Attribute(4, "ip", "ip-dst", "5.254.43.18"),
                Attribute(5, "dst-port", "port", "443")));

        var (catalog, result) = Read(json);

        Assert.Empty(result.Problems);
        Assert.Equal(4, result.Indicators);
        Assert.Equal(
            [
                (AttributeId(1), IocKind.Domain, "owa-update.example"),
                (AttributeId(2), IocKind.IPv4, "203.0.113.17"),
                (AttributeId(3), IocKind.IPv4, "203.0.113.18"),
                (AttributeId(4), IocKind.IPv4, "5.254.43.18"),
            ],
            catalog.Indicators.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => (i.Id, Assert.Single(i.Values).Kind, i.Values[0].Value)));
        Assert.Equal(["Network activity", "ip-dst", "misp-object:domain-ip"], catalog.GetIndicator(AttributeId(2))!.Labels);
        Assert.Equal(new Dictionary<string, int> { ["port"] = 1 }, result.UnsupportedTypes);
    }

    [Fact]
    public void An_email_object_is_one_message_selected_by_its_sender_and_confirmed_by_the_rest()
    {
        var json = Event(
            Object("email", ObjectUuid,
                Attribute(1, "subject", "email-subject", "Mailbox quota: action needed"),
                Attribute(2, "from", "email-src", "exchange-admin@owa-update.example"),
                Attribute(3, "to", "email-dst", "press@parti.example"),
                Attribute(4, "to", "email-dst", "it@parti.example"),
                Attribute(5, "reply-to", "email-reply-to", "it's-me@owa-update.example")),
            Object("email", "9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                Attribute(6, "subject", "email-subject", "Invoice"),
                Attribute(7, "x-mailer", "email-x-mailer", "Microsoft Outlook 16.0")));

        var (catalog, result) = Read(json);

        Assert.Empty(result.Problems);
        var email = Assert.Single(catalog.Indicators);
        Assert.Equal(
            "[email-message:from_ref.value = 'exchange-admin@owa-update.example' AND "
            + "email-message:to_refs[*].value = 'press@parti.example' AND email-message:to_refs[*].value = 'it@parti.example' AND "
            + "email-message:additional_header_fields.'Reply-To' = 'it\\'s-me@owa-update.example' AND email-message:subject = 'Mailbox quota: action needed']",
            email.PatternText);
        Assert.True(email.Complex);
        Assert.Equal([(IocKind.Email, "exchange-admin@owa-update.example")], email.Values.Select(v => (v.Kind, v.Value)));
        // A web request is not a message: the sender logging in is not this e-mail.
        Assert.True(PatternEvaluator.TryCreate(email.Pattern!, out var evaluator, out _));
        Assert.False(evaluator.Match([new Observation(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, ("0", new ObservedObject("email-addr", ("value", "exchange-admin@owa-update.example"))))]).IsMatch);
        // An object of only subject and mailer has nothing the index can hold: counted, not an indicator.
        Assert.Equal(new Dictionary<string, int> { ["email-subject"] = 1, ["email-x-mailer"] = 1 }, result.UnsupportedTypes);
    }

    [Fact]
    public void The_object_indicator_takes_the_strictest_tlp_the_lowest_confidence_and_the_event_clusters()
    {
        var json = Event(
            [
                ObjectWith(
                    "file",
                    ObjectUuid,
                    "\"comment\": \"Web shell dropped after ProxyLogon\", \"first_seen\": \"2021-01-06T00:00:00Z\", \"last_seen\": \"2021-03-03T00:00:00Z\", \"distribution\": \"1\"",
                    Attribute(1, "filename", "filename", "supp0rt.aspx", extra: "\"Tag\": [{\"name\": \"tlp:red\"}], \"timestamp\": \"1615300000\""),
                    Attribute(2, "sha256", "sha256", WebShellSha256, extra: "\"Tag\": [{\"name\": \"misp:confidence-level=\\\"rarely-confident\\\"\"}]")),
            ],
            null,
            "\"Tag\": [{\"name\": \"tlp:green\"}, {\"name\": \"misp-galaxy:threat-actor=\\\"HAFNIUM\\\"\"}]");

        var (catalog, result) = Read(json);

        Assert.Empty(result.Problems);
        var file = catalog.GetIndicator(ObjectId)!;
        Assert.Equal(Tlp.Red, file.Tlp);
        Assert.Equal(Tlp.Red, Assert.Single(file.Values).Tlp);
        Assert.Equal(25, file.Confidence);
        Assert.Equal("Web shell dropped after ProxyLogon", file.Description);
        Assert.Equal((new DateTimeOffset(2021, 1, 6, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 3, 3, 0, 0, 0, TimeSpan.Zero)), (file.ValidFrom, file.ValidUntil));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1615300000), file.Modified);
        Assert.Equal(["Payload delivery", "misp-object:file", "distribution:this-community"], file.Labels);
        var indicates = Assert.Single(catalog.Relationships);
        Assert.Equal((ObjectId, "indicates", "misp-galaxy:threat-actor=\"HAFNIUM\"", Tlp.Red), (indicates.SourceRef, indicates.Type, indicates.TargetRef, indicates.Tlp));
        Assert.Contains(ObjectId, catalog.GetObject($"report--{EventUuid}")!.ObjectRefs);
    }

    [Fact]
    public void A_later_version_rebuilds_the_object_indicator_and_deleting_the_object_revokes_it()
    {
        var catalog = new IntelCatalog();
        var reader = new MispEventReader(catalog, MispFixtures.Source());
        reader.Read(MispFixtures.Utf8(Event(Object("file", ObjectUuid,
            Attribute(1, "filename", "filename", "supp0rt.aspx"),
            Attribute(2, "sha256", "sha256", WebShellSha256)))), "v1.json");

        reader.Read(MispFixtures.Utf8(Event(ObjectWith("file", ObjectUuid, "\"timestamp\": \"1615900000\"",
            Attribute(1, "filename", "filename", "supp0rt.aspx", toIds: false),
            Attribute(2, "sha256", "sha256", WebShellSha256)))), "v2.json");
        var v2 = catalog.GetIndicator(ObjectId)!;
        var v3 = reader.Read(MispFixtures.Utf8(Event(ObjectWith("file", ObjectUuid, "\"timestamp\": \"1616000000\", \"deleted\": true",
            Attribute(1, "filename", "filename", "supp0rt.aspx"),
            Attribute(2, "sha256", "sha256", WebShellSha256)))), "v3.json");

        Assert.Equal(($"[file:hashes.'SHA-256' = '{WebShellSha256}']", false, false), (v2.PatternText, v2.Complex, v2.Revoked));
        Assert.Equal(1, v3.Revoked);
        var revoked = catalog.GetIndicator(ObjectId)!;
        Assert.True(revoked.Revoked);
        Assert.Empty(revoked.Values);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1616000000), revoked.Modified);
    }

    [Fact]
    public void Malformed_objects_are_problems_naming_where_and_the_import_goes_on()
    {
        var json = Event(
            [
                Object(null, "9d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                    Attribute(1, "sha256", "sha256", WebShellSha256),
                    Attribute(2, "filename", "filename", "supp0rt.aspx")),
                Object("file", ObjectUuid,
                    Attribute(3, "filename", "filename", null),
                    Attribute(4, "sha256", "ip-dst", "203.0.113.9"),
                    Attribute(5, null, "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                    Attribute(6, "sha256", "sha256", WebShellSha256),
                    Attribute(7, "filename", "filename", "errorEE.aspx")),
                "{\"name\": 5, \"uuid\": \"1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e\", \"Attribute\": []}",
                "{\"name\": \"url\", \"Attribute\": [" + Attribute(8, "url", "url", "http://evil.example/a") + ", " + Attribute(9, "domain", "domain", "evil.example") + "]}",
                "{\"name\": \"email\", \"uuid\": \"2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f\", \"Attribute\": {\"from\": \"x@evil.example\"}}",
                Object("domain-ip", "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
                    Attribute(10, "ip", "domain", "evil-cdn.example"),
                    Attribute(11, "ip", "ip-dst", "not-an-address")),
            ],
            Attribute(12, null, "ip-dst", "198.51.100.7"),
            null);

        var (catalog, result) = Read(json);

        Assert.Equal(
            [
                "objects.json: Event.Object[0].name: the object names no template, so what its attributes mean together is unknown; they were read one by one",
                "objects.json: Event.Object[1].Attribute[0].value: the filename attribute has no value; it was not read",
                "objects.json: Event.Object[1].Attribute[1].type: the file template gives 'sha256' the type 'sha256', found 'ip-dst'; the attribute was read on its own",
                "objects.json: Event.Object[1].Attribute[2].object_relation: the attribute has no object_relation, so its place in the file object is unknown; it was read on its own",
                "objects.json: Event.Object[2].name: expected a string, found the number '5'",
                "objects.json: Event.Object[3].uuid: the object has no uuid, which the url object's indicator id needs; its attributes were read one by one",
                "objects.json: Event.Object[4].Attribute: expected an array of attributes, found an object; no attributes were read from it",
                "objects.json: Event.Object[5].Attribute[0].type: the domain-ip template gives 'ip' the type 'ip-dst' or 'ip-src', found 'domain'; the attribute was read on its own",
                "objects.json: Event.Object[5].Attribute[1].value: 'not-an-address' is not an IP address or CIDR range, as type 'ip-dst' needs; the attribute was not read",
            ],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal(
            [
                (AttributeId(1), "sha256:" + WebShellSha256),
                (AttributeId(2), "filename:supp0rt.aspx"),
                (AttributeId(4), "ip-dst:203.0.113.9"),
                (AttributeId(5), "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                (AttributeId(8), "url:http://evil.example/a"),
                (AttributeId(9), "domain:evil.example"),
                (AttributeId(10), "domain:evil-cdn.example"),
                (AttributeId(12), "ip-dst:198.51.100.7"),
                (ObjectId, $"[file:hashes.'SHA-256' = '{WebShellSha256}' AND file:name = 'errorEE.aspx']"),
            ],
            catalog.Indicators.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => (i.Id, i.PatternText)));
        Assert.Equal((1, 9), (result.Events, result.Indicators));
    }

    private static (IntelCatalog Catalog, MispReadResult Result) Read(string json)
    {
        var catalog = new IntelCatalog();
        var result = new MispEventReader(catalog, MispFixtures.Source()).Read(MispFixtures.Utf8(json), "objects.json");
        return (catalog, result);
    }

    private static string AttributeId(int n) => $"misp-attribute--{Uuid(n)}";

    private static string Uuid(int n) => string.Create(CultureInfo.InvariantCulture, $"a0000000-0000-4000-8000-{n:D12}");

    private static string Event(params string[] objects) => Event(objects, null, null);

    private static string Event(string[] objects, string? attribute, string? eventTags) =>
        "{\"Event\": {\"uuid\": \"" + EventUuid + "\", \"info\": \"objects\", \"timestamp\": \"1615000000\"" + (eventTags is null ? "" : ", " + eventTags)
        + ", \"Attribute\": [" + attribute + "], \"Object\": [" + string.Join(",\n", objects) + "]}}";

    private static string Object(string? name, string uuid, params string[] attributes) => ObjectWith(name, uuid, null, attributes);

    /// <param name="extra">More members of the object; a timestamp there replaces the default one.</param>
    private static string ObjectWith(string? name, string uuid, string? extra, params string[] attributes)
    {
        var members = new List<string>();
        if (name is not null)
        {
            members.Add($"\"name\": \"{name}\"");
        }

        members.Add($"\"meta-category\": \"file\", \"uuid\": \"{uuid}\"");
        if (extra?.Contains("\"timestamp\"", StringComparison.Ordinal) != true)
        {
            members.Add("\"timestamp\": \"1615000000\"");
        }

        if (extra is not null)
        {
            members.Add(extra);
        }

        members.Add($"\"Attribute\": [{string.Join(", ", attributes)}]");
        return "{" + string.Join(", ", members) + "}";
    }

    private static string Attribute(int n, string? relation, string type, string? value, bool toIds = true, string? extra = null)
    {
        var category = type is "sha256" or "sha1" or "md5" or "filename" ? "Payload delivery" : "Network activity";
        var escaped = value?.Replace("\\", "\\\\", StringComparison.Ordinal);
        return $$"""{"uuid": "{{Uuid(n)}}", "type": "{{type}}", "category": "{{category}}", "to_ids": {{(toIds ? "true" : "false")}}{{(relation is null ? "" : $", \"object_relation\": \"{relation}\"")}}{{(escaped is null ? "" : $", \"value\": \"{escaped}\"")}}, "timestamp": "1615000000"{{(extra is null ? "" : ", " + extra)}}}""";
    }
}
