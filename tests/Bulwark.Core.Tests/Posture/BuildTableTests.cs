using System.Text;
using Bulwark.Core.Posture;

namespace Bulwark.Core.Tests.Posture;

public sealed class BuildTableTests
{

    [Fact]
    public void Load_reads_a_minimal_table()
    {
        var posture = Load(Table("""{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": { "Mar21SU": "15.1.2106.13" } }"""));

        var report = posture.Assess(ExchangeBuild.Parse("15.1.2106.2"));

        Assert.Equal(["CVE-2021-26855"], report.UnpatchedCves);
        Assert.Equal("Install the March 2021 security update KB5000871 for Exchange Server 2016 CU18 (build 15.1.2106.13).", report.Action);
    }

    [Fact]
    public void Load_treats_an_update_without_any_build_for_the_product_as_not_applicable()
    {
        var posture = Load(Table("""{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": {} }"""));

        var report = posture.Assess(ExchangeBuild.Parse("15.1.2106.2"));

        Assert.Empty(report.MissingUpdates);
    }

    [Fact]
    public void Load_counts_a_build_at_or_above_the_newest_fix_as_patched_even_when_its_CU_does_not_list_the_update()
    {
        var posture = Load(Table(
            """{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": { "Mar21SU": "15.1.2106.13" } }, { "cu": "CU20", "rtm": "15.1.2242.4", "updates": {} }"""));

        Assert.Empty(posture.Assess(ExchangeBuild.Parse("15.1.2242.4")).MissingUpdates);
        Assert.Equal("Mar21SU", Assert.Single(posture.Assess(ExchangeBuild.Parse("15.1.2106.8")).MissingUpdates).Key);
    }

    [Theory]
    [InlineData(
        """{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": { "Mar21SU": "15.1.2106.13" } }, { "cu": "CU17", "rtm": "15.1.2044.4", "updates": { "Mar21SU": "included" } }""",
        "build table: Exchange2016 CU17: 'included' Mar21SU but the CU is older than the update's newest build")]
    [InlineData(
        """{ "cu": "CU18", "rtm": "15.1.x.2", "updates": {} }""",
        "build table: Exchange2016 CU18: '15.1.x.2' is not a build number")]
    [InlineData(
        """{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": { "Jul21SU": "15.1.2106.20" } }""",
        "build table: Exchange2016 CU18: unknown security update 'Jul21SU'")]
    [InlineData(
        """{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": { "Mar21SU": "15.2.858.10" } }""",
        "build table: Exchange2016 CU18 Mar21SU: 15.2.858.10 is not a build of this CU")]
    [InlineData(
        """{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": { "Mar21SU": "15.1.2106.1" } }""",
        "build table: Exchange2016 CU18 Mar21SU: 15.1.2106.1 is not a build of this CU")]
    [InlineData(
        """{ "cu": "CU9", "rtm": "15.2.858.5", "updates": {} }""",
        "build table: Exchange2016 CU9: 15.2.858.5 is not an Exchange2016 build")]
    public void Load_rejects_an_inconsistent_table(string cus, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(Table(cus)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Load_rejects_an_invalid_CVE_id()
    {
        var json = Table("""{ "cu": "CU18", "rtm": "15.1.2106.2", "updates": {} }""", cve: "CVE-21-1");

        var error = Assert.Throws<InvalidDataException>(() => Load(json));

        Assert.Equal("build table: Mar21SU: 'CVE-21-1' is not a CVE id", error.Message);
    }

    [Fact]
    public void Load_rejects_a_null_document()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load("null"));

        Assert.Equal("build table is empty", error.Message);
    }

    private static string Table(string cus, string cve = "CVE-2021-26855") =>
        $$"""
        {
          "securityUpdates": [{ "key": "Mar21SU", "title": "March 2021 security update", "kb": "KB5000871", "cves": ["{{cve}}"] }],
          "products": [{ "product": "Exchange2016", "upgradeAdvice": "move to CU23", "cus": [{{cus}}] }]
        }
        """;

    private static ExchangePosture Load(string json) => ExchangePosture.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
}
