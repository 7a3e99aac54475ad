using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Matching;

public sealed class IntelSetTests
{
    private static readonly DateTimeOffset From = new(2021, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2021-01-15", 80)] // before publication, within the lead time
    [InlineData("2021-03-03", 80)]
    [InlineData("2022-03-01", 80)] // within the assumed year of validity
    [InlineData("2023-03-02", 40)] // a year past it: halved
    [InlineData("2019-12-02", 40)] // a year before the lead time
    public void Confidence_ages_with_distance_from_the_validity_window(string at, int expected)
    {
        Assert.Equal(expected, IntelSet.AgedConfidence(80, From, null, DateTimeOffset.Parse(at + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Confidence_is_not_aged_without_a_time_or_a_start()
    {
        Assert.Equal(80, IntelSet.AgedConfidence(80, From, null, null));
        Assert.Equal(80, IntelSet.AgedConfidence(80, null, null, From.AddYears(5)));
    }

    [Theory]
    [InlineData(100, Confidence.High)]
    [InlineData(70, Confidence.High)]
    [InlineData(69, Confidence.Medium)]
    [InlineData(40, Confidence.Medium)]
    [InlineData(39, Confidence.Low)]
    [InlineData(0, Confidence.Low)]
    public void Confidence_levels(int value, Confidence level) => Assert.Equal(level, IntelSet.ToLevel(value));

    [Fact]
    public void Attribution_follows_indicates_to_the_actor_and_keeps_the_strictest_tlp()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, "198.51.100.1", confidence: 90, tlp: Tlp.Green);
        catalog.Indicator("indicator--2", IocKind.IPv4, "198.51.100.2", confidence: 60, tlp: Tlp.Amber);
        catalog.Indicator("indicator--3", IocKind.IPv4, "198.51.100.3", attributed: false);
        var intel = IntelSet.Build(catalog);

        var attribution = Assert.Single(intel.Attribute(["indicator--1", "indicator--2", "indicator--3"], From));

        Assert.Equal("G0125", attribution.ActorId);
        Assert.Equal("HAFNIUM", attribution.ActorName);
        Assert.Equal(90, attribution.Confidence);
        Assert.Equal(Tlp.Amber, attribution.Tlp);
        Assert.Equal(["indicator--1", "indicator--2"], attribution.IndicatorIds);
        Assert.Equal(["Silk Typhoon"], attribution.Aliases);
        Assert.Empty(intel.Attribute(["indicator--3"], From));
    }

    [Fact]
    public void A_campaign_attributed_to_an_actor_carries_the_attribution_with_both_confidences()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.Domain, "evil.example", confidence: 80, attributed: false);
        catalog.Add(new IntelObject("campaign--1", "campaign", "Exchange Marauder", IntelFixtures.Source) { Tlp = Tlp.Red });
        catalog.Add(new IntelRelationship("relationship--a", "indicator--1", IntelRelationship.Indicates, "campaign--1", IntelFixtures.Source) { Confidence = 50, Tlp = Tlp.Green });
        catalog.Add(new IntelRelationship("relationship--b", "campaign--1", IntelRelationship.AttributedTo, IntelFixtures.Hafnium, IntelFixtures.Source) { Confidence = 50, Tlp = Tlp.Green });

        var attribution = Assert.Single(IntelSet.Build(catalog).Attribute(["indicator--1"], From));

        Assert.Equal("G0125", attribution.ActorId);
        Assert.Equal(20, attribution.Confidence);
        Assert.Equal(Tlp.Red, attribution.Tlp);
    }

    [Fact]
    public void Revoked_indicators_and_relationships_are_left_out()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, "198.51.100.1", revoked: true);
        catalog.Indicator("indicator--2", IocKind.IPv4, "198.51.100.2", attributed: false);
        catalog.Add(new IntelRelationship("relationship--x", "indicator--2", IntelRelationship.Indicates, IntelFixtures.Hafnium, IntelFixtures.Source) { Revoked = true });

        var intel = IntelSet.Build(catalog);

        Assert.Equal(1, intel.RevokedIndicators);
        Assert.Equal(1, intel.Index.Count);
        Assert.True(intel.Index.Match("198.51.100.1").IsEmpty);
        Assert.Empty(intel.Attribute(["indicator--1", "indicator--2"], From));
    }

    [Fact]
    public void Values_a_warninglist_covers_are_suppressed_and_reported()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, "8.8.8.8");
        catalog.Indicator("indicator--2", IocKind.IPv4, "198.51.100.2");

        var intel = IntelSet.Build(catalog, (kind, value) => value == "8.8.8.8" ? "List of known IPv4 public DNS resolvers" : null);

        var suppressed = Assert.Single(intel.Suppressed);
        Assert.Equal((new IndexValue(IocKind.IPv4, "8.8.8.8"), "indicator--1", "List of known IPv4 public DNS resolvers"), suppressed);
        Assert.True(intel.Index.Match("8.8.8.8").IsEmpty);
        Assert.Equal(1, intel.Index.Match("198.51.100.2").Count);
    }

    [Fact]
    public void Malformed_values_are_rejected_with_the_indicator_and_the_rest_are_indexed()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, "999.1.1.1");
        catalog.Indicator("indicator--2", IocKind.IPv4, "198.51.100.2");

        var intel = IntelSet.Build(catalog);

        var problem = Assert.Single(intel.Rejected);
        Assert.Equal("indicator--1", problem.Where);
        Assert.Contains("999.1.1.1", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, intel.Index.Count);
    }

    [Fact]
    public void File_paths_under_a_web_root_are_matched_by_site_path()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.FilePath, @"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\bob.aspx");
        catalog.Indicator("indicator--2", IocKind.FilePath, @"C:\Windows\Temp\x.exe");

        var intel = IntelSet.Build(catalog);

        Assert.Equal(1, intel.WebPathCount);
        Assert.Equal(1, intel.MatchWebPath("/OWA/auth/Bob.aspx").Length);
        Assert.Equal(0, intel.MatchWebPath("/owa/auth/alice.aspx").Length);
    }

    [Fact]
    public void Activity_after_valid_until_does_not_match_but_activity_before_valid_from_does()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, "198.51.100.1", validUntil: From.AddDays(30));
        var intel = IntelSet.Build(catalog);
        var entry = intel.Index.Match("198.51.100.1")[0];

        Assert.True(intel.Applies(entry, From.AddDays(-200)));
        Assert.True(intel.Applies(entry, From.AddDays(29)));
        Assert.False(intel.Applies(entry, From.AddDays(30)));
        Assert.True(intel.Applies(entry, null));
    }
}
