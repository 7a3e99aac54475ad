using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using Bulwark.Core.Scanning;
using static Bulwark.Core.Tests.Reporting.ReportSamples;

namespace Bulwark.Core.Tests.Reporting;

public partial class HtmlReportWriterTests
{
    private static string Html(ScanResult result) => Render(new HtmlReportWriter(ToolVersion), result);

    [Fact]
    public void Html_matches_golden_file()
    {
        Golden.AssertMatches("report.html", Html(Both()));
    }

    [Fact]
    public void Html_encodes_every_hostile_log_value()
    {
        var html = Html(Both());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("=cmd|&#x27; /C calc&#x27;!A0", html, StringComparison.Ordinal);
        Assert.Contains("a &quot;quoted&quot;, value&#xA;next line Ünïcødé", html, StringComparison.Ordinal);
        Assert.Contains("owa/auth/Ünïcødé,1.aspx</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_loads_nothing_from_outside_the_file()
    {
        var html = Html(Both());

        Assert.Empty(ExternalReference().Matches(html));
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(EventHandler().Matches(InTags(html)));
        Assert.Contains("content=\"default-src 'none'; style-src 'sha256-", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_starts_with_the_verdict_then_the_steps_worst_first()
    {
        var html = Html(Both());

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"verdict\">Signs of compromise found</h1>", html, StringComparison.Ordinal);
        Assert.Contains("2 findings: 1 critical, 1 medium.", html, StringComparison.Ordinal);
        Assert.Contains(
            "these logs only reach back to 2021-03-01 (UTC); an attack before then would not show here.",
            html,
            StringComparison.Ordinal);

        var steps = StepsOf(html);
        Assert.Equal(
            [
                "Install the March 2021 security update KB5000871, then hunt for web shells.",
                "Compare the file with a clean Exchange install; if it is not yours, &quot;isolate&quot; the server, then remove it.",
                "If older logs exist (for example in backups), collect them and scan them too.",
            ],
            steps);
        Assert.True(html.IndexOf("<h1", StringComparison.Ordinal) < html.IndexOf("What to do now", StringComparison.Ordinal));
        Assert.True(html.IndexOf("What to do now", StringComparison.Ordinal) < html.IndexOf("<h2 id=\"findings\">", StringComparison.Ordinal));
    }

    [Fact]
    public void Html_lists_each_remediation_once()
    {
        var again = Ssrf with { Id = "BW-1111111111111111", Severity = Severity.High };

        var steps = StepsOf(Html(Result(Shell, Ssrf, again)));

        Assert.Equal(3, steps.Count);
        Assert.Equal(Ssrf.Remediation, steps[0]);
    }

    [Fact]
    public void Html_says_suspicious_when_only_medium_or_low_findings()
    {
        var html = Html(Result(Shell));

        Assert.Contains("<h1 id=\"verdict\">Suspicious activity found, review needed</h1>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"verdict v-suspicious\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_says_clean_without_findings_and_omits_the_caveat_without_coverage_warnings()
    {
        var result = Result() with { Coverage = [], Errors = [] };

        var html = Html(result);

        Assert.Contains("<h1 id=\"verdict\">No signs of compromise found in these logs</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<p>No findings.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("reach back", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<details", html, StringComparison.Ordinal);
        Assert.Equal(
            ["Nothing urgent from these logs. Keep Exchange Server up to date, and scan again when newer logs are available."],
            StepsOf(html));
        Assert.Contains("<p>Every file was read without errors.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_shows_the_first_50_evidence_rows_and_points_to_the_json_for_the_rest()
    {
        var evidence = Enumerable.Range(1, 53)
            .Select(n => new Evidence(EcpLog, n, null, new Dictionary<string, string> { ["N"] = $"row {n}" }))
            .ToList();
        var finding = Ssrf with { Evidence = evidence, EvidenceCount = 60 };

        var html = Html(Result(finding));

        Assert.Equal(50, Regex.Count(html, "<tr><td class=\"value\">Program Files/"));
        Assert.Contains("row 50<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("row 51<", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">3 more in the JSON report.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">7 further matching lines were counted but not kept.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_marks_severity_with_text_not_colour_alone()
    {
        var html = Html(Both());

        Assert.Contains("<span class=\"badge s-critical\">Critical</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge s-medium\">Medium</span>", html, StringComparison.Ordinal);
    }

    private static List<string> StepsOf(string html)
    {
        var list = Regex.Match(html, "<ol class=\"steps\">\n(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(list, "<li>(.*?)</li>").Select(m => m.Groups[1].Value).ToList();
    }

    private static string InTags(string html) => string.Concat(Regex.Matches(html, "<[^>]*>").Select(m => m.Value));

    [GeneratedRegex("""(?:href|src|action|srcset|poster|data)\s*=\s*["']?\s*(?!#)[^"'\s>]*:|(?:href|src)\s*=\s*["']?\s*//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("""\son[a-z]+\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
