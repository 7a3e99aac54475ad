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
    [InlineData("exchange.webshell.request.known-name", "/owa/auth/x.aspx", "webshell", "/owa/auth/x.aspx")]
    [InlineData("exchange.webshell.probe", "/owa/auth/x.aspx", "exchange.webshell", "/owa/auth/x.aspx")]
    [InlineData("exchange.proxylogon.ecp-vdir-script", "Set-OabVirtualDirectory -ExternalUrl", "exchange.proxylogon", "Set-OabVirtualDirectory -ExternalUrl")]
    [InlineData("exchange.proxyshell", "15.1.2106", "exchange", "15.1.2106")]
    [InlineData("exchange.proxyshell", "010.1.1.1", "exchange", "010.1.1.1")]
    [InlineData("exchange.proxyshell", "16909060", "exchange", "16909060")]
    [InlineData("standalone", "x", "standalone", "x")]
    public void A_finding_is_keyed_by_address_or_by_family_and_subject(string detection, string subject, string family, string groupKey)
    {
        Assert.Equal((family, groupKey), IncidentGrouping.KeyOf(detection, subject));
    }

    /// <summary>ADR 7: one web shell seen as a request, as a file on disk and as the OAB generator's write is one key.</summary>
    [Theory]
    [InlineData("exchange.webshell.request.known-name", "/aspnet_client/system_web/discover.aspx")]
    [InlineData("exchange.webshell.request.unexpected-page", "/ASPNET_CLIENT//system_web/Discover.aspx")]
    [InlineData("exchange.proxylogon.oab-file-write", "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx")]
    [InlineData("exchange.proxylogon.oab-file-write", "\\\\ex01\\c$\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx")]
    [InlineData("exchange.webshell.content", "inetpub/wwwroot/aspnet_client/system_web/discover.aspx")]
    [InlineData("exchange.webshell.known-hash", "exchange-server.zip/inetpub/wwwroot/aspnet_client/system_web/discover.aspx")]
    [InlineData("exchange.webshell.known-name", "/mnt/ex01/Inetpub/WWWRoot/aspnet_client/system_web/discover.aspx")]
    public void A_web_shell_is_keyed_by_its_site_relative_path_however_it_was_seen(string detection, string subject)
    {
        Assert.Equal(("webshell", "/aspnet_client/system_web/discover.aspx"), IncidentGrouping.KeyOf(detection, subject));
    }

    [Theory]
    [InlineData("exchange.webshell.request.known-name", "/owa/auth/redirsuiteserverproxy.aspx")]
    [InlineData("exchange.webshell.oab-vd-config", "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx")]
    [InlineData("exchange.webshell.unexpected-page", "exchange-server.zip/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx")]
    [InlineData("exchange.proxylogon.oab-file-write", "D:\\Exchange\\FrontEnd\\HttpProxy\\owa\\auth\\RedirSuiteServerProxy.aspx")]
    [InlineData("exchange.webshell.baseline-mismatch", "V15/FrontEnd/HttpProxy/owa/auth/redirsuiteserverproxy.aspx")]
    public void Exchange_front_end_files_are_keyed_by_the_url_path_they_are_served_at(string detection, string subject)
    {
        Assert.Equal(("webshell", "/owa/auth/redirsuiteserverproxy.aspx"), IncidentGrouping.KeyOf(detection, subject));
    }

    /// <summary>What the rule leaves alone: other detections, other sites, paths it cannot place, and requests that are not paths.</summary>
    [Theory]
    [InlineData("exchange.webshell.probe", "/aspnet_client/system_web/discover.aspx", "exchange.webshell")]
    [InlineData("exchange.webshell.baseline-config-mismatch", "inetpub/wwwroot/web.config", "exchange.webshell")]
    [InlineData("exchange.postexploit.staged-archive", "inetpub/wwwroot/aspnet_client/it.zip", "exchange.postexploit")]
    [InlineData("exchange.webshell.content", "Program Files/Microsoft/Exchange Server/V15/ClientAccess/ecp/auth/x.aspx", "exchange.webshell")]
    [InlineData("exchange.webshell.content", "inetpub/wwwroot/../wwwroot/aspnet_client/x.aspx", "exchange.webshell")]
    [InlineData("exchange.webshell.content", "old_inetpub/wwwroot/aspnet_client/x.aspx", "exchange.webshell")]
    [InlineData("exchange.webshell.content", "inetpub/wwwroot/", "exchange.webshell")]
    [InlineData("exchange.proxylogon.oab-file-write", "C:\\Windows\\Temp\\x.aspx", "exchange.proxylogon")]
    [InlineData("exchange.webshell.request.known-name", "owa/auth/x.aspx", "exchange.webshell.request")]
    [InlineData("exchange.webshell.request.known-name", "/owa/auth/./x.aspx", "exchange.webshell.request")]
    public void Subjects_the_web_path_rule_cannot_place_keep_their_family_and_subject(string detection, string subject, string family)
    {
        Assert.Equal((family, subject), IncidentGrouping.KeyOf(detection, subject));
    }

    /// <summary>Instances of different versions share a database during an upgrade: the key must never change.</summary>
    [Fact]
    public void The_advisory_lock_key_of_an_organisation_is_the_same_in_every_process_and_version()
    {
        // The first 8 bytes, big-endian, of SHA-256("bulwark.organisation:0195e7a3-5c1d-7b2e-9f40-2a6c8d1e3b57").
        Assert.Equal(3234358836525294520L, OrganisationLocks.AdvisoryKey(new Guid("0195e7a3-5c1d-7b2e-9f40-2a6c8d1e3b57")));
        Assert.NotEqual(
            OrganisationLocks.AdvisoryKey(new Guid("0195e7a3-5c1d-7b2e-9f40-2a6c8d1e3b57")),
            OrganisationLocks.AdvisoryKey(new Guid("0195e7a3-5c1d-7b2e-9f40-2a6c8d1e3b58")));
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
