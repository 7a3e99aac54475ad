using System.Globalization;
using System.Text;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;

namespace Bulwark.Core.Tests.Intel.Stix;

/// <summary>
/// Granular TLP markings make an object at least as strict as the marking on what Bulwark keeps of it (never looser);
/// markings whose scope cannot be told cover the whole object; custom properties and extensions are passed over and
/// not kept, malformed ones are problems with their place.
/// </summary>
public sealed class StixGranularMarkingTests
{
    private const string Red = TlpMarkings.Tlp2Red;
    private const string Green = TlpMarkings.Tlp2Green;
    private const string Unknown = "marking-definition--0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private const string PartnerRed = "marking-definition--7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";

    private static readonly IntelSource Amber = new("granular-feed", IntelFormat.StixBundle) { DefaultTlp = Tlp.Amber, DefaultConfidence = 60 };

    [Theory]
    [InlineData("pattern", Tlp.Red)]
    [InlineData("name", Tlp.Red)]
    [InlineData("description", Tlp.Red)]
    [InlineData("valid_from", Tlp.Red)]
    [InlineData("indicator_types.[0]", Tlp.Red)]
    [InlineData("id", Tlp.Red)]
    [InlineData("kill_chain_phases.[0].phase_name", Tlp.Green)]
    [InlineData("external_references.[0].url", Tlp.Green)]
    [InlineData("x_partner_note", Tlp.Green)]
    public void A_tlp_red_granular_marking_raises_the_indicator_only_when_it_marks_what_bulwark_keeps(string selector, Tlp expected)
    {
        var (catalog, _) = Read(Bundle(Indicator(1, objectMarking: Green, granular: Granular(Red, selector))));

        var indicator = catalog.GetIndicator(Id(1))!;
        Assert.Empty(Problems(catalog));
        Assert.Equal(expected, indicator.Tlp);
        Assert.Equal(expected, Assert.Single(indicator.Values).Tlp);
    }

    [Fact]
    public void A_granular_marking_never_makes_an_object_looser_than_its_own_or_the_default()
    {
        var (catalog, _) = Read(Bundle(
            Indicator(1, objectMarking: TlpMarkings.Tlp2AmberStrict, granular: Granular(TlpMarkings.Tlp2Clear, "pattern")),
            Indicator(2, granular: Granular(Green, "pattern", "description")),
            Indicator(3, granular: Granular(TlpMarkings.Tlp1Red, "pattern") + ", " + Granular(Green, "name"))));

        Assert.Empty(Problems(catalog));
        Assert.Equal(Tlp.AmberStrict, catalog.GetIndicator(Id(1))!.Tlp);
        Assert.Equal(Tlp.Amber, catalog.GetIndicator(Id(2))!.Tlp); // unmarked: the source's AMBER, not the marking's GREEN
        Assert.Equal(Tlp.Red, catalog.GetIndicator(Id(3))!.Tlp);
    }

    [Fact]
    public void A_marking_defined_later_in_the_bundle_is_applied_once_it_is_read()
    {
        var partnerRed = $$"""{"type": "marking-definition", "spec_version": "2.1", "id": "{{PartnerRed}}", "created": "2024-05-01T00:00:00.000Z", "definition_type": "tlp", "definition": {"tlp": "red"} }""";

        var (catalog, _) = Read(Bundle(Indicator(1, objectMarking: Green, granular: Granular(PartnerRed, "pattern")), partnerRed));

        Assert.Empty(Problems(catalog));
        Assert.Equal(Tlp.Red, catalog.GetIndicator(Id(1))!.Tlp);
    }

    [Fact]
    public void A_marking_ref_to_an_unknown_definition_is_not_tlp_and_changes_nothing()
    {
        var (catalog, _) = Read(Bundle(
            Indicator(1, objectMarking: Green, granular: Granular(Unknown, "pattern")),
            Indicator(2, granular: Granular(Unknown, "pattern"))));

        Assert.Empty(Problems(catalog));
        Assert.Equal(Tlp.Green, catalog.GetIndicator(Id(1))!.Tlp);
        Assert.Equal(Tlp.Amber, catalog.GetIndicator(Id(2))!.Tlp);
    }

