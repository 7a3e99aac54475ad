using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using static Bulwark.Core.Tests.Reporting.ReportSamples;

namespace Bulwark.Core.Tests.Reporting;

public class JsonLinesReportWriterTests
{
    private static readonly string[] FindingKeys =
    [
        "id", "detection", "title", "severity", "confidence", "cves", "attack", "firstSeen", "lastSeen", "subject",
        "evidenceCount", "evidence", "remediation", "source",
    ];

    [Fact]
    public void Jsonl_matches_golden_file()
    {
        Golden.AssertMatches("report.jsonl", Render(new JsonLinesReportWriter(), Both()));
    }

    [Fact]
    public void Jsonl_writes_one_finding_per_line_in_the_documented_shape()
    {
        var lines = Render(new JsonLinesReportWriter(), Both()).Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);

        using var ssrf = JsonDocument.Parse(lines[0]);
        var s = ssrf.RootElement;
        Assert.Equal(FindingKeys, s.EnumerateObject().Select(p => p.Name));
        Assert.Equal("BW-3f2a9c1d5e6b7a80", s.GetProperty("id").GetString());
        Assert.Equal("exchange.proxylogon.ssrf", s.GetProperty("detection").GetString());
        Assert.Equal("ProxyLogon server-side request forgery", s.GetProperty("title").GetString());
        Assert.Equal("critical", s.GetProperty("severity").GetString());
        Assert.Equal("high", s.GetProperty("confidence").GetString());
        Assert.Equal(["CVE-2021-26855"], s.GetProperty("cves").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["T1190"], s.GetProperty("attack").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2021-03-03T07:39:04.123Z", s.GetProperty("firstSeen").GetString());
        Assert.Equal("2021-03-03T08:02:11Z", s.GetProperty("lastSeen").GetString());
        Assert.Equal("ServerInfo~a]@mail.example.org:444", s.GetProperty("subject").GetString());
        Assert.Equal(3, s.GetProperty("evidenceCount").GetInt32());
        Assert.Equal(Ssrf.Remediation, s.GetProperty("remediation").GetString());
        Assert.Equal("Microsoft Threat Intelligence, HAFNIUM (2021-03-02)", s.GetProperty("source").GetString());

        var evidence = s.GetProperty("evidence");
        Assert.Equal(2, evidence.GetArrayLength());
        var first = evidence[0];
        Assert.Equal(["file", "line", "timestamp", "fields"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(EcpLog, first.GetProperty("file").GetString());
        Assert.Equal(123, first.GetProperty("line").GetInt64());
        Assert.Equal("2021-03-03T07:39:04.123Z", first.GetProperty("timestamp").GetString());
        Assert.Equal(
            [("AnchorMailbox", "ServerInfo~a]@mail.example.org:444/autodiscover/autodiscover.xml?#"), ("UrlStem", "/ecp/y.js")],
            first.GetProperty("fields").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        Assert.Equal(4071, evidence[1].GetProperty("line").GetInt64());
        Assert.Equal("2021-03-03T08:02:11Z", evidence[1].GetProperty("timestamp").GetString());

        using var shell = JsonDocument.Parse(lines[1]);
        var h = shell.RootElement;
        Assert.Equal(FindingKeys, h.EnumerateObject().Select(p => p.Name));
        Assert.Equal("medium", h.GetProperty("severity").GetString());
        Assert.Equal("low", h.GetProperty("confidence").GetString());
        Assert.Equal(0, h.GetProperty("cves").GetArrayLength());
        Assert.Equal(["T1505.003", "T1190"], h.GetProperty("attack").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, h.GetProperty("firstSeen").ValueKind);
        Assert.Equal(JsonValueKind.Null, h.GetProperty("lastSeen").ValueKind);
        Assert.Equal(Formula, h.GetProperty("subject").GetString());
        Assert.Equal(2, h.GetProperty("evidenceCount").GetInt32());
        Assert.Equal(Shell.Remediation, h.GetProperty("remediation").GetString());
        Assert.Equal("Bulwark", h.GetProperty("source").GetString());

        var shellFile = h.GetProperty("evidence")[0];
        Assert.Equal(ShellFile, shellFile.GetProperty("file").GetString());
        Assert.Equal(0, shellFile.GetProperty("line").GetInt64());
        Assert.Equal(JsonValueKind.Null, shellFile.GetProperty("timestamp").ValueKind);
        var hostile = h.GetProperty("evidence")[1];
        Assert.Equal(
            [("UserAgent", Script), ("Query", Awkward), ("Referer", Formula)],
            hostile.GetProperty("fields").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public void Jsonl_escapes_markup_but_keeps_letters_readable()
    {
        var text = Render(new JsonLinesReportWriter(), Both());

        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E", text, StringComparison.Ordinal);
        Assert.Contains("Ünïcødé", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_writes_nothing_for_a_clean_scan()
    {
        Assert.Equal("", Render(new JsonLinesReportWriter(), Result()));
    }

    [Fact]
    public void Jsonl_streams_many_large_findings_intact()
    {
        var findings = Enumerable.Range(0, 300).Select(i => Ssrf with
        {
            Id = $"BW-{i:x16}",
            Evidence = Enumerable.Range(1, 40)
                .Select(n => new Evidence(EcpLog, n, null, new Dictionary<string, string> { ["Value"] = new string('é', n * 10) }))
                .ToList(),
        }).ToArray();

        var lines = Render(new JsonLinesReportWriter(), Result(findings)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(300, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal($"BW-{i:x16}", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal(new string('é', 400), doc.RootElement.GetProperty("evidence")[39].GetProperty("fields").GetProperty("Value").GetString());
        }
    }

    [Fact]
    public void Jsonl_survives_a_lone_surrogate_in_a_log_value()
    {
        var finding = Shell with
        {
            Evidence = [new Evidence(IisLog, 1, null, new Dictionary<string, string> { ["UserAgent"] = "bad \uD800 text" })],
        };

        var line = Render(new JsonLinesReportWriter(), Result(finding));

        using var doc = JsonDocument.Parse(line);
        Assert.Equal("bad \uFFFD text", doc.RootElement.GetProperty("evidence")[0].GetProperty("fields").GetProperty("UserAgent").GetString());
    }
}
