using Bulwark.Core.Scanning;
using Spectre.Console;

namespace Bulwark.Cli.Rendering;

/// <summary>
/// Progress on standard error while a scan runs on another thread. Workers only bump counters; this one
/// consumer reads them and draws (Spectre's progress is not thread-safe).
/// </summary>
public static class ProgressDisplay
{
    public static ScanResult Run(TextWriter error, ScanCounters counters, Func<ScanResult> scan)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Interactive = InteractionSupport.Yes,
        });

        ScanResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("scanning", maxValue: 1);
                var work = Task.Run(scan);
                while (!work.Wait(TimeSpan.FromMilliseconds(200)))
                {
                    Update(task, counters);
                }

                Update(task, counters);
                result = work.GetAwaiter().GetResult();
            });

        return result!;
    }

    private static void Update(ProgressTask task, ScanCounters counters)
    {
        task.MaxValue = Math.Max(1, counters.TotalBytes);
        task.Value = Math.Min(counters.BytesRead, task.MaxValue);
        task.Description = $"{counters.FilesDone}/{counters.TotalFiles} files, {Summary.Size(counters.BytesRead)}, {counters.Hits} hits";
    }
}
