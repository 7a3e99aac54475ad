using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Plant;

/// <summary>
/// Attacks that show only in the front-end IIS log: web-shell access after ProxyLogon, HAFNIUM's crawler
/// POSTs to OWA theme files, and the later ProxyShell, ProxyNotShell and OWASSRF exploit requests.
/// </summary>
public sealed class WebRequestPlant(PlantContext c)
{
    private const string PocChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36";
    private const string Chrome65 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/65.0.2345 Safari/537.36";
    private const string DuckDuckBot = "DuckDuckBot/1.0; (+http://duckduckgo.com/duckduckbot.html)";
    private const string Email = "&Email=autodiscover/autodiscover.json%3F@evil.com";

    public IEnumerable<ScheduledEvent> Events()
    {
        yield return Shell(c.At(1, 7, 10, 2), 412, "PL-06.1");
        yield return Shell(c.At(1, 7, 10, 9), 187, "PL-06.2");
        yield return Crawler(c.At(1, 8, 30, 44), "PL-07.1");
        yield return Crawler(c.At(1, 8, 31, 2), "PL-07.2");
        yield return new ScheduledEvent(c.At(2, 3, 6, 27), RedirSuiteServerProxy);
        yield return new ScheduledEvent(c.At(2, 13, 20, 5), ProxyShellNspi);
        yield return new ScheduledEvent(c.At(2, 13, 20, 9), ProxyShellPowerShell);
        yield return new ScheduledEvent(c.At(2, 15, 42, 31), ProxyNotShell);
        yield return new ScheduledEvent(c.At(2, 17, 5, 12), Owassrf);
    }

    private ScheduledEvent Shell(DateTime t, int ms, string id) => new(t, () =>
    {
        var r = c.Request(t, null, "POST", "/aspnet_client/system_web/discover.aspx", "203.0.113.77", "antSword/v2.1", 200).Sized(900, 300, ms);
        r.ExchangeTokens = false;
        Record(r, id, "IIS: POST /aspnet_client/system_web/discover.aspx with antSword/v2.1, HTTP 200",
            "web-shell access: POST to /aspnet_client/ by antSword/v2.1 (Sigma 67bce556) (high)");
    });

    private ScheduledEvent Crawler(DateTime t, string id) => new(t, () =>
    {
        var r = c.Request(t, null, "POST", "/owa/auth/Current/themes/resources/logon.css", "104.140.114.110", DuckDuckBot, 200).Sized(1100, 4800, 96);
        r.EncodingToken = true;
        Record(r, id, "IIS: POST /owa/auth/Current/themes/resources/logon.css from Volexity IP 104.140.114.110 with DuckDuckBot/1.0, HTTP 200",
            "HAFNIUM request: POST /owa/auth/Current/themes/resources/ with a crawler user agent (Sigma 67bce556, Volexity); actor IP as context (high)");
    });

    private void RedirSuiteServerProxy()
    {
        var r = c.Request(c.At(2, 3, 6, 27), null, "GET", "/owa/auth/RedirSuiteServerProxy.aspx", "139.162.202.236", Chrome65, 200).Sized(600, 1100, 133);
        r.EncodingToken = true;
        Record(r, "PL-08", "IIS: GET /owa/auth/RedirSuiteServerProxy.aspx (look-alike of the genuine RedirSuiteServiceProxy.aspx), HTTP 200",
            "web-shell access: request to a page that is not part of Exchange in owa/auth (helsecert incident) (high)");
    }

    private void ProxyShellNspi()
    {
        var r = Autodiscover(c.At(2, 13, 20, 5), "@evil.com/mapi/nspi/?" + Email, "python-requests/2.26.0", 91);
        Record(r, "PL-09.1", "IIS: POST /autodiscover/autodiscover.json ?@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com, HTTP 200",
            "ProxyShell CVE-2021-34473: autodiscover.json with /mapi/nspi and HTTP 200 (Sigma 992be1eb) (critical)");
    }

    private void ProxyShellPowerShell()
    {
        var token = CommonAccessToken.Build("Administrator@contoso.org", "S-1-5-21-1402327396-2851218426-2839510234-500", "S-1-5-32-544");
        var query = "@evil.com/powershell/?X-Rps-CAT=" + CommonAccessToken.UrlEncoded(token) + Email;
        var r = Autodiscover(c.At(2, 13, 20, 9), query, "Python PSRP Client", 2210);
        Record(r, "PL-09.2", "IIS: POST /autodiscover/autodiscover.json ?@evil.com/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz...&Email=..., HTTP 200",
            "ProxyShell CVE-2021-34473/34523: autodiscover.json with /powershell and X-Rps-CAT, HTTP 200 (Sigma 992be1eb) (critical)");
    }

    private void ProxyNotShell()
    {
        var query = "@evil.com/owa/&Email=autodiscover/autodiscover.json%3f@evil.com&Protocol=XYZ&FooProtocol=Powershell";
        var r = Autodiscover(c.At(2, 15, 42, 31), query, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:105.0) Gecko/20100101 Firefox/105.0", 304);
        r.ClientIp = "203.0.113.61";
        Record(r, "PL-10", "IIS: POST /autodiscover/autodiscover.json ?@evil.com/owa/&Email=...%3f@evil.com&Protocol=XYZ&FooProtocol=Powershell, HTTP 200",
            "ProxyNotShell CVE-2022-41040: autodiscover.json with Powershell and HTTP 200 (SigBase expl_cve_2022_41040) (critical)");
    }

    private void Owassrf()
    {
        var r = c.Request(c.At(2, 17, 5, 12), null, "POST", "/owa/mastermailbox%40outlook.com/powershell", "203.0.113.99", PocChrome, 200)
            .Sized(2400, 900, 1830);
        r.IisUser = "user317@contoso.org";
        r.EncodingToken = true;
        Record(r, "PL-11", "IIS: POST /owa/mastermailbox%40outlook.com/powershell with the public PoC's Chrome/105.0.5195.54 user agent, HTTP 200",
            "OWASSRF CVE-2022-41080 + CVE-2022-41082: POST /owa/{x}%40{domain}/powershell with HTTP 200 (Sigma 181f49fa, 92d78c63) (critical)");
    }

    private Request Autodiscover(DateTime t, string query, string agent, int ms) =>
        c.Request(t, null, "POST", "/autodiscover/autodiscover.json", "203.0.113.45", agent, 200).WithQuery(query).Sized(700, 1800, ms);

    private void Record(Request r, string id, string what, string expected) =>
        c.Manifest.Add(c.Logs.Write(r).FrontEnd, id, PlantKind.Attack, what, expected);
}