    [Fact]
    public void A_selector_pointing_nowhere_is_a_problem_and_the_marking_covers_the_whole_object()
    {
        var (catalog, _) = Read(Bundle(
            Indicator(1, objectMarking: Green, granular: Granular(Red, "descriptoin")),
            Indicator(2, objectMarking: Green, granular: Granular(Red, "external_references.[5].url")),
            Indicator(3, objectMarking: Green, granular: Granular(Red, "pattern.[0]")),
            Indicator(4, objectMarking: Green, granular: Granular(Red, "kill_chain_phases..phase_name")),
            Indicator(5, objectMarking: Green, granular: Granular(TlpMarkings.Tlp2Amber, "kill_chain_phases.[0]", "nowhere"))));

        Assert.Equal(
            [
                "feed.json: objects[0].granular_markings[0].selectors[0] (object at line 2): \"descriptoin\" selects nothing in this object; the marking was applied to the whole object",
                "feed.json: objects[1].granular_markings[0].selectors[0] (object at line 3): \"external_references.[5].url\" selects nothing in this object; the marking was applied to the whole object",
                "feed.json: objects[2].granular_markings[0].selectors[0] (object at line 4): \"pattern.[0]\" selects nothing in this object; the marking was applied to the whole object",
                "feed.json: objects[3].granular_markings[0].selectors[0] (object at line 5): \"kill_chain_phases..phase_name\" selects nothing in this object; the marking was applied to the whole object",
                "feed.json: objects[4].granular_markings[0].selectors[1] (object at line 6): \"nowhere\" selects nothing in this object; the marking was applied to the whole object",
            ],
            Problems(catalog));
        Assert.Equal([Tlp.Red, Tlp.Red, Tlp.Red, Tlp.Red, Tlp.Amber], Enumerable.Range(1, 5).Select(n => catalog.GetIndicator(Id(n))!.Tlp));
    }

    [Fact]
    public void Malformed_granular_markings_are_problems_with_their_place_and_the_object_is_still_taken()
    {
        var (catalog, result) = Read(Bundle(
            Indicator(1, objectMarking: Green, granular: "5", raw: true),
            Indicator(2, objectMarking: Green, granular: $$"""["red", {"selectors": ["pattern"]}, {"lang": "fr", "selectors": ["description"]}, {"marking_ref": "tlp-red", "selectors": ["pattern"]}, {"marking_ref": 7, "selectors": ["pattern"]}]""", raw: true),
            Indicator(3, objectMarking: Green, granular: $$"""{"marking_ref": "{{Red}}"}"""),
            Indicator(4, objectMarking: Green, granular: $$"""{"marking_ref": "{{Red}}", "selectors": []}"""),
            Indicator(5, objectMarking: Green, granular: $$"""{"marking_ref": "{{Red}}", "selectors": "pattern"}"""),
            Indicator(6, objectMarking: Green, granular: $$"""{"marking_ref": "{{Red}}", "selectors": [42, "kill_chain_phases"]}""")));

        Assert.Equal(
            [
                "feed.json: objects[0].granular_markings (object at line 2): expected an array of granular markings, found a number; ignored",
                "feed.json: objects[1].granular_markings[0] (object at line 3): expected a granular marking (an object with marking_ref and selectors), found a string; ignored",
                "feed.json: objects[1].granular_markings[1] (object at line 3): has neither marking_ref nor lang; ignored",
                "feed.json: objects[1].granular_markings[3].marking_ref (object at line 3): expected a marking-definition id (\"marking-definition--\" followed by a lower-case UUID), found \"tlp-red\"; ignored",
                "feed.json: objects[1].granular_markings[4].marking_ref (object at line 3): expected a marking-definition id (\"marking-definition--\" followed by a lower-case UUID), found a number; ignored",
                "feed.json: objects[2].granular_markings[0].selectors (object at line 4): missing: expected a list of selectors naming the marked properties; the marking was applied to the whole object",
                "feed.json: objects[3].granular_markings[0].selectors (object at line 5): expected a non-empty list of selectors, found an empty array; the marking was applied to the whole object",
                "feed.json: objects[4].granular_markings[0].selectors (object at line 6): expected a non-empty list of selectors, found a string; the marking was applied to the whole object",
                "feed.json: objects[5].granular_markings[0].selectors[0] (object at line 7): expected a selector string such as \"pattern\", found a number; the marking was applied to the whole object",
            ],
            Problems(catalog));
        Assert.Equal(6, result.Taken["indicator"]);
        Assert.Equal([Tlp.Green, Tlp.Green, Tlp.Red, Tlp.Red, Tlp.Red, Tlp.Red], Enumerable.Range(1, 6).Select(n => catalog.GetIndicator(Id(n))!.Tlp));
    }

