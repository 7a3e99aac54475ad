using Bulwark.Core.Findings;
using Bulwark.Core.Tests.Support;
using static Bulwark.Core.Tests.Support.LogBuilder;

namespace Bulwark.Core.Tests.Detection.Exchange;

public sealed class IisRequestDetectorTests
{
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.82 Safari/537.36";
    private const string Query = "&CorrelationID=<empty>;&cafeReqId=0f8e2a6c-1b3d-4e5f-8a9b-0c1d2e3f4a5b;&encoding=;";

    private static Finding Single(string line, string detectionId)
    {
        var result = Scan.Files((Scan.Iis, IisHeader() + line));
        var finding = Assert.Single(result.Attacks());
        Assert.Equal(detectionId, finding.DetectionId);
        Assert.Equal(5, Assert.Single(finding.Evidence).Line);
        return finding;
    }

    private static void None(string line)
    {
        var result = Scan.Files((Scan.Iis, IisHeader() + line));
        Assert.Empty(result.Attacks());
    }

    [Theory]
    [InlineData("/ecp/y.js")]
    [InlineData("/ecp/ab1.js")]
    [InlineData("/owa/auth/Current/themes/resources/logon.css")]
    [InlineData("/ecp/default.flt")]
    [InlineData("/ecp/main.css")]
    public void ProxyLogon_request_shapes_fire(string stem)
    {
        var finding = Single(IisLine("07:39:04", "POST", stem, Query, "192.0.2.44", Browser, 200), "exchange.proxylogon.request");
        Assert.Equal("192.0.2.44", finding.Subject);
        Assert.Equal(stem, finding.Evidence[0].Fields["cs-uri-stem"]);
    }

    [Theory]
    [InlineData("GET", "/owa/auth/Current/themes/resources/logon.css")] // the logon page loads it with GET
    [InlineData("GET", "/ecp/y.js")]
    [InlineData("POST", "/ecp/DDI/DDIService.svc/GetList")]
    [InlineData("POST", "/ecp/scripts/preloader.js")]
    [InlineData("GET", "/owa/auth/15.1.2106/themes/resources/logon.css")]
    public void Ordinary_owa_and_ecp_traffic_does_not_fire(string method, string stem) =>
        None(IisLine("09:00:00", method, stem, Query, "10.0.0.31", Browser, 200, user: "CONTOSO\\user042"));

    [Fact]
    public void ProxyShell_powershell_with_token_and_status_200_is_critical()
    {
        var finding = Single(
            IisLine("08:01:00", "POST", "/autodiscover/autodiscover.json", "@evil.com/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9z&Email=autodiscover/autodiscover.json%3F@evil.com", "198.51.100.7", "python-requests/2.26.0", 200),
            "exchange.proxyshell");
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(["CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"], finding.Cves);
    }

