using System.Text.Json;
using Bulwark.Core.Reporting;
using static Bulwark.Core.Tests.Reporting.ReportSamples;

namespace Bulwark.Core.Tests.Reporting;

public class JsonReportWriterTests
{
    [Fact]
    public void Json_matches_golden_file()
    {
        Golden.AssertMatches("report.json", Render(new JsonReportWriter(ToolVersion), Both()));
    }

    [Fact]
    public void Json_has_summary_coverage_and_errors()
    {
        using var doc = JsonDocument.Parse(Render(new JsonReportWriter(ToolVersion), Both()));
        var root = doc.RootElement;

        Assert.Equal(
            ["tool", "version", "root", "summary", "findings", "coverage", "errors"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("bulwark", root.GetProperty("tool").GetString());
        Assert.Equal(ToolVersion, root.GetProperty("version").GetString());
        Assert.Equal("/cases/ngo-mail-01", root.GetProperty("root").GetString());

        var summary = root.GetProperty("summary");
        Assert.Equal("compromise", summary.GetProperty("verdict").GetString());
        Assert.Equal(2, summary.GetProperty("findings").GetInt32());
        Assert.Equal(
            [("critical", 1), ("high", 0), ("medium", 1), ("low", 0), ("info", 0)],
            summary.GetProperty("bySeverity").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
        Assert.Equal(12, summary.GetProperty("files").GetInt32());
        Assert.Equal(3, summary.GetProperty("logFiles").GetInt32());
        Assert.Equal(5_242_880, summary.GetProperty("bytes").GetInt64());
        Assert.Equal(41_337, summary.GetProperty("lines").GetInt64());
        Assert.Equal(2.345, summary.GetProperty("elapsedSeconds").GetDouble());

        var findings = root.GetProperty("findings");
        Assert.Equal(["BW-3f2a9c1d5e6b7a80", "BW-0c1d2e3f40516273"], findings.EnumerateArray().Select(f => f.GetProperty("id").GetString()));

        var coverage = root.GetProperty("coverage");
        Assert.Equal(2, coverage.GetArrayLength());
        Assert.Equal(["folder", "kind", "files", "earliest", "latest", "warning"], coverage[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("Logging/HttpProxy/Ecp", coverage[0].GetProperty("folder").GetString());
        Assert.Equal("exchange-httpproxy", coverage[0].GetProperty("kind").GetString());
        Assert.Equal(2, coverage[0].GetProperty("files").GetInt32());
        Assert.Equal("2021-03-01T00:00:00Z", coverage[0].GetProperty("earliest").GetString());
        Assert.Equal("2021-03-04T23:59:59Z", coverage[0].GetProperty("latest").GetString());
        Assert.Equal("Logs start 2021-03-01, after ProxyLogon exploitation began (January 2021).", coverage[0].GetProperty("warning").GetString());
        Assert.Equal(JsonValueKind.Null, coverage[1].GetProperty("latest").ValueKind);
        Assert.Equal(JsonValueKind.Null, coverage[1].GetProperty("warning").ValueKind);

        var errors = root.GetProperty("errors");
        Assert.Equal(
            [("Logging/HttpProxy/Ecp/HttpProxy_2021030309-1.LOG", 17L, "expected 31 fields, found 4"), ("pagefile.sys", 0L, "access denied")],
            errors.EnumerateArray().Select(e => (e.GetProperty("file").GetString(), e.GetProperty("line").GetInt64(), e.GetProperty("message").GetString())));
    }

    [Fact]
    public void Json_writes_the_same_finding_objects_as_jsonl()
    {
        using var json = JsonDocument.Parse(Render(new JsonReportWriter(ToolVersion), Both()));
        var lines = Render(new JsonLinesReportWriter(), Both()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var fromJson = json.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => JsonSerializer.Serialize(f)).ToList();
        var fromJsonl = lines.Select(l => JsonSerializer.Serialize(JsonDocument.Parse(l).RootElement)).ToList();

        Assert.Equal(fromJsonl, fromJson);
    }

    [Fact]
    public void Json_for_a_clean_scan_has_empty_findings_and_clean_verdict()
    {
        using var doc = JsonDocument.Parse(Render(new JsonReportWriter(ToolVersion), Result()));

        Assert.Equal("clean", doc.RootElement.GetProperty("summary").GetProperty("verdict").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("findings").GetArrayLength());
    }
}
