using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Scanning;
using Spectre.Console;

namespace Bulwark.Cli.Rendering;

/// <summary>The console table: one row per finding, then coverage; plain text when not a terminal.</summary>
public static class FindingTable
{
    public static void Write(ScanResult result, TextWriter writer, bool ansi)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = ansi ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!ansi)
        {
            console.Profile.Width = 200;
        }

        if (result.Findings.Count == 0)
        {
            console.WriteLine("No findings.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("Severity");
            table.AddColumn("Confidence");
            table.AddColumn("Finding");
            table.AddColumn("CVEs");
            table.AddColumn("First seen");
            table.AddColumn("Last seen");
            table.AddColumn("Subject");
            table.AddColumn(new TableColumn("Evidence").RightAligned());

            // The actor column appears only when intelligence attributed something.
            var actors = result.Findings.Any(f => f.Attribution.Count > 0);
            if (actors)
            {
                table.AddColumn("Actor");
            }

            foreach (var f in result.Findings)
            {
                List<Spectre.Console.Rendering.IRenderable> cells =
                [
                    new Markup(SeverityMarkup(f.Severity)),
                    new Text(f.Confidence.ToText()),
                    new Text(f.Title),
                    new Text(Cves(f.Cves)),
                    new Text(Time(f.FirstSeen)),
                    new Text(Time(f.LastSeen)),
                    new Text(f.Subject),
                    new Text(f.EvidenceCount.ToString(CultureInfo.InvariantCulture)),
                ];
                if (actors)
                {
                    cells.Add(new Text(string.Join(", ", f.Attribution.Select(a => $"{a.ActorName}{(a.Country is null ? "" : $" ({a.Country})")} {a.Confidence}%"))));
                }

                table.AddRow(cells);
            }

            console.Write(table);
        }

        if (result.Coverage.Count > 0)
        {
            var coverage = new Table().Border(TableBorder.Simple).Title("Log coverage");
            coverage.AddColumn("Folder");
            coverage.AddColumn("Kind");
            coverage.AddColumn(new TableColumn("Files").RightAligned());
            coverage.AddColumn("Earliest");
            coverage.AddColumn("Latest");
            coverage.AddColumn("Warning");
            foreach (var c in result.Coverage)
            {
                coverage.AddRow(
                    new Text(c.Folder),
                    new Text(c.Kind),
                    new Text(c.Files.ToString(CultureInfo.InvariantCulture)),
                    new Text(Time(c.Earliest)),
                    new Text(Time(c.Latest)),
                    new Text(c.Warning ?? ""));
            }

            console.Write(coverage);
        }
    }

    /// <summary>Posture findings list every missing CVE; the table shows the first few (JSON has them all).</summary>
    private static string Cves(IReadOnlyList<string> cves) =>
        cves.Count <= 3 ? string.Join(' ', cves) : $"{string.Join(' ', cves.Take(2))} +{cves.Count - 2} more";

    private static string SeverityMarkup(Severity s) => s switch
    {
        Severity.Critical => "[bold red]critical[/]",
        Severity.High => "[red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        Severity.Low => "[blue]low[/]",
        _ => "info",
    };

    private static string Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