    [Fact]
    public void ProxyShell_refused_with_401_is_an_attempt()
    {
        var finding = Single(
            IisLine("08:01:00", "GET", "/autodiscover/autodiscover.json", "@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com", "198.51.100.7", "python-requests/2.26.0", 401),
            "exchange.proxyshell.attempt");
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void ProxyNotShell_reaches_powershell_without_a_token()
    {
        Single(
            IisLine("08:02:00", "POST", "/autodiscover/autodiscover.json", "@evil.com/owa/&Email=autodiscover/autodiscover.json%3f@evil.com&Protocol=XYZ&FooProtocol=Powershell", "198.51.100.8", Browser, 200),
            "exchange.proxynotshell");
    }

    [Theory]
    [InlineData("/autodiscover/autodiscover.json", "Email=user042@contoso.org&Protocol=ActiveSync&RedirectCount=1")] // Outlook mobile's real request
    [InlineData("/autodiscover/autodiscover.xml", "")]
    [InlineData("/powershell", "serializationLevel=Full;ExchClientVer=15.1.2106.2;clientApplication=ManagementShell")]
    public void Ordinary_autodiscover_and_powershell_requests_do_not_fire(string stem, string query) =>
        None(IisLine("09:10:00", "POST", stem, query, "10.0.0.31", "Microsoft Office/16.0", 200, user: "user042@contoso.org"));

    [Fact]
    public void Owassrf_post_to_owa_mailbox_powershell_fires()
    {
        Single(
            IisLine("08:03:00", "POST", "/owa/mastermailbox%40outlook.com/powershell", "", "198.51.100.9", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36", 200),
            "exchange.owassrf");
    }

    [Theory]
    [InlineData("ClientInfo", 200)]
    [InlineData("Microsoft+WinRM+Client", 200)]
    [InlineData("Mozilla/5.0", 401)]
    public void Owassrf_excludes_exchange_clients_and_failures(string agent, int status) =>
        None(IisLine("08:03:00", "POST", "/owa/admin@contoso.org/powershell", "", "10.0.0.5", agent, status));

    [Fact]
    public void Known_shell_name_in_aspnet_client_is_critical_and_grouped_by_page()
    {
        var log = IisHeader()
            + IisLine("08:10:00", "POST", "/aspnet_client/system_web/discover.aspx", "", "203.0.113.50", "antSword/v2.1", 200)
            + IisLine("08:11:00", "POST", "/aspnet_client/system_web/discover.aspx", "", "203.0.113.51", Browser, 200);
        var result = Scan.Files((Scan.Iis, log));

        var shell = Assert.Single(result.Of("exchange.webshell.request.known-name"));
        Assert.Equal("/aspnet_client/system_web/discover.aspx", shell.Subject);
        Assert.Equal(2, shell.EvidenceCount);
        var agent = Assert.Single(result.Of("exchange.intel.attacker-user-agent"));
        Assert.Equal("203.0.113.50", agent.Subject);
    }

    [Fact]
    public void Lookalike_page_in_owa_auth_is_flagged_and_the_genuine_one_is_not()
    {
        var log = IisHeader()
            + IisLine("08:20:00", "GET", "/owa/auth/RedirSuiteServerProxy.aspx", Query, "203.0.113.60", Browser, 200)
            + IisLine("08:21:00", "GET", "/owa/auth/RedirSuiteServiceProxy.aspx", Query, "10.0.0.31", Browser, 200)
            + IisLine("08:22:00", "GET", "/owa/auth/logon.aspx", "replaceCurrent=1&url=https%3a%2f%2fmail.contoso.org%2fowa%2f", "10.0.0.31", Browser, 200)
            + IisLine("08:23:00", "POST", "/owa/auth/15.1.2106/themes/resources/x.aspx", "", "203.0.113.61", Browser, 200)
            + IisLine("08:24:00", "GET", "/ecp/auth/TimeoutLogout.aspx", "", "10.0.0.31", Browser, 200);
        var result = Scan.Files((Scan.Iis, log));

        var known = Assert.Single(result.Of("exchange.webshell.request.known-name"));
        Assert.Equal("/owa/auth/redirsuiteserverproxy.aspx", known.Subject);
        var unexpected = Assert.Single(result.Of("exchange.webshell.request.unexpected-page"));
        Assert.Equal("/owa/auth/15.1.2106/themes/resources/x.aspx", unexpected.Subject);
        Assert.Equal(2, result.Attacks().Count);
    }

    [Fact]
    public void Requests_for_missing_shells_are_probes()
    {
        var finding = Single(IisLine("08:30:00", "GET", "/aspnet_client/shell.aspx", "", "203.0.113.70", Browser, 404), "exchange.webshell.probe");
        Assert.Equal(Severity.Low, finding.Severity);
    }

    [Fact]
    public void Crawler_agent_posting_to_owa_auth_current_from_a_Volexity_address_fires_three_ways()
    {
        var result = Scan.Files((Scan.Iis, IisHeader() + IisLine("07:00:00", "POST", "/owa/auth/Current/themes/resources/logon.css", "", "5.254.43.18", "DuckDuckBot/1.0; (+http://duckduckgo.com/duckduckbot.html)", 200)));

        Assert.Equal(
            ["exchange.intel.attacker-ip", "exchange.intel.attacker-user-agent", "exchange.proxylogon.request"],
            result.Attacks().Select(f => f.DetectionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Crawler_agent_doing_ordinary_gets_does_not_fire() =>
        None(IisLine("07:00:00", "GET", "/owa/auth/logon.aspx", "", "66.249.66.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 200));
}
