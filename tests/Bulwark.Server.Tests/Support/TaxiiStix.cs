using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Server.Tests.Support;

/// <summary>STIX 2.1 objects for the TAXII tests: indicators and sightings with predictable ids.</summary>
public static class TaxiiStix
{
    public const string TlpGreen = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public const string TlpAmber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public const string TlpRed2 = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    /// <summary>A UUID made from a number, distinct per test by <paramref name="series"/>.</summary>
    public static string Uuid(int series, int n) => $"{series:D8}-0000-4000-8000-{n.ToString("D12", CultureInfo.InvariantCulture)}";

    public static JsonObject Indicator(string id, string domain, string modified = "2026-03-01T10:00:00.000Z", string created = "2026-03-01T10:00:00.000Z", string? marking = null)
    {
        var o = new JsonObject
        {
            ["type"] = "indicator",
            ["spec_version"] = "2.1",
            ["id"] = id,
            ["created"] = created,
            ["modified"] = modified,
            ["name"] = $"Hafnium-linked domain {domain}",
            ["pattern"] = $"[domain-name:value = '{domain}']",
            ["pattern_type"] = "stix",
            ["valid_from"] = created,
            ["indicator_types"] = new JsonArray("malicious-activity"),
        };
        if (marking is not null)
        {
            o["object_marking_refs"] = new JsonArray(marking);
        }

        return o;
    }

    public static JsonObject Sighting(string id, string indicatorId, int count, string modified = "2026-03-02T08:00:00.000Z") => new()
    {
        ["type"] = "sighting",
        ["spec_version"] = "2.1",
        ["id"] = id,
        ["created"] = "2026-03-02T08:00:00.000Z",
        ["modified"] = modified,
        ["sighting_of_ref"] = indicatorId,
        ["count"] = count,
        ["first_seen"] = "2026-03-01T23:10:00Z",
        ["last_seen"] = "2026-03-02T07:55:00Z",
    };

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    public static List<JsonElement> Elements(params JsonNode[] nodes) => [.. nodes.Select(Element)];

    public static string Envelope(params JsonNode[] nodes) => new JsonObject { ["objects"] = new JsonArray([.. nodes.Select(n => n.DeepClone())]) }.ToJsonString();

    public static string Id(JsonElement o) => o.GetProperty("id").GetString()!;

    public static string Modified(JsonElement o) => o.GetProperty("modified").GetString()!;
}
