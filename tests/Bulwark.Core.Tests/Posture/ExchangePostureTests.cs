using Bulwark.Core.Posture;

namespace Bulwark.Core.Tests.Posture;

public sealed class ExchangePostureTests
{
    private static readonly string[] Mar21Cves =
        ["CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065", "CVE-2021-26412", "CVE-2021-27078", "CVE-2021-26854"];

    private static readonly string[] Apr21Cves =
        ["CVE-2021-28480", "CVE-2021-28481", "CVE-2021-28482", "CVE-2021-28483", "CVE-2021-34473", "CVE-2021-34523"];

    private static readonly string[] May21Cves = ["CVE-2021-31195", "CVE-2021-31198", "CVE-2021-31207", "CVE-2021-31209"];

    private static readonly string[] Nov22Cves2013 = ["CVE-2022-41040", "CVE-2022-41082", "CVE-2022-41079", "CVE-2022-41078", "CVE-2022-41080"];

    private static readonly string[] Nov22Cves = [.. Nov22Cves2013, "CVE-2022-41123"];

    private static readonly string[] Mar21SortedCves =
        ["CVE-2021-26412", "CVE-2021-26854", "CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065", "CVE-2021-27078"];

    private static readonly string[] ProxyShellSortedCves =
    [
        "CVE-2021-28480", "CVE-2021-28481", "CVE-2021-28482", "CVE-2021-28483",
        "CVE-2021-31195", "CVE-2021-31198", "CVE-2021-31207", "CVE-2021-31209",
        "CVE-2021-34473", "CVE-2021-34523",
    ];

    private static readonly string[] Nov22SortedCves2013 = ["CVE-2022-41040", "CVE-2022-41078", "CVE-2022-41079", "CVE-2022-41080", "CVE-2022-41082"];

    private static readonly string[] Nov22SortedCves = [.. Nov22SortedCves2013, "CVE-2022-41123"];

    private const string Upgrade2016 = "move to a supported CU (Exchange Server 2016 CU23) and install its latest security update";

    private const string Upgrade2019 = "move to a supported CU (Exchange Server 2019 CU15 or Exchange Server SE RTM) and install its latest security update";

