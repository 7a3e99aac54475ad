using System.CommandLine;
using Bulwark.Core.Posture;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark exchange-build 15.1.2106.2</c>: which security updates a build lacks and what to install.</summary>
public sealed class ExchangeBuildCommand
{
    private readonly CliContext _context;

    private ExchangeBuildCommand(CliContext context) => _context = context;

    public static Command Create(CliContext context)
    {
        var build = new Argument<string>("build") { Description = "Exchange build number, e.g. 15.1.2106.2 (ExSetup.exe file version or a log's #Version)." };
        var command = new Command("exchange-build", "Show the security updates an Exchange build lacks, their CVEs, and the update to install.") { build };
        var handler = new ExchangeBuildCommand(context);
        command.SetAction(parsed => handler.Execute(parsed.GetValue(build)!));
        return command;
    }

    private int Execute(string text)
    {
        if (!ExchangeBuild.TryParse(text, out var build))
        {
            _context.Error.WriteLine($"bulwark exchange-build: '{text}' is not an Exchange build number (expected four numbers such as 15.1.2106.2)");
            return ExitCodes.UsageError;
        }

        var report = ExchangePosture.BuiltIn.Assess(build);
        var o = _context.Out;
        var name = report.ProductName ?? "Unknown product";
        o.WriteLine($"Build:    {report.Build} ({name}{(report.CuName is null ? "" : " " + report.CuName)}){(report.IsKnownBuild ? "" : " — not a build in Bulwark's table")}");
        if (report.MissingUpdates.Count == 0)
        {
            o.WriteLine("Missing:  none of the security updates Bulwark tracks");
        }
        else
        {
            o.WriteLine("Missing:");
            foreach (var m in report.MissingUpdates)
            {
                var fix = m.FixedBuild is { } f ? $"fixed in {f}" : "never released for this CU";
                var campaign = m.Campaign is null ? "" : $" [{m.Campaign}]";
                o.WriteLine($"  {m.Key} {m.Kb}{campaign}: {string.Join(", ", m.Cves)} ({fix})");
            }

            o.WriteLine($"Unpatched CVEs: {string.Join(", ", report.UnpatchedCves)}");
        }

        o.WriteLine($"Action:   {report.Action}");
        return report.MissingUpdates.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }
}
