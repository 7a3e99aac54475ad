using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Scanning;

namespace Bulwark.Cli.Rendering;

/// <summary>The closing line on standard error, as DFIR tools print one.</summary>
public static class Summary
{
    public static string Line(ScanResult result)
    {
        var s = result.Statistics;
        var bySeverity = result.Findings
            .GroupBy(f => f.Severity)
            .OrderByDescending(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToText()}");
        var findings = result.Findings.Count == 0
            ? "no findings"
            : $"{result.Findings.Count} finding{(result.Findings.Count == 1 ? "" : "s")} ({string.Join(", ", bySeverity)})";
        var errors = result.Errors.Count == 0 ? "" : $"; {result.Errors.Count} read error{(result.Errors.Count == 1 ? "" : "s")}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"bulwark: {findings} in {s.FilesScanned} files ({s.LogFiles} logs, {s.Lines} lines, {Size(s.Bytes)}), {s.Elapsed.TotalSeconds:0.00} s{errors}");
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