    [Fact]
    public void Assess_reports_ProxyLogon_missing_on_2016_CU18_RTM()
    {
        var report = Assess("15.1.2106.2");

        Assert.Equal(ExchangeProduct.Exchange2016, report.Product);
        Assert.Equal("Exchange Server 2016", report.ProductName);
        Assert.Equal("CU18", report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Equal(
            [("Mar21SU", "KB5000871", "15.1.2106.13"), ("Apr21SU", "KB5001779", null), ("May21SU", "KB5003435", null), ("Nov22SU", "KB5019758", null)],
            Summarise(report));
        Assert.Equal(Mar21Cves, report.MissingUpdates[0].Cves);
        Assert.Equal(Apr21Cves, report.MissingUpdates[1].Cves);
        Assert.Equal(May21Cves, report.MissingUpdates[2].Cves);
        Assert.Equal(Nov22Cves, report.MissingUpdates[3].Cves);
        Assert.Equal([.. Mar21SortedCves, .. ProxyShellSortedCves, .. Nov22SortedCves], report.UnpatchedCves);
        Assert.Null(report.LatestUpdate);
        Assert.Equal(
            "Install the March 2021 security update KB5000871 for Exchange Server 2016 CU18 (build 15.1.2106.13), then " + Upgrade2016 + ". "
            + "Exchange Server 2016 CU18 never received Apr21SU, May21SU and Nov22SU (ProxyShell, ProxyNotShell): their fixes need the CU upgrade.",
            report.Action);
    }

    [Fact]
    public void Assess_reports_ProxyShell_and_ProxyNotShell_unfixable_on_2016_CU18_with_March_update()
    {
        var report = Assess("15.1.2106.13");

        Assert.Equal("CU18", report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Equal([("Apr21SU", "KB5001779", null), ("May21SU", "KB5003435", null), ("Nov22SU", "KB5019758", null)], Summarise(report));
        Assert.Equal([.. ProxyShellSortedCves, .. Nov22SortedCves], report.UnpatchedCves);
        Assert.DoesNotContain("CVE-2021-26855", report.UnpatchedCves);
        Assert.Equal(
            "Move to a supported CU (Exchange Server 2016 CU23) and install its latest security update. "
            + "Exchange Server 2016 CU18 never received Apr21SU, May21SU and Nov22SU (ProxyShell, ProxyNotShell): their fixes need the CU upgrade.",
            report.Action);
    }

    [Fact]
    public void Assess_treats_March_update_as_included_in_2019_CU9_and_recommends_its_newest_tracked_update()
    {
        var report = Assess("15.2.858.5");

        Assert.Equal(ExchangeProduct.Exchange2019, report.Product);
        Assert.Equal("CU9", report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Equal([("Apr21SU", "KB5001779", "15.2.858.10"), ("May21SU", "KB5003435", "15.2.858.12"), ("Nov22SU", "KB5019758", null)], Summarise(report));
        Assert.Equal([.. ProxyShellSortedCves, .. Nov22SortedCves], report.UnpatchedCves);
        Assert.Equal(
            "Install the May 2021 security update KB5003435 for Exchange Server 2019 CU9 (build 15.2.858.12), then " + Upgrade2019 + ". "
            + "Exchange Server 2019 CU9 never received Nov22SU (ProxyNotShell): its fixes need the CU upgrade.",
            report.Action);
    }

    [Fact]
    public void Assess_reports_nothing_missing_on_2019_CU12_with_November_2022_update_but_asks_for_a_supported_CU()
    {
        var report = Assess("15.2.1118.20");

        Assert.Equal("CU12", report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Empty(report.MissingUpdates);
        Assert.Empty(report.UnpatchedCves);
        Assert.Equal(
            "No security update tracked by Bulwark is missing, but Exchange Server 2019 CU12 no longer receives security updates: " + Upgrade2019 + ".",
            report.Action);
    }

    [Fact]
    public void Assess_reports_ProxyNotShell_missing_on_2019_CU12_one_update_earlier()
    {
        var report = Assess("15.2.1118.15");

        Assert.Equal("CU12", report.CuName);
        Assert.False(report.IsKnownBuild);
        Assert.Equal([("Nov22SU", "KB5019758", "15.2.1118.20")], Summarise(report));
        Assert.Equal(Nov22SortedCves, report.UnpatchedCves);
        Assert.Equal("Install the November 2022 security update KB5019758 for Exchange Server 2019 CU12 (build 15.2.1118.20).", report.Action);
    }

    [Fact]
    public void Assess_reports_nothing_missing_on_Exchange_SE_at_its_newest_update()
    {
        var report = Assess("15.2.2562.37");

        Assert.Equal(ExchangeProduct.ExchangeSE, report.Product);
        Assert.Equal("Exchange Server SE", report.ProductName);
        Assert.Equal("RTM", report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Empty(report.MissingUpdates);
        Assert.Empty(report.UnpatchedCves);
        Assert.Equal(new AvailableUpdate("Feb26SU", ExchangeBuild.Parse("15.2.2562.37")), report.LatestUpdate);
        Assert.Equal(
            "No security update tracked by Bulwark is missing; Exchange Server SE RTM is at or past its newest known update (Feb26SU, build 15.2.2562.37).",
            report.Action);
    }

    [Fact]
    public void Assess_reports_every_update_missing_on_2013_CU23_RTM_and_names_its_newest_update()
    {
        var report = Assess("15.0.1497.2");

        Assert.Equal(ExchangeProduct.Exchange2013, report.Product);
        Assert.Equal("Exchange Server 2013", report.ProductName);
        Assert.Equal("CU23", report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Equal(
            [("Mar21SU", "KB5000871", "15.0.1497.12"), ("Apr21SU", "KB5001779", "15.0.1497.15"), ("May21SU", "KB5003435", "15.0.1497.18"), ("Nov22SU", "KB5019758", "15.0.1497.44")],
            Summarise(report));
        Assert.Equal(Nov22Cves2013, report.MissingUpdates[3].Cves);
        Assert.Equal([.. Mar21SortedCves, .. ProxyShellSortedCves, .. Nov22SortedCves2013], report.UnpatchedCves);
        Assert.Equal(new AvailableUpdate("Mar23SU", ExchangeBuild.Parse("15.0.1497.48")), report.LatestUpdate);
        Assert.Equal(
            "Install the November 2022 security update KB5019758 for Exchange Server 2013 CU23 (build 15.0.1497.44) or, better, the newest update for this CU, Mar23SU (build 15.0.1497.48).",
            report.Action);
    }

    [Fact]
    public void Assess_reports_nothing_missing_on_Exchange_2010_with_update_rollup_32()
    {
        var report = Assess("14.3.513.0");

        Assert.Equal(ExchangeProduct.Exchange2010, report.Product);
        Assert.Equal("Exchange Server 2010 SP3", report.ProductName);
        Assert.Null(report.CuName);
        Assert.True(report.IsKnownBuild);
        Assert.Empty(report.MissingUpdates);
        Assert.Empty(report.UnpatchedCves);
        Assert.Equal(
            "No security update tracked by Bulwark is missing, but Exchange Server 2010 SP3 no longer receives security updates: move to a supported Exchange Server version.",
            report.Action);
    }

    [Fact]
    public void Assess_reports_only_CVE_2021_26857_missing_on_Exchange_2010_before_update_rollup_32()
    {
        var report = Assess("14.3.496.0");

        Assert.False(report.IsKnownBuild);
        var missing = Assert.Single(report.MissingUpdates);
        Assert.Equal(
            new MissingSecurityUpdate("Mar21SU", "March 2021 update rollup (RU32)", "KB5000978", "ProxyLogon", missing.Cves, ExchangeBuild.Parse("14.3.513.0")),
            missing);
        Assert.Equal(["CVE-2021-26857"], missing.Cves);
        Assert.Equal(["CVE-2021-26857"], report.UnpatchedCves);
        Assert.Equal("Install the March 2021 update rollup (RU32) KB5000978 for Exchange Server 2010 SP3 (build 14.3.513.0).", report.Action);
    }

    [Fact]
    public void Assess_recommends_the_newest_update_of_a_current_CU_next_to_the_missing_one()
    {
        var report = Assess("15.1.2507.6");

        Assert.Equal("CU23", report.CuName);
        Assert.Equal([("Nov22SU", "KB5019758", "15.1.2507.16")], Summarise(report));
        Assert.Equal(
            "Install the November 2022 security update KB5019758 for Exchange Server 2016 CU23 (build 15.1.2507.16) or, better, the newest update for this CU, Feb26SU (build 15.1.2507.66).",
            report.Action);
    }

    [Fact]
    public void Assess_names_the_newest_available_update_when_nothing_tracked_is_missing()
    {
        var report = Assess("15.1.2507.16");

        Assert.Empty(report.MissingUpdates);
        Assert.Equal(new AvailableUpdate("Feb26SU", ExchangeBuild.Parse("15.1.2507.66")), report.LatestUpdate);
        Assert.Equal(
            "No security update tracked by Bulwark is missing. The newest available update for Exchange Server 2016 CU23 is Feb26SU (build 15.1.2507.66).",
            report.Action);
    }

    [Theory]
    [InlineData("15.2.2600.1", ExchangeProduct.ExchangeSE, "Exchange Server SE")]
    [InlineData("15.1.2507.70", ExchangeProduct.Exchange2016, "Exchange Server 2016")]
    public void Assess_reports_a_build_newer_than_the_table_as_unknown_with_nothing_missing(string text, ExchangeProduct product, string name)
    {
        var report = Assess(text);

        Assert.Equal(product, report.Product);
        Assert.Equal(name, report.ProductName);
        Assert.Null(report.CuName);
        Assert.False(report.IsKnownBuild);
        Assert.Empty(report.MissingUpdates);
        Assert.Empty(report.UnpatchedCves);
        Assert.Null(report.LatestUpdate);
        Assert.Equal(
            $"Build {text} is newer than every build in Bulwark's table: check Microsoft's current security guidance for {name}.",
            report.Action);
    }

    [Fact]
    public void Assess_reports_an_unknown_future_Exchange_version_as_newer_than_the_table()
    {
        var report = Assess("16.0.100.1");

        Assert.Equal(ExchangeProduct.Unknown, report.Product);
        Assert.Null(report.ProductName);
        Assert.False(report.IsKnownBuild);
        Assert.Empty(report.MissingUpdates);
        Assert.Equal(
            "Build 16.0.100.1 is newer than every build in Bulwark's table: check Microsoft's current security guidance for this Exchange version.",
            report.Action);
    }

    [Fact]
    public void Assess_reports_a_version_older_than_Exchange_2010_as_not_covered()
    {
        var report = Assess("8.3.83.6");

        Assert.Equal(ExchangeProduct.Unknown, report.Product);
        Assert.Empty(report.MissingUpdates);
        Assert.Equal(
            "Build 8.3.83.6 is not an Exchange Server version Bulwark's table covers: check Microsoft's current security guidance.",
            report.Action);
    }

    [Fact]
    public void Assess_reports_every_CVE_on_a_build_older_than_the_oldest_CU_and_asks_for_a_CU_upgrade()
    {
        var report = Assess("15.1.1261.35");

        Assert.Equal(ExchangeProduct.Exchange2016, report.Product);
        Assert.Null(report.CuName);
        Assert.False(report.IsKnownBuild);
        Assert.Equal(
            [("Mar21SU", "KB5000871", null), ("Apr21SU", "KB5001779", null), ("May21SU", "KB5003435", null), ("Nov22SU", "KB5019758", null)],
            Summarise(report));
        Assert.Equal([.. Mar21SortedCves, .. ProxyShellSortedCves, .. Nov22SortedCves], report.UnpatchedCves);
        Assert.Equal("Build 15.1.1261.35 is older than every CU in Bulwark's table: " + Upgrade2016 + ".", report.Action);
    }

    [Fact]
    public void Assess_gives_the_same_report_from_many_threads()
    {
        var build = ExchangeBuild.Parse("15.1.2106.2");
        var actions = new string[64];

        Parallel.For(0, actions.Length, i => actions[i] = ExchangePosture.BuiltIn.Assess(build).Action);

        Assert.Single(actions.Distinct());
        Assert.StartsWith("Install the March 2021 security update KB5000871", actions[0], StringComparison.Ordinal);
    }

    private static PostureReport Assess(string build) => ExchangePosture.BuiltIn.Assess(ExchangeBuild.Parse(build));

    private static (string Key, string Kb, string? FixedBuild)[] Summarise(PostureReport report) =>
        report.MissingUpdates.Select(m => (m.Key, m.Kb, m.FixedBuild?.ToString())).ToArray();
}
