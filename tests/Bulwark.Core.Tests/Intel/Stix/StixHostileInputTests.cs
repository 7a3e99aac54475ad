using System.Globalization;
using System.Text;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;

namespace Bulwark.Core.Tests.Intel.Stix;

/// <summary>
/// Malformed, truncated and hostile bundles: each gives a problem naming the file, where (objects[i].property and the
/// line) and what was expected, and everything else in the file is still taken.
/// </summary>
public sealed class StixHostileInputTests
{
    private static readonly StixReadOptions Small = new() { MaxObjectBytes = 64 * 1024 };

    [Fact]
    public void A_file_cut_inside_an_object_keeps_every_object_before_it()
    {
        var text = Bundle(Indicator(1), Indicator(2), Indicator(3), Indicator(4));
        var cut = text.IndexOf(Indicator(3), StringComparison.Ordinal) + 40;

        var (catalog, result) = Read(text[..cut]);

        Assert.Equal([$"feed.json: objects[2] (object at line 4): the file ends inside this object: truncated at byte {cut}; the 2 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
        Assert.Equal([Id(1), Id(2)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void A_file_cut_after_its_objects_keeps_them_all()
    {
        var text = Bundle(Indicator(1), Indicator(2));
        var cut = text.Length - 1;

        var (catalog, result) = Read(text[..cut]);

        Assert.Equal([$"feed.json: line 4, byte {cut}: the file ends before the bundle is closed: truncated at byte {cut}; the 2 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
        Assert.Equal(2, catalog.Indicators.Count);
    }

    [Fact]
    public void A_file_cut_before_its_objects_says_so()
    {
        var text = """{"type": "bundle", "id": "bundle--44af""";

        var (catalog, result) = Read(text);

        Assert.Equal(38, text.Length);
        Assert.Equal(["feed.json: line 1, byte 38: the file ends before the bundle is closed: truncated at byte 38; the 0 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)]
    [InlineData(100_000, false)]
    public void Objects_nested_deeper_than_the_limit_are_skipped_and_the_rest_taken(int arrays, bool taken)
    {
        var deep = Indicator(2).TrimEnd('}') + ", \"x_deep\": " + new string('[', arrays) + new string(']', arrays) + "}";

        var (catalog, result) = Read(Bundle(Indicator(1), deep, Indicator(3)));

        Assert.Equal(taken ? [] : ["feed.json: objects[1] (object at line 3): nested deeper than 64 levels of arrays and objects; skipped"], Problems(catalog));
        Assert.True(result.Complete);
        Assert.Equal(taken ? [Id(1), Id(2), Id(3)] : [Id(1), Id(3)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void Objects_that_are_not_an_array_are_a_problem_and_the_bundle_is_still_read()
    {
        var (catalog, result) = Read("""{"type": "bundle", "objects": 5, "spec_version": "2.1"}""");

        Assert.Equal(["feed.json: objects (line 1): expected an array of STIX objects, found a number"], Problems(catalog));
        Assert.True(result.Complete);
        Assert.Equal("2.1", result.SpecVersion);
        Assert.Empty(result.Taken);
    }

    [Fact]
    public void Objects_given_as_an_object_are_stepped_over_whole()
    {
        var (catalog, result) = Read("""{"objects": {"type": "indicator", "x": [1, {"y": "]}"}]}, "spec_version": "2.0", "type": "report"}""");

        Assert.Equal(
            ["feed.json: objects (line 1): expected an array of STIX objects, found an object",
             "feed.json: type (line 1): expected \"bundle\", found \"report\""],
            Problems(catalog));
        Assert.Equal("2.0", result.SpecVersion);
        Assert.True(result.Complete);
    }

    [Fact]
    public void Elements_that_are_not_objects_are_each_a_problem()
    {
        var (catalog, result) = Read(Bundle("5", "\"text\"", "[1, [2, \"]\"]]", "null", "true", Indicator(6)));

        Assert.Equal(
            ["feed.json: objects[0] (object at line 2): expected a STIX object, found a number",
             "feed.json: objects[1] (object at line 3): expected a STIX object, found a string",
             "feed.json: objects[2] (object at line 4): expected a STIX object, found an array",
             "feed.json: objects[3] (object at line 5): expected a STIX object, found null",
             "feed.json: objects[4] (object at line 6): expected a STIX object, found true"],
            Problems(catalog));
        Assert.Equal(6, result.Objects);
        Assert.Equal(Id(6), Assert.Single(catalog.Indicators).Id);
    }

    [Fact]
    public void Wrong_required_properties_drop_their_object_and_wrong_descriptive_ones_are_ignored()
    {
        var (catalog, result) = Read(Bundle(
            Indicator(1).Replace("\"pattern\": \"[ipv4-addr:value = '198.51.100.1']\"", "\"pattern\": 12", StringComparison.Ordinal),
            Indicator(2).Replace("\"type\": \"indicator\"", "\"type\": 7", StringComparison.Ordinal),
            Indicator(3).Replace(Id(3), "indicator--XYZ", StringComparison.Ordinal),
            Indicator(4).Replace("\"created\": \"2024-05-01T10:00:00.000Z\"", "\"created\": \"2022-101-27T13:49:54.326Z\"", StringComparison.Ordinal),
            Indicator(5).Replace(", \"valid_from\": \"2024-05-01T00:00:00Z\"", "", StringComparison.Ordinal),
            Indicator(6).Replace("\"spec_version\": \"2.1\"", "\"spec_version\": \"3.0\"", StringComparison.Ordinal),
            Indicator(7).Replace("\"type\": \"indicator\", ", "", StringComparison.Ordinal),
            Indicator(8).Replace("\"valid_from\": \"2024-05-01T00:00:00Z\"", "\"valid_from\": \"2024-05-01T00:00:00Z\", \"valid_until\": \"2024-04-01T00:00:00Z\"", StringComparison.Ordinal),
            Indicator(9).TrimEnd('}') + ", \"confidence\": 150, \"revoked\": \"yes\", \"labels\": [\"ok\", 3], \"object_marking_refs\": [\"TLP:RED\"]}",
            """{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "name": "Group", "aliases": 5, "external_references": [7, {"source_name": "mitre-attack", "external_id": 125}]}""",
            """{"type": "relationship", "spec_version": "2.1", "id": "relationship--2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "relationship_type": "indicates", "source_ref": "indicator--1", "target_ref": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}"""));

        Assert.Equal(
            ["feed.json: objects[0].pattern (object at line 2): expected the indicator's pattern as a string, found a number",
             "feed.json: objects[1].type (object at line 3): expected a string naming the object's STIX type (e.g. \"indicator\"), found a number",
             "feed.json: objects[2].id (object at line 4): expected \"indicator--\" followed by a lower-case UUID, found \"indicator--XYZ\"",
             "feed.json: objects[3].created (object at line 5): expected an RFC 3339 timestamp such as \"2021-03-02T00:00:00.000Z\", found \"2022-101-27T13:49:54.326Z\"",
             "feed.json: objects[4].valid_from (object at line 6): missing: expected an RFC 3339 timestamp such as \"2021-03-02T00:00:00.000Z\"",
             "feed.json: objects[5].spec_version (object at line 7): expected \"2.1\" or \"2.0\", found \"3.0\"",
             "feed.json: objects[6].type (object at line 8): missing: every STIX object names its type (e.g. \"indicator\")",
             "feed.json: objects[7].valid_until (object at line 9): expected a time after valid_from (2024-05-01T00:00:00.000Z), found 2024-04-01T00:00:00.000Z",
             "feed.json: objects[8].object_marking_refs[0] (object at line 10): expected an id such as \"indicator--\" followed by a lower-case UUID, found \"TLP:RED\"; ignored",
             "feed.json: objects[8].labels[1] (object at line 10): expected a string, found a number; ignored",
             "feed.json: objects[8].confidence (object at line 10): expected an integer from 0 to 100, found 150; ignored",
             "feed.json: objects[8].revoked (object at line 10): expected true or false, found a string; taken as false",
             "feed.json: objects[9].aliases (object at line 11): expected an array of strings, found a number; ignored",
             "feed.json: objects[9].external_references[0] (object at line 11): expected an external reference object, found a number; ignored",
             "feed.json: objects[9].external_references[1].external_id (object at line 11): expected a string, found a number",
             "feed.json: objects[10].source_ref (object at line 12): expected an id such as \"indicator--\" followed by a lower-case UUID, found \"indicator--1\""],
            Problems(catalog));
        Assert.Equal(16, result.Problems);
        var kept = Assert.Single(catalog.Indicators);
        Assert.Equal((Id(9), 40, false), (kept.Id, kept.Confidence, kept.Revoked));
        Assert.Equal(["ok"], kept.Labels);
        var group = Assert.Single(catalog.Objects);
        Assert.Equal(("Group", 0, 0), (group.Name, group.Aliases.Count, group.ExternalIds.Count));
        Assert.Empty(catalog.Relationships);
    }

    [Fact]
    public void An_invalid_pattern_is_reported_with_its_offset_and_cause_and_the_indicator_not_taken()
    {
        var (catalog, _) = Read(Bundle(
            Indicator(1).Replace("'198.51.100.1']", "'198.51.100.1'", StringComparison.Ordinal),
            Indicator(2).Replace("[ipv4-addr:value = '198.51.100.2']", "[ipv4-addr:value = '198.51.100.2'] and [domain-name:value = 'x.example']", StringComparison.Ordinal),
            Indicator(3)));

        Assert.Equal(
            ["feed.json: objects[0].pattern (object at line 2): not a valid STIX pattern: expected ']' to close the observation started at 0 (at offset 33)",
             "feed.json: objects[1].pattern (object at line 3): not a valid STIX pattern: keywords are upper case: use 'AND' (at offset 35, near 'and')"],
            Problems(catalog));
        Assert.Equal(Id(3), Assert.Single(catalog.Indicators).Id);
    }

    [Fact]
    public void An_object_larger_than_the_limit_is_skipped_and_the_rest_taken()
    {
        var huge = Indicator(2).TrimEnd('}') + ", \"description\": \"" + new string('a', 200_000) + "\"}";

        var (catalog, result) = Read(Bundle(Indicator(1), huge, Indicator(3)), Small);

        Assert.Equal(["feed.json: objects[1] (object at line 3): larger than 65536 bytes, the most one object may take; skipped"], Problems(catalog));
        Assert.True(result.Complete);
        Assert.Equal([Id(1), Id(3)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void An_object_of_many_small_values_larger_than_the_limit_is_skipped_too()
    {
        var many = Indicator(2).TrimEnd('}') + ", \"x_list\": [" + string.Join(", ", Enumerable.Repeat("\"value\"", 20_000)) + "]}";

        var (catalog, _) = Read(Bundle(Indicator(1), many, Indicator(3)), Small);

        Assert.Equal(["feed.json: objects[1] (object at line 3): larger than 65536 bytes, the most one object may take; skipped"], Problems(catalog));
        Assert.Equal([Id(1), Id(3)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void A_file_cut_inside_an_object_larger_than_the_limit_says_where_it_ends()
    {
        var huge = Indicator(2).TrimEnd('}') + ", \"description\": \"" + new string('a', 200_000);
        var text = Bundle(Indicator(1), huge);
        var cut = text.Length - 3;

        var (catalog, result) = Read(text[..cut], Small);

        Assert.Equal([$"feed.json: objects[1] (object at line 3): the file ends inside this object: truncated at byte {cut}; the 1 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
        Assert.Equal(Id(1), Assert.Single(catalog.Indicators).Id);
    }

    [Fact]
    public void A_huge_value_in_place_of_an_object_is_skipped()
    {
        var (catalog, _) = Read(Bundle(Indicator(1), "\"" + new string('x', 200_000) + "\"", Indicator(3)), Small);

        Assert.Equal(["feed.json: objects[1] (object at line 3): expected a STIX object, found a value longer than 65536 bytes; skipped"], Problems(catalog));
        Assert.Equal([Id(1), Id(3)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void Huge_bundle_properties_and_whitespace_are_stepped_over_silently()
    {
        var text = "{\"x_junk\": \"" + new string('j', 200_000) + "\", \"x_more\": [" + new string(' ', 200_000) + "], \"type\": \"bundle\", \"objects\": [\n"
            + Indicator(1) + "," + new string('\n', 200_000) + Indicator(2) + "]}";

        var (catalog, result) = Read(text, Small);

        Assert.Empty(catalog.Problems);
        Assert.True(result.Complete);
        Assert.Equal([Id(1), Id(2)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void A_file_cut_inside_a_huge_bundle_property_says_so()
    {
        var text = "{\"type\": \"bundle\",\n\"x_junk\": \"" + new string('j', 200_000);

        var (catalog, result) = Read(text, Small);

        Assert.Equal([$"feed.json: line 2, byte {text.Length}: the file ends inside the bundle's \"x_junk\" value: truncated at byte {text.Length}; the 0 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
    }

    [Fact]
    public void Objects_given_as_a_huge_string_are_a_problem()
    {
        var (catalog, result) = Read("{\"objects\": \"" + new string('o', 200_000) + "\", \"spec_version\": \"2.1\"}", Small);

        Assert.Equal(["feed.json: objects (line 1): expected an array of STIX objects, found a value longer than 65536 bytes"], Problems(catalog));
        Assert.Equal(("2.1", true), (result.SpecVersion, result.Complete));
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_reported_where_they_are()
    {
        var json = Encoding.UTF8.GetBytes(Bundle(
            """{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "name": "Bad ##"}""",
            """{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "name": "Good", "description": "Bad ##"}""",
            """{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f", "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "name": "\udc00"}""",
            Indicator(4)));
        ReplaceHashes(json);

        var (catalog, result) = Read(json);

        Assert.Equal(
            ["feed.json: objects[0].name (object at line 2): expected the object's name as a string, found text that is not valid UTF-8 (or an unpaired surrogate escape)",
             "feed.json: objects[1].description (object at line 3): expected a string, found text that is not valid UTF-8 (or an unpaired surrogate escape); ignored",
             "feed.json: objects[2].name (object at line 4): expected the object's name as a string, found text that is not valid UTF-8 (or an unpaired surrogate escape)"],
            Problems(catalog));
        Assert.Equal(("Good", null), (Assert.Single(catalog.Objects).Name, catalog.Objects.Single().Description));
        Assert.Equal((1, 1), (result.TakenOf("intrusion-set"), result.TakenOf("indicator")));
    }

    [Fact]
    public void A_UTF_16_file_is_not_JSON_to_the_reader()
    {
        var (catalog, result) = Read(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Bundle(Indicator(1)))).ToArray());

        Assert.Equal(["feed.json: line 1, byte 0: not valid JSON: '0xFF' is an invalid start of a value. (line 1, byte 1 of the line); reading stopped here, the 0 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
    }

    [Fact]
    public void A_UTF_8_byte_order_mark_is_allowed()
    {
        var (catalog, _) = Read(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Bundle(Indicator(1)))).ToArray());

        Assert.Empty(catalog.Problems);
        Assert.Single(catalog.Indicators);
    }

    [Fact]
    public void An_object_that_is_not_valid_JSON_is_skipped_and_the_next_one_taken()
    {
        var broken = """{"type": "indicator" "id": "indicator--00000000-0000-4000-8000-000000000002"}""";

        var (catalog, result) = Read(Bundle(Indicator(1), broken, Indicator(3)));

        Assert.Equal(["feed.json: objects[1] (object at line 3): not valid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'. (line 3, byte 22 of the line); skipped"], Problems(catalog));
        Assert.True(result.Complete);
        Assert.Equal([Id(1), Id(3)], catalog.Indicators.Select(i => i.Id).Order());
    }

    [Fact]
    public void Text_after_the_bundle_stops_reading_but_keeps_the_bundle()
    {
        var text = Bundle(Indicator(1)) + " x";

        var (catalog, result) = Read(text);

        Assert.Equal([$"feed.json: line 3, byte {text.Length - 1}: not valid JSON: 'x' is invalid after a single JSON value. Expected end of data. (line 3, byte 4 of the line); reading stopped here, the 1 objects before it were read"], Problems(catalog));
        Assert.False(result.Complete);
        Assert.Single(catalog.Indicators);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public void An_empty_file_is_a_problem(string text)
    {
        var (catalog, result) = Read(text);

        Assert.Equal(["feed.json: the file is empty: expected a STIX bundle"], Problems(catalog));
        Assert.Empty(result.Taken);
    }

    [Fact]
    public void A_file_that_is_not_a_bundle_is_a_problem()
    {
        var (catalog, result) = Read("\"hello\"");

        Assert.Equal(["feed.json: line 1, byte 0: expected a STIX bundle (a JSON object with \"objects\"), found a string"], Problems(catalog));
        Assert.Empty(result.Taken);
    }

    [Fact]
    public void A_bare_array_of_objects_is_read_like_a_bundles_objects()
    {
        var (catalog, result) = Read("[" + Indicator(1) + ", 5]");

        Assert.Equal(["feed.json: [1] (object at line 1): expected a STIX object, found a number"], Problems(catalog));
        Assert.Equal((2, 1), (result.Objects, result.TakenOf("indicator")));
        Assert.Single(catalog.Indicators);
    }

    private static (IntelCatalog Catalog, StixReadResult Result) Read(string text, StixReadOptions? options = null) => StixReaderTests.Read(text, options);

    private static (IntelCatalog Catalog, StixReadResult Result) Read(byte[] json, StixReadOptions? options = null) => StixReaderTests.Read(json, options);

    private static List<string> Problems(IntelCatalog catalog) => [.. catalog.Problems.Select(p => p.ToString())];

    /// <summary>A bundle with each object on its own line: objects[i] is on line i + 2.</summary>
    private static string Bundle(params string[] objects) =>
        "{\"type\": \"bundle\", \"id\": \"bundle--44af6c39-c09b-49c5-9de2-394224b04982\", \"objects\": [\n" + string.Join(",\n", objects) + "\n]}";

    private static string Id(int n) => string.Create(CultureInfo.InvariantCulture, $"indicator--00000000-0000-4000-8000-{n:D12}");

    private static string Indicator(int n) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"type": "indicator", "spec_version": "2.1", "id": "{{Id(n)}}", "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z", "pattern": "[ipv4-addr:value = '198.51.100.{{n}}']", "pattern_type": "stix", "valid_from": "2024-05-01T00:00:00Z"}""");

    /// <summary>Turns each "##" into the bytes FF FE, which UTF-8 never contains.</summary>
    private static void ReplaceHashes(byte[] json)
    {
        for (var i = 0; i + 1 < json.Length; i++)
        {
            if (json[i] == (byte)'#' && json[i + 1] == (byte)'#')
            {
                json[i] = 0xFF;
                json[i + 1] = 0xFE;
            }
        }
    }
}
