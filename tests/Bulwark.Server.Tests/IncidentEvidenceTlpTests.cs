using System.Text.Json;
using Bulwark.Core.Intel.Index;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Incidents;

namespace Bulwark.Server.Tests;

/// <summary>An organisation never reads the intel fields of a TLP:RED finding; staff and lower markings see them.</summary>
public sealed class IncidentEvidenceTlpTests
{
    private const string EvidenceJson = """
        [{"file":"inetpub/logs/LogFiles/W3SVC1/u_ex210303.log","line":56,"timestamp":"2021-03-03T06:59:10Z",
          "fields":{"c-ip":"130.255.189.21","cs-uri-stem":"/ecp/y.js","intel indicator":"address 130.255.189.21",
                    "intel indicator id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","intel source":"Partner CERT (cert-x), TLP:RED, confidence 85",
                    "intel confidence":"85","intel tlp":"RED"}}]
        """;

    private static FindingRecord Finding(Tlp? tlp) => new()
    {
        FindingId = "BW-0000000000000001",
        DetectionId = "intel.indicator-match",
        Title = "Activity matching a threat-intelligence indicator",
        Subject = "130.255.189.21",
        EvidenceJson = EvidenceJson,
        Remediation = "…",
        Source = "…",
        Tlp = tlp,
    };

    private static string[] FieldNames(string json) =>
        [.. JsonDocument.Parse(json).RootElement[0].GetProperty("fields").EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void An_organisation_sees_the_lines_of_a_red_finding_but_not_its_intelligence()
    {
        var shown = IncidentVisibility.Evidence(Finding(Tlp.Red), shared: []);

        Assert.Equal(["c-ip", "cs-uri-stem"], FieldNames(shown));
        Assert.Equal(56, JsonDocument.Parse(shown).RootElement[0].GetProperty("line").GetInt32());
    }

    [Theory]
    [InlineData(Tlp.AmberStrict)]
    [InlineData(Tlp.Amber)]
    [InlineData(Tlp.Clear)]
    public void Below_red_the_organisation_sees_everything(Tlp tlp)
    {
        Assert.Equal(EvidenceJson, IncidentVisibility.Evidence(Finding(tlp), shared: []));
    }

    [Fact]
    public void Staff_see_the_intelligence_of_a_red_finding()
    {
        Assert.Equal(EvidenceJson, IncidentVisibility.Evidence(Finding(Tlp.Red), shared: null));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1, \"x\", {\"fields\": 3}, {\"file\": \"a\"}]")]
    public void Evidence_of_an_unexpected_shape_is_left_as_it_is(string json)
    {
        var stripped = IncidentVisibility.WithoutIntelFields(json);

        Assert.Equal(JsonDocument.Parse(json).RootElement.GetRawText().Replace(" ", "", StringComparison.Ordinal), stripped.Replace(" ", "", StringComparison.Ordinal));
    }
}