    [Fact]
    public void Granular_markings_raise_relationships_and_actors_on_what_bulwark_keeps_of_them()
    {
        const string Actor = "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        const string Relationship = "relationship--2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b";
        const string Other = "intrusion-set--3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e";
        var actor = $$"""{"type": "intrusion-set", "spec_version": "2.1", "id": "{{Actor}}", "created": "2024-05-01T00:00:00.000Z", "modified": "2024-05-01T00:00:00.000Z", "name": "HAFNIUM", "aliases": ["Silk Typhoon"], "goals": ["access"], "object_marking_refs": ["{{Green}}"], "granular_markings": [{{Granular(Red, "aliases.[0]")}}]}""";
        var other = $$"""{"type": "intrusion-set", "spec_version": "2.1", "id": "{{Other}}", "created": "2024-05-01T00:00:00.000Z", "modified": "2024-05-01T00:00:00.000Z", "name": "Volt Typhoon", "goals": ["access"], "object_marking_refs": ["{{Green}}"], "granular_markings": [{{Granular(Red, "goals")}}]}""";
        var relationship = $$"""{"type": "relationship", "spec_version": "2.1", "id": "{{Relationship}}", "created": "2024-05-01T00:00:00.000Z", "modified": "2024-05-01T00:00:00.000Z", "relationship_type": "indicates", "source_ref": "{{Id(1)}}", "target_ref": "{{Actor}}", "object_marking_refs": ["{{Green}}"], "granular_markings": [{{Granular(TlpMarkings.Tlp2AmberStrict, "target_ref")}}]}""";

        var (catalog, _) = Read(Bundle(Indicator(1, objectMarking: Green), actor, other, relationship));

        Assert.Empty(Problems(catalog));
        Assert.Equal(Tlp.Red, catalog.GetObject(Actor)!.Tlp);
        Assert.Equal(Tlp.Green, catalog.GetObject(Other)!.Tlp); // goals are not kept
        Assert.Equal(Tlp.AmberStrict, Assert.Single(catalog.Relationships).Tlp);
    }

