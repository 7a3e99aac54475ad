using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Bulwark.Core.Findings;
using Bulwark.Core.Scanning;

namespace Bulwark.Core.Reporting;

/// <summary>
/// One self-contained HTML page for a reader who is not a security specialist, possibly offline: the
/// verdict first, then what to do, the findings, their evidence, log coverage and a footer. Inline CSS
/// only; no script, font, image or link leaves the file. Every value from a log is attacker-controlled and
/// is HTML-encoded; a Content-Security-Policy that allows nothing but the page's own stylesheet backs that up.
/// </summary>
public sealed class HtmlReportWriter(string toolVersion) : IReportWriter
{
    /// <summary>Evidence rows shown per finding; the JSON report has the rest.</summary>
    public const int MaxEvidenceRows = 50;

    /// <summary>Read errors listed; the JSON report has the rest.</summary>
    public const int MaxErrorRows = 200;

    // Encodes < > & ' " + and control characters but leaves the letters of every script readable.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Css = """
        :root { color-scheme: light; --ink: #1f2937; --muted: #4b5563; --line: #d1d5db; --soft: #f3f4f6; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink); font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; }
        main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        h1 { font-size: 2rem; line-height: 1.2; margin: .25rem 0 .75rem; }
        h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        a { color: #1d4ed8; }
        a:focus-visible, summary:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
        .verdict { border: 3px solid; border-radius: .5rem; padding: 1.25rem 1.5rem; }
        .verdict p { margin: .5rem 0; font-size: 1.1rem; }
        .verdict .label { margin: 0; font-size: .9rem; letter-spacing: .04em; text-transform: uppercase; }
        .v-compromise { background: #fef2f2; border-color: #b91c1c; color: #7f1d1d; }
        .v-suspicious { background: #fffbeb; border-color: #b45309; color: #78350f; }
        .v-clean { background: #f0fdf4; border-color: #15803d; color: #14532d; }
        .steps li { margin: .5rem 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .95rem; }
        th, td { border-bottom: 1px solid var(--line); padding: .45rem .6rem; text-align: left; vertical-align: top; }
        thead th { background: var(--soft); }
        .num { text-align: right; }
        time { white-space: nowrap; }
        td.value { min-width: 10rem; }
        .badge { display: inline-block; min-width: 5.5em; padding: .1rem .5rem; border: 1px solid; border-radius: 1rem; font-size: .85rem; font-weight: 700; text-align: center; }
        .s-critical { background: #991b1b; border-color: #991b1b; color: #fff; }
        .s-high { background: #c2410c; border-color: #c2410c; color: #fff; }
        .s-medium { background: #fef08a; border-color: #a16207; color: #713f12; }
        .s-low { background: #dbeafe; border-color: #1d4ed8; color: #1e3a8a; }
        .s-info { background: #e5e7eb; border-color: #6b7280; color: #374151; }
        details { border: 1px solid var(--line); border-radius: .4rem; margin: .75rem 0; padding: .5rem .9rem; }
        summary { cursor: pointer; font-weight: 600; }
        summary .note { font-weight: 400; overflow-wrap: anywhere; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dl.meta dt { font-weight: 600; }
        dl.meta dd { margin: 0; }
        .value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .875rem; white-space: pre-wrap; overflow-wrap: anywhere; }
        table.fields th, table.fields td { border: 0; padding: .1rem .4rem; }
        table.fields th { width: 1%; white-space: nowrap; font-weight: 600; }
        .note { color: var(--muted); }
        footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
        @media (max-width: 40rem) { h1 { font-size: 1.6rem; } main { padding: 1rem .75rem 2rem; } th, td { padding: .35rem .4rem; } dl.meta { grid-template-columns: 1fr; } }
        @media print { main { max-width: none; padding: 0; } .verdict, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; } h2 { break-after: avoid; } details { break-inside: avoid-page; } details::details-content { display: block; content-visibility: visible; } .scroll { overflow: visible; } }
        """;

    private static readonly string StyleText = "\n" + Css + "\n";

    // The stylesheet is allowed by its hash, so even an injected style attribute would not apply.
    private static readonly string Policy =
        "default-src 'none'; style-src 'sha256-"
        + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(StyleText)))
        + "'; base-uri 'none'; form-action 'none'";

    private static readonly Severity[] WorstFirst =
        [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Info];

    public void Write(ScanResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var verdict = Verdicts.Of(result.Findings);

        output.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        output.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        output.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"");
        output.Write(Policy);
        output.Write("\">\n<title>Bulwark report: ");
        Text(output, verdict.Headline());
        output.Write("</title>\n<style>");
        output.Write(StyleText);
        output.Write("</style>\n</head>\n<body>\n<main>\n");

        WriteVerdict(output, result, verdict);
        WriteSteps(output, result, verdict);
        WriteFindingTable(output, result.Findings);
        WriteEvidence(output, result.Findings);
        WriteCoverage(output, result);
        WriteFooter(output, result);

        output.Write("</main>\n</body>\n</html>\n");
    }

    private static void WriteVerdict(TextWriter output, ScanResult result, Verdict verdict)
    {
        var css = verdict switch
        {
            Verdict.Compromise => "v-compromise",
            Verdict.Suspicious => "v-suspicious",
            _ => "v-clean",
        };
        output.Write($"<section class=\"verdict {css}\" aria-labelledby=\"verdict\">\n");
        output.Write("<p class=\"label\">Bulwark scan of Exchange Server logs</p>\n<h1 id=\"verdict\">");
        Text(output, verdict.Headline());
        output.Write("</h1>\n<p>");
        Text(output, verdict.Explanation());
        output.Write("</p>\n<p>");
        Text(output, CountSentence(result.Findings));
        output.Write("</p>\n");
        if (CoverageCaveat(result.Coverage) is { } caveat)
        {
            output.Write("<p><strong>Note:</strong> ");
            Text(output, caveat);
            output.Write("</p>\n");
        }

        output.Write("</section>\n");
    }

    private static void WriteSteps(TextWriter output, ScanResult result, Verdict verdict)
    {
        output.Write("<section aria-labelledby=\"steps\">\n<h2 id=\"steps\">What to do now</h2>\n<ol class=\"steps\">\n");
        // OrderByDescending is stable: equal severities keep the scan's order.
        foreach (var step in RemediationSteps.From(result.Findings.OrderByDescending(f => f.Severity).Select(f => f.Remediation)))
        {
            Item(output, step);
        }

        if (verdict == Verdict.Clean)
        {
            Item(output, "Nothing urgent from these logs. Keep Exchange Server up to date, and scan again when newer logs are available.");
        }

        if (CoverageCaveat(result.Coverage) is not null)
        {
            Item(output, "If older logs exist (for example in backups), collect them and scan them too.");
        }

        output.Write("</ol>\n</section>\n");

        static void Item(TextWriter output, string text)
        {
            output.Write("<li>");
            Text(output, text);
            output.Write("</li>\n");
        }
    }

    private static void WriteFindingTable(TextWriter output, IReadOnlyList<Finding> findings)
    {
        output.Write("<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">Findings</h2>\n");
        if (findings.Count == 0)
        {
            output.Write("<p>Bulwark found nothing to report in these logs.</p>\n</section>\n");
            return;
        }

        output.Write("<div class=\"scroll\">\n<table>\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Finding</th>"
            + "<th scope=\"col\">First seen (UTC)</th><th scope=\"col\">Last seen (UTC)</th><th scope=\"col\">Subject</th>"
            + "<th scope=\"col\" class=\"num\">Evidence</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            output.Write("<tr><td>");
            Badge(output, finding.Severity);
            output.Write("</td><td><a href=\"#finding-");
            Number(output, i + 1);
            output.Write("\">");
            Text(output, finding.Title);
            output.Write("</a></td><td>");
            Time(output, finding.FirstSeen);
            output.Write("</td><td>");
            Time(output, finding.LastSeen);
            output.Write("</td><td class=\"value\">");
            Text(output, finding.Subject);
            output.Write("</td><td class=\"num\">");
            Number(output, finding.EvidenceCount);
            output.Write("</td></tr>\n");
        }

        output.Write("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void WriteEvidence(TextWriter output, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        output.Write("<section aria-labelledby=\"evidence\">\n<h2 id=\"evidence\">Evidence</h2>\n");
        output.Write("<p class=\"note\">Open a finding to see the log lines that show it. Times are in UTC.</p>\n");
        for (var i = 0; i < findings.Count; i++)
        {
            WriteFindingDetails(output, findings[i], i + 1);
        }

        output.Write("</section>\n");
    }

    private static void WriteFindingDetails(TextWriter output, Finding finding, int number)
    {
        output.Write("<details id=\"finding-");
        Number(output, number);
        output.Write("\">\n<summary>");
        Badge(output, finding.Severity);
        output.Write(' ');
        Text(output, finding.Title);
        output.Write(" <span class=\"note\">(");
        Text(output, finding.Subject);
        output.Write(")</span></summary>\n<dl class=\"meta\">\n");
        Term(output, "Subject", finding.Subject, "value");
        Term(output, "Confidence", Capitalised(finding.Confidence.ToText()), null);
        output.Write("<dt>First seen</dt><dd>");
        Time(output, finding.FirstSeen);
        output.Write("</dd>\n<dt>Last seen</dt><dd>");
        Time(output, finding.LastSeen);
        output.Write("</dd>\n");
        if (finding.Cves.Count > 0)
        {
            Term(output, "CVE", string.Join(", ", finding.Cves), null);
        }

        if (finding.Attack.Count > 0)
        {
            Term(output, "ATT&CK", string.Join(", ", finding.Attack), null);
        }

        foreach (var a in finding.Attribution)
        {
            var names = a.Aliases.Count > 0 ? $" (also {string.Join(", ", a.Aliases.Take(5))})" : "";
            var country = a.Country is null ? "" : $", {a.Country}";
            Term(output, "Attributed to", $"{a.ActorName}{names}{country}: confidence {a.Confidence}/100, TLP:{Intel.Matching.IntelEvidence.TlpText(a.Tlp)}, from {string.Join(", ", a.Sources)}", null);
        }

        if (finding.Tlp is { } tlp)
        {
            Term(output, "TLP", "TLP:" + Intel.Matching.IntelEvidence.TlpText(tlp) + " (the strictest marking of the intelligence used: share this finding only as that allows)", null);
        }

        Term(output, "What to do", finding.Remediation, null);
        Term(output, "Detection", finding.DetectionId, "value");
        Term(output, "Source", finding.Source, null);
        Term(output, "Finding id", finding.Id, "value");
        output.Write("</dl>\n");

        var shown = Math.Min(finding.Evidence.Count, MaxEvidenceRows);
        if (shown > 0)
        {
            output.Write("<div class=\"scroll\">\n<table>\n<thead><tr><th scope=\"col\">Where</th><th scope=\"col\">When (UTC)</th>"
                + "<th scope=\"col\">What matched</th></tr></thead>\n<tbody>\n");
            for (var i = 0; i < shown; i++)
            {
                WriteEvidenceRow(output, finding.Evidence[i]);
            }

            output.Write("</tbody>\n</table>\n</div>\n");
        }

        if (finding.Evidence.Count > shown)
        {
            output.Write("<p class=\"note\">");
            Number(output, finding.Evidence.Count - shown);
            output.Write(" more in the JSON report.</p>\n");
        }

        if (finding.EvidenceCount > finding.Evidence.Count)
        {
            var dropped = finding.EvidenceCount - finding.Evidence.Count;
            output.Write("<p class=\"note\">");
            Text(output, Plural(dropped, "further matching line"));
            output.Write(dropped == 1 ? " was counted but not kept.</p>\n" : " were counted but not kept.</p>\n");
        }

        output.Write("</details>\n");
    }

    private static void WriteEvidenceRow(TextWriter output, Evidence evidence)
    {
        output.Write("<tr><td class=\"value\">");
        Text(output, evidence.File);
        if (evidence.Line > 0)
        {
            output.Write(':');
            output.Write(evidence.Line.ToString(CultureInfo.InvariantCulture));
        }

        output.Write("</td><td>");
        Time(output, evidence.Timestamp);
        output.Write("</td><td>");
        if (evidence.Fields.Count > 0)
        {
            output.Write("<table class=\"fields\">");
            foreach (var (name, value) in evidence.Fields)
            {
                output.Write("<tr><th scope=\"row\">");
                Text(output, name);
                output.Write("</th><td class=\"value\">");
                Text(output, value);
                output.Write("</td></tr>");
            }

            output.Write("</table>");
        }

        output.Write("</td></tr>\n");
    }

    private static void WriteCoverage(TextWriter output, ScanResult result)
    {
        output.Write("<section aria-labelledby=\"coverage\">\n<h2 id=\"coverage\">Log coverage</h2>\n");
        if (result.Coverage.Count == 0)
        {
            output.Write("<p>No log folders were found in the scanned folder.</p>\n");
        }
        else
        {
            output.Write("<p class=\"note\">How far back and forward each log folder reaches. An attack outside these dates cannot show in this report.</p>\n");
            output.Write("<div class=\"scroll\">\n<table>\n<thead><tr><th scope=\"col\">Folder</th><th scope=\"col\">Kind</th>"
                + "<th scope=\"col\" class=\"num\">Files</th><th scope=\"col\">Earliest (UTC)</th><th scope=\"col\">Latest (UTC)</th>"
                + "<th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
            foreach (var coverage in result.Coverage)
            {
                output.Write("<tr><td class=\"value\">");
                Text(output, coverage.Folder);
                output.Write("</td><td>");
                Text(output, coverage.Kind);
                output.Write("</td><td class=\"num\">");
                Number(output, coverage.Files);
                output.Write("</td><td>");
                Time(output, coverage.Earliest);
                output.Write("</td><td>");
                Time(output, coverage.Latest);
                output.Write("</td><td>");
                Text(output, coverage.Warning ?? "");
                output.Write("</td></tr>\n");
            }

            output.Write("</tbody>\n</table>\n</div>\n");
        }

        output.Write("<h3>Read errors</h3>\n");
        var errors = result.Errors;
        if (errors.Count == 0)
        {
            output.Write("<p>Every file was read without errors.</p>\n</section>\n");
            return;
        }

        output.Write("<p>");
        Text(output, errors.Count == 1
            ? "1 problem while reading; that part of the logs was not checked."
            : string.Create(CultureInfo.InvariantCulture, $"{errors.Count:N0} problems while reading; those parts of the logs were not checked."));
        output.Write("</p>\n<ul>\n");
        var shown = Math.Min(errors.Count, MaxErrorRows);
        for (var i = 0; i < shown; i++)
        {
            output.Write("<li class=\"value\">");
            Text(output, errors[i].ToString());
            output.Write("</li>\n");
        }

        output.Write("</ul>\n");
        if (errors.Count > shown)
        {
            output.Write("<p class=\"note\">");
            Number(output, errors.Count - shown);
            output.Write(" more in the JSON report.</p>\n");
        }

        output.Write("</section>\n");
    }

    private void WriteFooter(TextWriter output, ScanResult result)
    {
        var stats = result.Statistics;
        output.Write("<footer>\n<p>Scanned folder: <span class=\"value\">");
        Text(output, result.Root);
        output.Write("</span></p>\n<p>");
        Text(output, string.Create(
            CultureInfo.InvariantCulture,
            $"{Plural(stats.FilesScanned, "file")} read ({Plural(stats.LogFiles, "log file")}, {Size(stats.Bytes)}, "
            + $"{Plural(stats.Lines, "line")}) in {stats.Elapsed.TotalSeconds:0.0} seconds."));
        output.Write("</p>\n<p>Generated by Bulwark ");
        Text(output, toolVersion);
        output.Write(".</p>\n</footer>\n");
    }

    /// <summary>
    /// The log coverage caveat, or null when no folder has a warning. With several warned folders, the one
    /// that starts latest is named: that is where an attack could most easily be missed.
    /// </summary>
    private static string? CoverageCaveat(IReadOnlyList<LogCoverage> coverage)
    {
        var warned = false;
        DateTimeOffset? start = null;
        foreach (var folder in coverage)
        {
            if (folder.Warning is null)
            {
                continue;
            }

            warned = true;
            if (folder.Earliest is { } earliest && (start is null || earliest > start))
            {
                start = earliest;
            }
        }

        if (!warned)
        {
            return null;
        }

        return start is { } date
            ? $"these logs only reach back to {date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (UTC); an attack before then would not show here."
            : "some logs are missing or incomplete (see Log coverage below); an attack in the missing period would not show here.";
    }

    private static string CountSentence(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return "No findings.";
        }

        Span<int> counts = stackalloc int[WorstFirst.Length];
        foreach (var finding in findings)
        {
            counts[Array.IndexOf(WorstFirst, finding.Severity)]++;
        }

        var text = new StringBuilder(Plural(findings.Count, "finding")).Append(": ");
        var first = true;
        for (var i = 0; i < WorstFirst.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            text.Append(first ? "" : ", ")
                .Append(counts[i].ToString(CultureInfo.InvariantCulture))
                .Append(' ')
                .Append(WorstFirst[i].ToText());
            first = false;
        }

        return text.Append('.').ToString();
    }

    private static void Term(TextWriter output, string term, string value, string? css)
    {
        output.Write("<dt>");
        Text(output, term);
        output.Write(css is null ? "</dt><dd>" : $"</dt><dd class=\"{css}\">");
        Text(output, value);
        output.Write("</dd>\n");
    }

    private static void Badge(TextWriter output, Severity severity)
    {
        var text = severity.ToText();
        output.Write($"<span class=\"badge s-{text}\">{Capitalised(text)}</span>");
    }

    private static void Time(TextWriter output, DateTimeOffset? value)
    {
        if (value is not { } time)
        {
            output.Write("unknown");
            return;
        }

        var text = ReportTime.Format(time);
        output.Write($"<time datetime=\"{text}\">{text}</time>");
    }

    private static void Text(TextWriter output, string value) => Encoder.Encode(output, value);

    private static void Number(TextWriter output, long value) =>
        output.Write(value.ToString("N0", CultureInfo.InvariantCulture));

    private static string Capitalised(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));

    private static string Plural(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    private static string Size(long bytes) => bytes switch
    {
        < 1000 => Plural(bytes, "byte"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
    };
}
