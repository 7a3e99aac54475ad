using Bulwark.Core.Findings;
using Bulwark.Server.Incidents;

namespace Bulwark.Server.Tests;

/// <summary>The incident key rules of ADR 7, on their own.</summary>
public sealed class IncidentsGroupingRulesTests
{
    [Theory]
    [InlineData("exchange.proxylogon.ssrf", "130.255.189.21", "infrastructure", "130.255.189.21")]
    [InlineData("exchange.intel.attacker-user-agent", "130.255.189.21", "infrastructure", "130.255.189.21")]
    [InlineData("exchange.proxyshell", "2001:DB8::0:1", "infrastructure", "2001:db8::1")]
    [InlineData("exchange.proxyshell", "::ffff:203.0.113.45", "infrastructure", "203.0.113.45")]
    [InlineData("exchange.posture.missing-updates", "15.1.2106.2", "exchange.posture", "15.1.2106.2")]
    [InlineData("exchange.posture.missing-updates", "1.2.3.4", "exchange.posture", "1.2.3.4")]
    [InlineData("exchange.webshell.request.known-name", "/owa/auth/x.aspx", "exchange.webshell.request", "/owa/auth/x.aspx")]
    [InlineData("exchange.proxylogon.ecp-vdir-script", "Set-OabVirtualDirectory -ExternalUrl", "exchange.proxylogon", "Set-OabVirtualDirectory -ExternalUrl")]
    [InlineData("exchange.proxyshell", "15.1.2106", "exchange", "15.1.2106")]
    [InlineData("exchange.proxyshell", "010.1.1.1", "exchange", "010.1.1.1")]
    [InlineData("exchange.proxyshell", "16909060", "exchange", "16909060")]
    [InlineData("standalone", "x", "standalone", "x")]
    public void A_finding_is_keyed_by_address_or_by_family_and_subject(string detection, string subject, string family, string groupKey)
    {
        Assert.Equal((family, groupKey), IncidentGrouping.KeyOf(detection, subject));
    }

    [Fact]
    public void Worse_is_more_severe_then_more_certain()
    {
        Assert.True(IncidentGrouping.IsWorse(Severity.Critical, Confidence.Low, Severity.High, Confidence.High));
        Assert.True(IncidentGrouping.IsWorse(Severity.High, Confidence.High, Severity.High, Confidence.Medium));
        Assert.False(IncidentGrouping.IsWorse(Severity.High, Confidence.High, Severity.High, Confidence.High));
        Assert.False(IncidentGrouping.IsWorse(Severity.Medium, Confidence.High, Severity.High, Confidence.Low));
    }
}
