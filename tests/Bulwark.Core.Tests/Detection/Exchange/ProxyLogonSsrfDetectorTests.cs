using Bulwark.Core.Tests.Support;
using static Bulwark.Core.Tests.Support.LogBuilder;

namespace Bulwark.Core.Tests.Detection.Exchange;

public sealed class ProxyLogonSsrfDetectorTests
{
    private static string Row(string anchor, string cookie = "", string status = "200", string user = "", string ip = "192.0.2.10", string time = "2021-03-03T07:39:04.123Z") =>
        HttpProxyRow(
            ("DateTime", time),
            ("RequestId", "4c6e4ec2-7d0a-4b37-8f0e-1b2a9c4d5e6f"),
            ("Protocol", "Ecp"),
            ("UrlStem", "/ecp/y.js"),
            ("AuthenticatedUser", user),
            ("AnchorMailbox", anchor),
            ("BackEndCookie", cookie),
            ("UserAgent", "Mozilla/5.0 (compatible; MSIE 10.0)"),
            ("ClientIpAddress", ip),
            ("HttpStatus", status),
            ("Method", "POST"),
            ("RoutingHint", "X-BEResource-Cookie"));

    [Fact]
    public void Scan_flags_ServerInfo_anchor_without_authenticated_user()
    {
        var result = Scan.Files((Scan.HttpProxyEcp, HttpProxyHeader() + Row("ServerInfo~a]@ex01.contoso.local:444/mapi/emsmdb/?#")));

        var finding = Assert.Single(result.Attacks());
        Assert.Equal("exchange.proxylogon.ssrf", finding.DetectionId);
        Assert.Equal(["CVE-2021-26855"], finding.Cves);
        Assert.Equal("192.0.2.10", finding.Subject);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(Scan.HttpProxyEcp, evidence.File);
        Assert.Equal(6, evidence.Line); // five header lines, then the row
        Assert.Equal("ServerInfo~a]@ex01.contoso.local:444/mapi/emsmdb/?#", evidence.Fields["AnchorMailbox"]);
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 7, 39, 4, 123, TimeSpan.Zero), finding.FirstSeen);
    }

    [Fact]
    public void Scan_flags_BackEndCookie_form_that_Test_ProxyLogon_misses()
    {
        var result = Scan.Files((Scan.HttpProxyEcp, HttpProxyHeader() + Row("", cookie: "Server~ex01.contoso.local/ecp/y.js?~1942062522")));

        var finding = Assert.Single(result.Attacks());
        Assert.Equal("exchange.proxylogon.ssrf", finding.DetectionId);
        Assert.Equal("Server~ex01.contoso.local/ecp/y.js?~1942062522", finding.Evidence[0].Fields["BackEndCookie"]);
    }

    [Fact]
    public void Autodiscover_only_anchor_is_reported_as_an_attempt_not_a_compromise()
    {
        var result = Scan.Files((Scan.HttpProxyEcp, HttpProxyHeader() + Row("ServerInfo~a]@ex01.contoso.local:444/autodiscover/autodiscover.xml?#")));

        var finding = Assert.Single(result.Attacks());
        Assert.Equal("exchange.proxylogon.ssrf-attempt", finding.DetectionId);
        Assert.Equal(Bulwark.Core.Findings.Severity.Medium, finding.Severity);
    }

    [Theory]
    [InlineData("ServerInfo~localhost:444/ecp/default.aspx?#")] // Exchange's own probe form
    [InlineData("SMTP:user042@contoso.org")]
    [InlineData("ServerInfo~ex01.contoso.local")] // no path: not the SSRF shape
    [InlineData("DatabaseGuid~6f9ac1e5-0c1d-4a2b-9d3c-5e7f8a9b0c1d")]
    public void Benign_anchors_do_not_fire(string anchor)
    {
        var result = Scan.Files((Scan.HttpProxyEcp, HttpProxyHeader() + Row(anchor, cookie: "Server~ex01.contoso.local~1942062522", user: "CONTOSO\\admin", ip: "10.0.0.20")));

        Assert.Empty(result.Attacks());
    }

    [Fact]
    public void Reset_virtual_directory_row_with_status_200_is_CVE_2021_27065()
    {
        var anchor = "ServerInfo~a]@ex01.contoso.local:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=x&schema=ResetOABVirtualDirectory#";
        var result = Scan.Files((Scan.HttpProxyEcp, HttpProxyHeader() + Row(anchor) + Row(anchor, status: "500", time: "2021-03-03T07:40:00.000Z")));

        var reset = Assert.Single(result.Of("exchange.proxylogon.vdir-reset"));
        Assert.Equal(6, Assert.Single(reset.Evidence).Line);
        Assert.Contains("CVE-2021-27065", reset.Cves);
        var ssrf = Assert.Single(result.Of("exchange.proxylogon.ssrf"));
        Assert.Equal(2, ssrf.EvidenceCount);
    }

    [Fact]
    public void Rows_of_one_client_form_one_finding_and_a_day_apart_form_two()
    {
        var log = HttpProxyHeader()
            + Row("ServerInfo~a]@ex01:444/mapi/emsmdb/?#", time: "2021-03-03T07:39:04Z")
            + Row("ServerInfo~a]@ex01:444/ecp/proxyLogon.ecp?#", status: "241", time: "2021-03-03T07:39:05Z")
            + Row("ServerInfo~a]@ex01:444/ecp/proxyLogon.ecp?#", status: "241", time: "2021-03-05T09:00:00Z")
            + Row("ServerInfo~a]@ex01:444/ecp/proxyLogon.ecp?#", ip: "192.0.2.99", time: "2021-03-03T08:00:00Z");
        var result = Scan.Files((Scan.HttpProxyEcp, log));

        var ssrf = result.Of("exchange.proxylogon.ssrf").OrderBy(f => f.Subject).ThenBy(f => f.FirstSeen).ToList();
        Assert.Equal(3, ssrf.Count);
        Assert.Equal(("192.0.2.10", 2), (ssrf[0].Subject, ssrf[0].EvidenceCount));
        Assert.Equal([6L, 7L], ssrf[0].Evidence.Select(e => e.Line));
        Assert.Equal(("192.0.2.10", 1), (ssrf[1].Subject, ssrf[1].EvidenceCount));
        Assert.Equal(8, ssrf[1].Evidence[0].Line);
        Assert.Equal(("192.0.2.99", 1), (ssrf[2].Subject, ssrf[2].EvidenceCount));
    }
}