    [Fact]
    public void Custom_properties_and_extensions_are_passed_over_and_not_kept()
    {
        const string Extension = "extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e";
        var custom = Indicator(1, objectMarking: Green, extra: $$"""
            "x_partner_score": 97, "x_partner_context": {"analyst": "j.doe@cert.example", "case": "CASE-2024-17", "notes": ["a", "b"]},
            "x_mitre_version": "1.0", "extensions": {"{{Extension}}": {"extension_type": "property-extension", "rank": 5}, "x-acme-ext": {"team": "red"} }
            """);

        var (withCustom, _) = Read(Bundle(custom));
        var (plain, _) = Read(Bundle(Indicator(1, objectMarking: Green)));

        Assert.Empty(Problems(withCustom));
        var a = withCustom.GetIndicator(Id(1))!;
        var b = plain.GetIndicator(Id(1))!;
        // Every property of the model is the same whether the object had custom content or not: nothing of it is kept.
        Assert.Equal(b, a with { Labels = b.Labels, Values = b.Values, Pattern = b.Pattern });
        Assert.Equal(b.Values, a.Values);
        Assert.Equal(b.Pattern, a.Pattern);
        Assert.DoesNotContain(typeof(IntelIndicator).GetProperties(), p => p.PropertyType == typeof(System.Text.Json.JsonElement) || p.PropertyType.Name.Contains("Dictionary", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_custom_properties_and_extensions_are_problems_with_their_place()
    {
        var (catalog, result) = Read(Bundle(
            Indicator(1, extra: "\"x_Partner-Score\": 1, \"X_UPPER\": 2, \"x_\": 3, \"x_ok_field\": 4"),
            Indicator(2, extra: "\"extensions\": \"not a dictionary\""),
            Indicator(3, extra: "\"extensions\": {\"Bad Key\": {}, \"extension-definition--NOT-A-UUID\": {}, \"x-acme-ext\": 5, \"good-ext\": {\"a\": 1}}")));

        Assert.Equal(
            [
                "feed.json: objects[0].x_Partner-Score (object at line 2): a custom property name must be 3–250 characters of lower-case ASCII letters, digits and '_', starting with x_; ignored",
                "feed.json: objects[0].X_UPPER (object at line 2): a custom property name must be 3–250 characters of lower-case ASCII letters, digits and '_', starting with x_; ignored",
                "feed.json: objects[0].x_ (object at line 2): a custom property name must be 3–250 characters of lower-case ASCII letters, digits and '_', starting with x_; ignored",
                "feed.json: objects[1].extensions (object at line 3): expected a dictionary of extensions, found a string; ignored",
                "feed.json: objects[2].extensions.Bad Key (object at line 4): an extension's key must be an extension-definition id (\"extension-definition--\" and a lower-case UUID) or an extension name (3–250 lower-case letters, digits and hyphens); ignored",
                "feed.json: objects[2].extensions.extension-definition--NOT-A-UUID (object at line 4): an extension's key must be an extension-definition id (\"extension-definition--\" and a lower-case UUID) or an extension name (3–250 lower-case letters, digits and hyphens); ignored",
                "feed.json: objects[2].extensions.x-acme-ext (object at line 4): expected an extension object, found a number; ignored",
            ],
            Problems(catalog));
        Assert.Equal(3, result.Taken["indicator"]);
        Assert.Equal([(IocKind.IPv4, "198.51.100.1")], catalog.GetIndicator(Id(1))!.Values.Select(v => (v.Kind, v.Value)));
    }

    [Fact]
    public void A_flood_of_malformed_custom_properties_gives_five_problems_and_a_count()
    {
        var names = string.Join(", ", Enumerable.Range(0, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"x_Bad{i}\": {i}")));

        var (catalog, result) = Read(Bundle(Indicator(1, extra: names)));

        var problems = Problems(catalog);
        Assert.Equal(6, problems.Count);
        Assert.Equal("feed.json: objects[0].x_Bad0 (object at line 2): a custom property name must be 3–250 characters of lower-case ASCII letters, digits and '_', starting with x_; ignored", problems[0]);
        Assert.Equal("feed.json: objects[0] (object at line 2): 15 more malformed custom properties or extensions; ignored", problems[5]);
        Assert.Equal(1, result.Taken["indicator"]);
    }

    private static (IntelCatalog Catalog, StixReadResult Result) Read(string text)
    {
        var catalog = new IntelCatalog();
        var result = StixReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "feed.json", Amber, catalog);
        return (catalog, result);
    }

    private static List<string> Problems(IntelCatalog catalog) => [.. catalog.Problems.Select(p => p.ToString())];

    /// <summary>A bundle with each object on its own line: objects[i] is on line i + 2.</summary>
    private static string Bundle(params string[] objects) =>
        "{\"type\": \"bundle\", \"id\": \"bundle--44af6c39-c09b-49c5-9de2-394224b04982\", \"objects\": [\n" + string.Join(",\n", objects.Select(o => o.ReplaceLineEndings(" "))) + "\n]}";

    private static string Id(int n) => string.Create(CultureInfo.InvariantCulture, $"indicator--00000000-0000-4000-8000-{n:D12}");

    private static string Granular(string marking, params string[] selectors) =>
        $$"""{"marking_ref": "{{marking}}", "selectors": [{{string.Join(", ", selectors.Select(s => $"\"{s}\""))}}]}""";

    /// <param name="granular">One granular marking (or several joined by commas) put in the list; with <paramref name="raw"/>, the whole value of granular_markings.</param>
    private static string Indicator(int n, string? objectMarking = null, string? granular = null, bool raw = false, string? extra = null)
    {
        var text = new StringBuilder(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"type": "indicator", "spec_version": "2.1", "id": "{{Id(n)}}", "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z", "name": "VPS {{n}}", "description": "Exploitation source", "indicator_types": ["malicious-activity"], "pattern": "[ipv4-addr:value = '198.51.100.{{n}}']", "pattern_type": "stix", "valid_from": "2024-05-01T00:00:00Z", "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}], "external_references": [{"source_name": "cert", "url": "https://cert.example/a"}], "x_partner_note": "seen twice" """));
        if (objectMarking is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", \"object_marking_refs\": [\"{objectMarking}\"]");
        }

        if (granular is not null)
        {
            text.Append(", \"granular_markings\": ").Append(raw ? granular : $"[{granular}]");
        }

        if (extra is not null)
        {
            text.Append(", ").Append(extra);
        }

        return text.Append('}').ToString();
    }
}
