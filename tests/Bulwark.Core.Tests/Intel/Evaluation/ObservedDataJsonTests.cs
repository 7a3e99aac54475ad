using System.Text;
using System.Text.Json;
using Bulwark.Core.Intel.Evaluation;

namespace Bulwark.Core.Tests.Intel.Evaluation;

public sealed class ObservedDataJsonTests
{
    private static Observation Read(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return ObservedDataJson.Read(document.RootElement.Clone());
    }

    private static string Error(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        Assert.False(ObservedDataJson.TryRead(document.RootElement, out var observation, out var error));
        Assert.Null(observation);
        return error;
    }

    private const string Head = """{"type": "observed-data", "first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:40:04.5Z", "number_observed": 3, """;

    [Fact]
    public void Reads_times_count_objects_and_typed_values()
    {
        var observation = Read(Head + """
            "objects": {"0": {"type": "file", "name": "shell.aspx", "size": 1024, "ratio": 0.5, "whole_float": 2.0, "hidden": false,
                              "magic_number_hex": "ffd8", "payload_bin": "AQID", "hashes": {"SHA-256": "aec0"}, "tags": ["a", 1, null],
                              "parent_directory_ref": "1"},
                        "1": {"type": "directory", "path": "C:\\inetpub"}}}
            """);

        Assert.Equal(new DateTimeOffset(2021, 3, 3, 7, 39, 4, TimeSpan.Zero), observation.FirstObserved);
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 7, 40, 4, 500, TimeSpan.Zero), observation.LastObserved);
        Assert.Equal(3, observation.Count);
        Assert.Equal(2, observation.ObjectCount);
        var (reference, file) = observation[0];
        Assert.Equal("0", reference);
        Assert.Equal("file", file.Type);
        Assert.Equal(
            "{name: 'shell.aspx', size: 1024, ratio: 0.5, whole_float: 2, hidden: false, magic_number_hex: h'ffd8', payload_bin: h'010203', hashes: {SHA-256: 'aec0'}, tags: ['a', 1, null], parent_directory_ref: '1'}",
            file.Properties.ToString());
        Assert.Equal(ObservedKind.Float, file.Properties[3].Value.Kind);
        Assert.True(observation.TryGetObject("1", out var directory));
        Assert.Equal("directory {path: 'C:\\inetpub'}", directory.ToString());
        Stix.Matches("[file:parent_directory_ref.path = 'C:\\\\inetpub' AND file:magic_number_hex = h'ffd8']", [observation]);
    }

    [Fact]
    public void Reads_stix_21_object_refs_from_the_bundle()
    {
        using var document = JsonDocument.Parse("""
            {"type": "bundle", "id": "bundle--1", "objects": [
              {"type": "observed-data", "id": "observed-data--a", "first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z",
               "number_observed": 1, "objects": {}, "object_refs": ["ipv4-addr--1", "network-traffic--2"]},
              {"type": "ipv4-addr", "id": "ipv4-addr--1", "value": "198.51.100.7"},
              {"type": "network-traffic", "id": "network-traffic--2", "src_ref": "ipv4-addr--1", "protocols": ["tcp"]},
              {"type": "observed-data", "id": "observed-data--broken", "first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z",
               "number_observed": 1, "object_refs": ["ipv4-addr--missing"]},
              {"type": "observed-data", "id": "observed-data--b", "first_observed": "2021-03-03T08:00:00Z", "last_observed": "2021-03-03T08:00:00Z",
               "number_observed": 2, "object_refs": ["ipv4-addr--1"]}
            ]}
            """);

        var (observations, problems) = ObservedDataJson.ReadBundle(document.RootElement);

        Assert.Equal(2, observations.Count);
        Assert.Equal(["observed-data--broken: $.object_refs[0]: 'ipv4-addr--missing' is not among the objects given with the observed-data"], problems);
        Assert.Equal("ipv4-addr--1", observations[0][0].Reference);
        Stix.Matches("[network-traffic:src_ref.value = '198.51.100.7']", observations);
        Stix.Matches("[ipv4-addr:value = '198.51.100.7'] REPEATS 3 TIMES", observations);
    }

    [Theory]
    [InlineData("[1, 2]", "$: expected an observed-data object, found a list")]
    [InlineData("""{"last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {}}""", "$.first_observed: expected a timestamp like 2016-01-01T00:00:00Z, found nothing")]
    [InlineData("""{"first_observed": "2021-03-03t07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {}}""", "$.first_observed: expected a timestamp like 2016-01-01T00:00:00Z, found '2021-03-03t07:39:04Z'")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": 20210303, "number_observed": 1, "objects": {}}""", "$.last_observed: expected a timestamp like 2016-01-01T00:00:00Z, found 20210303")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:03Z", "number_observed": 1, "objects": {}}""", "$.last_observed: is before first_observed")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 0, "objects": {}}""", "$.number_observed: expected a whole number of at least 1, found 0")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": "5", "objects": {}}""", "$.number_observed: expected a whole number of at least 1, found '5'")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1.5, "objects": {}}""", "$.number_observed: expected a whole number of at least 1, found 1.5")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1}""", "$: has neither 'objects' nor 'object_refs'")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": []}""", "$.objects: expected a dictionary of objects keyed by reference, found a list")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": "file"}}""", "$.objects['0']: expected an object, found 'file'")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": {"name": "x"}}}""", "$.objects['0'].type: expected the object's type as a string, found nothing")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": {"type": 7}}}""", "$.objects['0'].type: expected the object's type as a string, found 7")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": {"type": "file", "magic_number_hex": "ffd"}}}""", "$.objects['0'].magic_number_hex: expected hex digits in pairs (the property name ends in _hex)")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": {"type": "artifact", "x": {"payload_bin": "not base64!"}}}}""", "$.objects['0'].x.payload_bin: expected base64 (the property name ends in _bin)")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": {"type": "file", "name": "a", "name": "b"}}}""", "$.objects['0'].name: property is given twice")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "objects": {"0": {"type": "file", "name": "\ud800x"}}}""", "$.objects['0'].name: string is not valid Unicode (bad UTF-8 or an unpaired surrogate escape)")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "object_refs": "ipv4-addr--1"}""", "$.object_refs: expected a list of object ids, found 'ipv4-addr--1'")]
    [InlineData("""{"first_observed": "2021-03-03T07:39:04Z", "last_observed": "2021-03-03T07:39:04Z", "number_observed": 1, "object_refs": [5]}""", "$.object_refs[0]: expected an object id, found 5")]
    public void Malformed_observed_data_is_refused_with_where_and_why(string json, string expected) => Assert.Equal(expected, Error(json));

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_with_its_path()
    {
        var json = Head + "\"objects\": {\"0\": {\"type\": \"x-deep\", \"v\": " + new string('[', 70) + new string(']', 70) + "}}}";

        var error = Error(json);

        Assert.Equal("$.objects['0'].v" + string.Concat(Enumerable.Range(0, 64).Select(_ => "[0]")) + ": nested deeper than 64 lists and dictionaries", error);
    }

    [Fact]
    public void Huge_values_are_read_whole()
    {
        var big = new string('x', 1_000_000);
        var observation = Read(Head + "\"objects\": {\"0\": {\"type\": \"x-big\", \"v\": \"" + big + "\"}}}");

        Assert.Equal(big, observation[0].Object.Properties[0].Value.AsString());
    }

    [Fact]
    public void A_bundle_that_is_not_one_is_reported()
    {
        using var document = JsonDocument.Parse("""{"type": "bundle", "objects": {}}""");

        var (observations, problems) = ObservedDataJson.ReadBundle(document.RootElement);

        Assert.Empty(observations);
        Assert.Equal(["$: expected a bundle with an 'objects' list"], problems);
    }

    [Fact]
    public void Bad_utf8_in_a_value_is_refused_with_its_path()
    {
        var bytes = Encoding.UTF8.GetBytes(Head + "\"objects\": {\"0\": {\"type\": \"file\", \"name\": \"aXb\"}}}");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        using var document = JsonDocument.Parse(bytes);

        Assert.False(ObservedDataJson.TryRead(document.RootElement, out _, out var error));
        Assert.Equal("$.objects['0'].name: string is not valid Unicode (bad UTF-8 or an unpaired surrogate escape)", error);
    }
}
