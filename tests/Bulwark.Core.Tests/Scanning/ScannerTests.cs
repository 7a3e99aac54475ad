using System.IO.Compression;
using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Tests.Support;
using static Bulwark.Core.Tests.Support.LogBuilder;

namespace Bulwark.Core.Tests.Scanning;

public sealed class ScannerTests
{
    private const string Attack = "POST";

    private static string IisDay(string date, params string[] lines) =>
        "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: " + date + " 00:00:00\n#Fields: " + IisFields + "\n"
        + string.Concat(lines.Select(l => l.Replace("2021-03-03", date, StringComparison.Ordinal)));

    [Fact]
    public void Coverage_reports_each_folder_range_and_warns_when_logs_start_after_January_2021()
    {
        var result = Scan.Files(
            ("inetpub/logs/LogFiles/W3SVC1/u_ex210302.log", IisDay("2021-03-02", IisLine("00:00:05", "GET", "/owa/", "", "10.0.0.1", "x", 200))),
            ("inetpub/logs/LogFiles/W3SVC1/u_ex210304.log", IisDay("2021-03-04", IisLine("00:00:05", "GET", "/owa/", "", "10.0.0.1", "x", 200), IisLine("23:59:59", "GET", "/owa/", "", "10.0.0.1", "x", 200))),
            ("old/inetpub/logs/LogFiles/W3SVC2/u_ex201215.log", IisDay("2020-12-15", IisLine("10:00:00", "GET", "/ews/exchange.asmx", "", "10.0.0.1", "x", 200))));

        Assert.Equal(2, result.Coverage.Count);
        var w1 = result.Coverage[0];
        Assert.Equal(("W3SVC1", "IIS W3C", 2), (w1.Folder, w1.Kind, w1.Files));
        Assert.Equal(new DateTimeOffset(2021, 3, 2, 0, 0, 5, TimeSpan.Zero), w1.Earliest);
        Assert.Equal(new DateTimeOffset(2021, 3, 4, 23, 59, 59, TimeSpan.Zero), w1.Latest);
        Assert.Equal("logs start 2021-03-02: ProxyLogon exploitation began in early January 2021, so a compromise before 2021-03-02 would not show here", w1.Warning);
        var w2 = result.Coverage[1];
        Assert.Equal("W3SVC2", w2.Folder);
        Assert.Null(w2.Warning);
        Assert.Equal(3, result.Statistics.LogFiles);
        Assert.Equal(4 + 1 + 4 + 2 + 4 + 1, result.Statistics.Lines);
    }

