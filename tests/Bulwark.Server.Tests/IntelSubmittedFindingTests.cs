using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core.Intel.Index;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Ingestion;

namespace Bulwark.Server.Tests;

/// <summary>
/// A submitted finding's <c>tlp</c> and <c>attribution</c> (what <c>bulwark scan --intel</c> writes) are read as hostile
/// input: each field checked for type, value and size, a refusal naming the field; stored and read back unchanged.
/// </summary>
public sealed class IntelSubmittedFindingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Attributed() => new()
    {
        ["actor"] = "HAFNIUM",
        ["actorId"] = "G0125",
        ["country"] = "CN",
        ["confidence"] = 21,
        ["tlp"] = "CLEAR",
        ["aliases"] = new JsonArray("Operation Exchange Marauder", "Silk Typhoon"),
        ["indicators"] = new JsonArray("indicator--3c6a1a5e-3f3c-4b84-9d5f-0c2b9b6c1a01"),
        ["sources"] = new JsonArray("bulwark-starter"),
    };

    private static (Core.Findings.Finding? Finding, string? Reason) Read(Action<JsonObject> change)
    {
        var json = IngestionSupport.Finding("BW-0797f6c9eb629a67", "130.255.189.21");
        change(json);
        var finding = SubmittedFinding.Read(JsonSerializer.SerializeToElement(json), Now, out var reason);
        return (finding, reason);
    }

    [Fact]
    public void Tlp_and_attribution_are_taken_and_stored_as_the_scanner_wrote_them()
    {
        var (finding, reason) = Read(j =>
        {
            j["tlp"] = "GREEN";
            j["attribution"] = new JsonArray(Attributed());
        });

        Assert.Null(reason);
        Assert.Equal(Tlp.Green, finding!.Tlp);
        var actor = Assert.Single(finding.Attribution);
        Assert.Equal(("G0125", "HAFNIUM", "CN", 21, Tlp.Clear), (actor.ActorId, actor.ActorName, actor.Country, actor.Confidence, actor.Tlp));
        Assert.Equal(["Operation Exchange Marauder", "Silk Typhoon"], actor.Aliases);
        Assert.Equal(["bulwark-starter"], actor.Sources);

        var record = FindingRecords.From(finding, Guid.NewGuid(), FindingOrigin.Submitted, null, Now);
        Assert.Equal(Tlp.Green, record.Tlp);
        Assert.Equal(
            "[{\"actor\":\"HAFNIUM\",\"actorId\":\"G0125\",\"country\":\"CN\",\"confidence\":21,\"tlp\":\"CLEAR\",\"aliases\":[\"Operation Exchange Marauder\",\"Silk Typhoon\"],\"indicators\":[\"indicator--3c6a1a5e-3f3c-4b84-9d5f-0c2b9b6c1a01\"],\"sources\":[\"bulwark-starter\"]}]",
            record.AttributionJson);
        Assert.Equal(finding.Attribution.Single() with { }, FindingRecords.ReadAttribution(record.AttributionJson).Single(), new AttributionComparer());
    }

    [Fact]
    public void A_finding_without_intelligence_stores_neither()
    {
        var (finding, reason) = Read(_ => { });

        Assert.Null(reason);
        var record = FindingRecords.From(finding!, Guid.NewGuid(), FindingOrigin.Submitted, null, Now);
        Assert.Null(record.Tlp);
        Assert.Null(record.AttributionJson);
    }

    [Fact]
    public void Attribution_without_the_findings_tlp_takes_the_strictest_of_its_actors()
    {
        var (finding, _) = Read(j => j["attribution"] = new JsonArray(Attributed(), new JsonObject
        {
            ["actor"] = "Exchange Crew",
            ["actorId"] = "intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d",
            ["country"] = null,
            ["confidence"] = 85,
            ["tlp"] = "AMBER+STRICT",
        }));

        Assert.Equal(Tlp.AmberStrict, finding!.Tlp);
        Assert.Equal([null, "CN"], finding.Attribution.Select(a => a.Country).Order());
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { """{"evidenceCount": "2"}""", "evidenceCount: required whole number" },
        { """{"evidence": [{"file": "x.log", "line": "11", "timestamp": null, "fields": {}}]}""", "evidence[0].line: required whole number, 0 or more" },
        { """{"tlp": "PURPLE"}""", "tlp: expected one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED" },
        { """{"tlp": 2}""", "tlp: expected one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED" },
        { """{"attribution": {"actor": "x"}}""", "attribution: expected an array of actors, found an object" },
        { """{"attribution": ["HAFNIUM"]}""", "attribution[0]: expected an object, found a string" },
        { """{"attribution": [{"actorId": "G0125", "confidence": 1, "tlp": "RED"}]}""", "attribution[0].actor: required" },
        { """{"attribution": [{"actor": "H", "actorId": 125, "confidence": 1, "tlp": "RED"}]}""", "attribution[0].actorId: expected a string, found a number" },
        { """{"attribution": [{"actor": "H", "actorId": "G0125", "country": "China", "confidence": 1, "tlp": "RED"}]}""", "attribution[0].country: expected an ISO 3166-1 alpha-2 code such as CN, or null" },
        { """{"attribution": [{"actor": "H", "actorId": "G0125", "confidence": 101, "tlp": "RED"}]}""", "attribution[0].confidence: required whole number from 0 to 100" },
        { """{"attribution": [{"actor": "H", "actorId": "G0125", "confidence": "high", "tlp": "RED"}]}""", "attribution[0].confidence: required whole number from 0 to 100" },
        { """{"attribution": [{"actor": "H", "actorId": "G0125", "confidence": 5}]}""", "attribution[0].tlp: required" },
        { """{"attribution": [{"actor": "H", "actorId": "G0125", "confidence": 5, "tlp": "RED", "aliases": "Silk Typhoon"}]}""", "attribution[0].aliases: expected an array of strings, found a string" },
        { """{"attribution": [{"actor": "H", "actorId": "G0125", "confidence": 5, "tlp": "RED", "aliases": [1]}]}""", "attribution[0].aliases[0]: expected a string, found a number" },
        { """{"attribution": [{"actor": "H\u0000", "actorId": "G0125", "confidence": 5, "tlp": "RED"}]}""", "attribution[0].actor: value contains a NUL character" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_tlp_and_attribution_are_refused_naming_the_field(string patch, string expected)
    {
        var (finding, reason) = Read(j =>
        {
            foreach (var (name, value) in JsonNode.Parse(patch)!.AsObject())
            {
                j[name] = value?.DeepClone();
            }
        });

        Assert.Null(finding);
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Oversized_attribution_is_refused_with_its_limit()
    {
        var many = new JsonArray([.. Enumerable.Range(0, SubmittedFinding.MaxAttribution + 1).Select(_ => (JsonNode)Attributed())]);
        var longName = Attributed();
        longName["actor"] = new string('x', SubmittedFinding.MaxActorLength + 1);
        var aliases = Attributed();
        aliases["aliases"] = new JsonArray([.. Enumerable.Range(0, SubmittedFinding.MaxAliases + 1).Select(i => (JsonNode)$"alias {i}")]);

        Assert.Equal("attribution: 21 actors; at most 20 are accepted", Read(j => j["attribution"] = many).Reason);
        Assert.Equal("attribution[0].actor: value longer than 200 characters", Read(j => j["attribution"] = new JsonArray(longName)).Reason);
        Assert.Equal("attribution[0].aliases: more than 100 items", Read(j => j["attribution"] = new JsonArray(aliases)).Reason);
    }

    private sealed class AttributionComparer : IEqualityComparer<Core.Intel.ActorAttribution>
    {
        public bool Equals(Core.Intel.ActorAttribution? x, Core.Intel.ActorAttribution? y) =>
            x is not null && y is not null && x.ActorId == y.ActorId && x.ActorName == y.ActorName && x.Country == y.Country
            && x.Confidence == y.Confidence && x.Tlp == y.Tlp && x.Aliases.SequenceEqual(y.Aliases)
            && x.IndicatorIds.SequenceEqual(y.IndicatorIds) && x.Sources.SequenceEqual(y.Sources);

        public int GetHashCode(Core.Intel.ActorAttribution obj) => obj.ActorId.GetHashCode(StringComparison.Ordinal);
    }
}
