using System.Text;
using System.Text.Json;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;
using static Bulwark.Core.Tests.Intel.Stix.StixFixtures;

namespace Bulwark.Core.Tests.Intel.Stix;

public sealed class StixReaderTests
{
    internal static IntelSource Feed { get; } = new("test-feed", IntelFormat.StixBundle) { DefaultTlp = Tlp.Clear, DefaultConfidence = 40 };

    internal static (IntelCatalog Catalog, StixReadResult Result) Read(string json, StixReadOptions? options = null) => Read(Encoding.UTF8.GetBytes(json), options);

    internal static (IntelCatalog Catalog, StixReadResult Result) Read(byte[] json, StixReadOptions? options = null)
    {
        var catalog = new IntelCatalog();
        var result = StixReader.Read(new MemoryStream(json), "feed.json", Feed, catalog, options);
        return (catalog, result);
    }

    [Fact]
    public void A_2_1_bundle_gives_every_object_it_holds()
    {
        var (catalog, result) = Read(Bundle21);

        Assert.Empty(catalog.Problems);
        Assert.Equal(0, result.Problems);
        Assert.True(result.Complete);
        Assert.Null(result.SpecVersion);
        Assert.Equal(22, result.Objects);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["indicator"] = 7,
                ["intrusion-set"] = 1,
                ["threat-actor"] = 1,
                ["campaign"] = 1,
                ["malware"] = 1,
                ["relationship"] = 2,
                ["observed-data"] = 1,
                ["sighting"] = 1,
                ["report"] = 1,
                ["identity"] = 1,
                ["marking-definition"] = 2,
            },
            result.Taken);
        Assert.Equal(new Dictionary<string, int> { ["x-example-note"] = 1, ["course-of-action"] = 1, ["ipv4-addr"] = 1 }, result.Skipped);
        Assert.Equal(1, result.Unindexable);
        Assert.Equal("test-feed", Assert.Single(catalog.Sources).Id);
    }

    [Fact]
    public void A_simple_pattern_gives_its_values_with_the_indicators_marking_confidence_and_validity()
    {
        var (catalog, _) = Read(Bundle21);

        var indicator = catalog.GetIndicator(Indicator1)!;
        Assert.Equal(("C2 addresses", "stix", false, Tlp.Green, 85, false), (indicator.Name, indicator.PatternType, indicator.Complex, indicator.Tlp, indicator.Confidence, indicator.Revoked));
        Assert.Equal(["malicious-activity"], indicator.Labels);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), indicator.ValidFrom);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), indicator.ValidUntil);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), indicator.Modified);
        Assert.Equal("[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value = '203.0.113.0/24']", indicator.Pattern!.ToString());
        Assert.Equal(
            [
                new IocIndicator(IocKind.IPv4, "198.51.100.7", "test-feed") { Tlp = Tlp.Green, Confidence = 85, ValidFrom = indicator.ValidFrom, ValidUntil = indicator.ValidUntil, Reference = Indicator1 },
                new IocIndicator(IocKind.CidrV4, "203.0.113.0/24", "test-feed") { Tlp = Tlp.Green, Confidence = 85, ValidFrom = indicator.ValidFrom, ValidUntil = indicator.ValidUntil, Reference = Indicator1 },
            ],
            indicator.Values);
    }

    [Fact]
    public void Complex_revoked_and_non_STIX_indicators_are_kept_as_they_are()
    {
        var (catalog, _) = Read(Bundle21);

        var complex = catalog.GetIndicator(Complex)!;
        Assert.True(complex.Complex);
        Assert.Equal((Tlp.Amber, 40), (complex.Tlp, complex.Confidence));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 22, 0, 0, TimeSpan.Zero), complex.ValidFrom);
        // Either side selects events for it; the URL is the rarer value, so the index holds it.
        Assert.Equal([(IocKind.Url, "https://evil.example/owa/auth/x.js")], complex.Values.Select(v => (v.Kind, v.Value)));

        var revoked = catalog.GetIndicator(Revoked)!;
        Assert.True(revoked.Revoked);
        Assert.Equal(Tlp.Red, revoked.Tlp);
        Assert.Equal([IocKind.Sha256, IocKind.Sha256], revoked.Values.Select(v => v.Kind));

        var yara = catalog.GetIndicator(Yara)!;
        Assert.Equal(("yara", null, Tlp.Clear), (yara.PatternType, yara.Pattern, yara.Tlp));
        Assert.Equal("rule webshell { strings: $a = \"eval(Request\" condition: $a }", yara.PatternText);
        Assert.Empty(yara.Values);

        Assert.Empty(catalog.GetIndicator(Unindexable)!.Values);
    }

    [Fact]
    public void A_file_name_in_a_directory_is_one_file_path_value()
    {
        var (catalog, _) = Read(Bundle21);

        var webShell = catalog.GetIndicator(WebShell)!;
        Assert.False(webShell.Complex);
        Assert.Equal([(IocKind.FilePath, @"C:\inetpub\wwwroot\aspnet_client\shell.aspx")], webShell.Values.Select(v => (v.Kind, v.Value)));
    }

    [Fact]
    public void A_marking_defined_after_its_use_still_sets_the_TLP_and_other_markings_are_not_TLP()
    {
        var (catalog, _) = Read(Bundle21);

        var marked = catalog.GetIndicator(MarkedLater)!;
        Assert.Equal(Tlp.AmberStrict, marked.Tlp);
        Assert.Equal([Tlp.AmberStrict], marked.Values.Select(v => v.Tlp));
    }

    [Fact]
    public void Named_objects_keep_aliases_external_ids_labels_and_references()
    {
        var (catalog, _) = Read(Bundle21);

        var group = catalog.GetObject(IntrusionSet)!;
        Assert.Equal(("intrusion-set", "Example Panda", "A test group.", 70, Tlp.Green), (group.Type, group.Name, group.Description, group.Confidence, group.Tlp));
        Assert.Equal(["Example Panda", "Storm-0000"], group.Aliases);
        Assert.Equal([new ExternalId(ExternalId.MitreAttack, "G9999")], group.ExternalIds);
        Assert.Equal(new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.Zero), group.Modified);

        Assert.Equal(["nation-state"], catalog.GetObject(ThreatActor)!.Labels);
        Assert.Equal("Operation Example", catalog.GetObject(Campaign)!.Name);
        var malware = catalog.GetObject(Malware)!;
        Assert.Equal(("China Chopper", Tlp.Clear), (malware.Name, malware.Tlp));
        Assert.Equal(["webshell"], malware.Labels);
        var report = catalog.GetObject(Report)!;
        Assert.Equal(["threat-actor"], report.Labels);
        Assert.Equal([Indicator1, IntrusionSet], report.ObjectRefs);
        Assert.Equal(["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"], catalog.GetObject(ObservedData)!.ObjectRefs);
        Assert.Equal("Example CERT", catalog.GetObject(Identity)!.Name);
    }

    [Fact]
    public void Relationships_and_sightings_link_their_objects()
    {
        var (catalog, _) = Read(Bundle21);

        Assert.Equal(3, catalog.Relationships.Count);
        Assert.Equal(
            new IntelRelationship(Indicates, Indicator1, "indicates", IntrusionSet, "test-feed") { Confidence = 60, Tlp = Tlp.Amber, Modified = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero) },
            catalog.Relationships.Single(r => r.Id == Indicates));
        Assert.Equal(
            new IntelRelationship(AttributedTo, Campaign, "attributed-to", IntrusionSet, "test-feed") { Tlp = Tlp.Clear, Revoked = true, Modified = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero) },
            catalog.Relationships.Single(r => r.Id == AttributedTo));
        Assert.Equal(
            new IntelRelationship(Sighting, Sighting, "sighting-of", Indicator1, "test-feed") { Confidence = 90, Tlp = Tlp.Clear, Modified = new DateTimeOffset(2024, 5, 9, 10, 0, 0, TimeSpan.Zero) },
            catalog.Relationships.Single(r => r.Id == Sighting));
        var sighting = catalog.GetObject(Sighting)!;
        Assert.Equal(("sighting", Sighting, 90), (sighting.Type, sighting.Name, sighting.Confidence));
        Assert.Equal([ObservedData], sighting.ObjectRefs);
    }

    [Fact]
    public void A_2_0_bundle_maps_labels_and_takes_TLP_from_its_own_marking_definitions()
    {
        var (catalog, result) = Read(Bundle20);

        Assert.Empty(catalog.Problems);
        Assert.Equal("2.0", result.SpecVersion);
        Assert.Equal(
            new Dictionary<string, int> { ["marking-definition"] = 2, ["indicator"] = 1, ["malware"] = 1, ["tool"] = 1, ["intrusion-set"] = 1, ["relationship"] = 1, ["report"] = 1 },
            result.Taken);
        var indicator = Assert.Single(catalog.Indicators);
        Assert.Equal(("stix", Tlp.Amber, 40), (indicator.PatternType, indicator.Tlp, indicator.Confidence));
        Assert.Equal(["malicious-activity"], indicator.Labels);
        Assert.Equal([(IocKind.Url, "http://evil.example/owa/auth/logon.aspx")], indicator.Values.Select(v => (v.Kind, v.Value)));
        var malware = catalog.GetObject("malware--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a")!;
        Assert.Equal((Tlp.Green, "China Chopper"), (malware.Tlp, malware.Name));
        Assert.Equal(["malware"], malware.Labels);
        Assert.Equal(["China Chopper"], malware.Aliases);
        Assert.Equal([new ExternalId(ExternalId.MitreAttack, "S0020")], malware.ExternalIds);
        Assert.Equal(["Mimikatz"], catalog.GetObject("tool--4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b")!.Aliases);
        var group = catalog.GetObject("intrusion-set--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c")!;
        Assert.Equal((true, false), (group.Deprecated, group.Revoked));
        Assert.Equal(["threat-report"], catalog.GetObject("report--7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e")!.Labels);
        Assert.Equal("uses", Assert.Single(catalog.Relationships).Type);
    }

    [Fact]
    public void The_latest_modified_version_of_an_object_wins_whatever_the_order()
    {
        var bundle = """
            {"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": [
              {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
               "created": "2024-01-01T00:00:00Z", "modified": "2024-02-01T00:00:00Z", "name": "Second"},
              {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
               "created": "2024-01-01T00:00:00Z", "modified": "2024-01-15T00:00:00Z", "name": "First"}
            ]}
            """;

        var (catalog, result) = Read(bundle);

        Assert.Equal(2, result.TakenOf("intrusion-set"));
        Assert.Equal("Second", Assert.Single(catalog.Objects).Name);
    }

    [Fact]
    public void TAXII_pages_are_read_as_parsed_objects_and_keep_marking_definitions_across_pages()
    {
        var catalog = new IntelCatalog();
        var reader = new StixReader(Feed, catalog);
        using var page1 = JsonDocument.Parse("""
            {"more": true, "objects": [{"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--3c1f4a5b-6d7e-4f80-9a1b-2c3d4e5f6a7b",
              "created": "2024-01-01T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:RED", "definition": {"tlp": "red"}}]}
            """);
        using var page2 = JsonDocument.Parse("""
            {"more": false, "objects": [{"type": "indicator", "spec_version": "2.1", "id": "indicator--9f3c2b1a-0e4d-4c5b-8a69-7b8c9d0e1f2a",
              "created": "2024-05-05T10:00:00.000Z", "modified": "2024-05-05T10:00:00.000Z", "pattern": "[domain-name:value = 'evil.example']",
              "pattern_type": "stix", "valid_from": "2024-05-05T00:00:00Z", "object_marking_refs": ["marking-definition--3c1f4a5b-6d7e-4f80-9a1b-2c3d4e5f6a7b"]}]}
            """);

        var first = reader.ReadObjects(page1.RootElement.GetProperty("objects"), "taxii page 1");
        var second = reader.ReadObjects(page2.RootElement.GetProperty("objects"), "taxii page 2");

        Assert.Equal((1, 1), (first.TakenOf("marking-definition"), second.TakenOf("indicator")));
        Assert.Equal(Tlp.Red, Assert.Single(catalog.Indicators).Tlp);
        Assert.Empty(catalog.Problems);
    }

    [Fact]
    public void TAXII_objects_that_are_not_an_array_are_a_problem()
    {
        var catalog = new IntelCatalog();
        using var envelope = JsonDocument.Parse("""{"objects": {"type": "indicator"}}""");

        var result = StixReader.ReadObjects(envelope.RootElement.GetProperty("objects"), "taxii page", Feed, catalog);

        Assert.Equal(1, result.Problems);
        Assert.Equal("taxii page: objects: expected an array of STIX objects, found an object", Assert.Single(catalog.Problems).ToString());
    }

    [Fact]
    public async Task Reading_asynchronously_gives_the_same_as_reading_synchronously()
    {
        var catalog = new IntelCatalog();
        var reader = new StixReader(Feed, catalog);

        var result = await reader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Bundle21)), "feed.json", TestContext.Current.CancellationToken);

        Assert.Equal(Read(Bundle21).Result.Taken, result.Taken);
        Assert.Equal(Tlp.AmberStrict, catalog.GetIndicator(MarkedLater)!.Tlp);
    }

    [Fact]
    public void A_stream_that_gives_one_byte_at_a_time_reads_the_same_as_a_whole_buffer()
    {
        var whole = Read(Bundle21);
        var catalog = new IntelCatalog();

        var result = StixReader.Read(new TrickleStream(Encoding.UTF8.GetBytes(Bundle21)), "feed.json", Feed, catalog, new StixReadOptions { BufferBytes = 256 });

        Assert.Equal(whole.Result.Taken, result.Taken);
        Assert.Equal(whole.Result.Skipped, result.Skipped);
        Assert.Empty(catalog.Problems);
        Assert.Equal(whole.Catalog.Indicators.OrderBy(i => i.Id).Select(i => i with { Pattern = null }), catalog.Indicators.OrderBy(i => i.Id).Select(i => i with { Pattern = null }), new IndicatorComparer());
    }

    [Theory]
    [InlineData("2021-03-02T10:07:29.042Z", "2021-03-02T10:07:29.0420000+00:00")]
    [InlineData("2021-03-02T10:07:29Z", "2021-03-02T10:07:29.0000000+00:00")]
    [InlineData("2021-03-05T10:07:29.0421232999Z", "2021-03-05T10:07:29.0421232+00:00")]
    [InlineData("2021-03-02t10:07:29z", "2021-03-02T10:07:29.0000000+00:00")]
    [InlineData("2021-03-02T12:07:29+02:00", "2021-03-02T10:07:29.0000000+00:00")]
    public void Timestamps_are_RFC_3339(string text, string utc)
    {
        Assert.True(StixTimestamp.TryParse(text, out var value));
        Assert.Equal(utc, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2022-101-27T13:49:54.326Z")]
    [InlineData("2021-03-02")]
    [InlineData("2021-03-02T10:07:29")]
    [InlineData("2021-02-30T10:07:29Z")]
    [InlineData("2021-03-02T24:00:00Z")]
    [InlineData("2021-03-02T10:07:29.Z")]
    [InlineData("2021-03-02 10:07:29Z")]
    [InlineData("2021-03-02T10:07:29+0200")]
    public void Anything_else_is_not_a_timestamp(string text)
    {
        Assert.False(StixTimestamp.TryParse(text, out _));
    }

    /// <summary>Indicators compared by content, their value lists by element.</summary>
    private sealed class IndicatorComparer : IEqualityComparer<IntelIndicator>
    {
        public bool Equals(IntelIndicator? x, IntelIndicator? y) =>
            x is not null && y is not null && x.Values.SequenceEqual(y.Values) && x.Labels.SequenceEqual(y.Labels)
            && x with { Values = [], Labels = [] } == y with { Values = [], Labels = [] };

        public int GetHashCode(IntelIndicator obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