    [Fact]
    public void From_and_to_limit_what_detectors_see()
    {
        var log = IisHeader()
            + IisLine("07:00:00", Attack, "/ecp/y.js", "", "192.0.2.1", "x", 200)
            + IisLine("12:00:00", Attack, "/ecp/z.js", "", "192.0.2.2", "x", 200);
        using var tree = new TempTree();
        tree.Write(Scan.Iis, log);

        var morning = Scan.Path(tree.Root, to: new DateTimeOffset(2021, 3, 3, 8, 0, 0, TimeSpan.Zero));
        var afternoon = Scan.Path(tree.Root, from: new DateTimeOffset(2021, 3, 3, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal("192.0.2.1", Assert.Single(morning.Attacks()).Subject);
        Assert.Equal("192.0.2.2", Assert.Single(afternoon.Attacks()).Subject);
    }

    [Fact]
    public void Malformed_lines_are_reported_with_file_and_line_and_the_scan_goes_on()
    {
        var log = IisHeader()
            + "2021-03-03 07:00:00 10.0.0.5 POST /ecp/y.js\n"
            + IisLine("07:00:01", Attack, "/ecp/x.js", "", "192.0.2.3", "x", 200);
        var proxy = HttpProxyHeader() + "2021-03-03T07:00:00Z,\"unterminated ServerInfo~a]@x:444/y#\n";
        var result = Scan.Files((Scan.Iis, log), (Scan.HttpProxyEcp, proxy));

        Assert.Equal(
            [
                $"{Scan.HttpProxyEcp}:6: quoted field 2 is not closed",
                $"{Scan.Iis}:5: expected 15 space-separated fields (per #Fields), found 5",
            ],
            result.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("192.0.2.3", Assert.Single(result.Attacks()).Subject);
    }

    [Fact]
    public void A_file_with_no_header_is_reported_once_per_line_up_to_the_cap()
    {
        var lines = string.Concat(Enumerable.Range(0, 30).Select(i => $"garbage ServerInfo~ {i}\n"));
        var result = Scan.Files((Scan.HttpProxyEcp, lines));

        Assert.Equal(21, result.Errors.Count);
        Assert.Equal($"{Scan.HttpProxyEcp}:1: no #Fields directive or 'DateTime,…' header row before the first data line", result.Errors[1].ToString());
        Assert.Equal($"{Scan.HttpProxyEcp}: 10 more malformed lines not listed", result.Errors[0].ToString());
    }

    [Fact]
    public void Iis_fields_change_mid_file_and_bare_httpproxy_header_row_are_both_read()
    {
        var iis = IisHeader()
            + IisLine("07:00:00", "GET", "/owa/", "", "10.0.0.1", "x", 200)
            + IisHeader("date time cs-method cs-uri-stem cs-uri-query c-ip cs(User-Agent) cs(Cookie) sc-status")
            + "2021-03-03 07:05:00 POST /ecp/q.js - 192.0.2.9 x X-BEResource=localhost~1942062522 200\n";
        var bare = string.Join(',', HttpProxyFields) + "\n"
            + HttpProxyRow(("DateTime", "2021-03-03T07:06:00Z"), ("AnchorMailbox", "ServerInfo~a]@ex01:444/ecp/proxyLogon.ecp?#"), ("ClientIpAddress", "192.0.2.10"), ("HttpStatus", "241"));
        var result = Scan.Files((Scan.Iis, iis), (Scan.HttpProxyEcp, bare));

        var request = Assert.Single(result.Of("exchange.proxylogon.request"));
        Assert.Equal(10, request.Evidence[0].Line);
        Assert.Equal("X-BEResource=localhost~1942062522", request.Evidence[0].Fields["cs(Cookie)"]);
        var ssrf = Assert.Single(result.Of("exchange.proxylogon.ssrf"));
        Assert.Equal(2, ssrf.Evidence[0].Line);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Version_header_becomes_a_posture_finding_with_the_update_to_install()
    {
        var result = Scan.Files((Scan.HttpProxyOwa, HttpProxyHeader("15.01.2106.002") + HttpProxyRow(("DateTime", "2021-03-03T07:06:00Z"), ("UrlStem", "/owa/"))));

        var posture = Assert.Single(result.Findings);
        Assert.Equal("exchange.posture.missing-updates", posture.DetectionId);
        Assert.Equal(Severity.Critical, posture.Severity);
        Assert.Equal("15.1.2106.2", posture.Subject);
        Assert.Contains("CVE-2021-26855", posture.Cves);
        Assert.StartsWith("Install the March 2021 security update KB5000871 for Exchange Server 2016 CU18 (build 15.1.2106.13)", posture.Remediation, StringComparison.Ordinal);
        var evidence = Assert.Single(posture.Evidence);
        Assert.Equal((Scan.HttpProxyOwa, 2L), (evidence.File, evidence.Line));
        Assert.Equal("15.01.2106.002", evidence.Fields["#Version"]);
        Assert.Equal(Bulwark.Core.Reporting.Verdict.Clean, Bulwark.Core.Reporting.Verdicts.Of(result.Findings));
    }

    [Fact]
    public void Loose_logs_are_recognised_from_content_and_archives_are_scanned_inside()
    {
        using var tree = new TempTree();
        var iis = IisHeader() + IisLine("07:00:00", Attack, "/ecp/y.js", "", "192.0.2.21", "x", 200);
        tree.Write("collected/server1-web.txt", iis);
        using (var zip = new ZipArchive(File.Create(Path.Combine(tree.Root, "logs.zip")), ZipArchiveMode.Create))
        {
            using var w = new StreamWriter(zip.CreateEntry("W3SVC1/u_ex210303.log").Open(), new UTF8Encoding(false));
            w.Write(iis.Replace("192.0.2.21", "192.0.2.22", StringComparison.Ordinal));
        }

        tree.Write("notes/readme.txt", "nothing to see\n");
        var result = Scan.Path(tree.Root);

        var findings = result.Of("exchange.proxylogon.request").OrderBy(f => f.Subject).ToList();
        Assert.Equal(["collected/server1-web.txt", "logs.zip/W3SVC1/u_ex210303.log"], findings.Select(f => f.Evidence[0].File));
        Assert.Equal(3, result.Statistics.FilesScanned);
        Assert.Equal(2, result.Statistics.LogFiles);
    }
}
