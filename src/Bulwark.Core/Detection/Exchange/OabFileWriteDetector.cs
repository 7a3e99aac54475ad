using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>CVE-2021-26858: the OAB generator reports a failed download whose temporary file lies outside ClientAccess\OAB.</summary>
public sealed partial class OabFileWriteDetector : ILogDetector
{
    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.OabGenerator];

    /// <summary>The message the OAB generator writes when a download fails (every line this detector reads holds it).</summary>
    internal const string TemporaryFileMessage = "Download failed and temporary file";

    public IReadOnlyCollection<string> Prefilter { get; } = [TemporaryFileMessage];

    public IReadOnlyList<Findings.Detection> Detections { get; } = [ExchangeDetections.OabFileWrite];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (TemporaryFilePath(e.Raw) is not { } path || IsOabFolder(path))
        {
            return;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = path, ["line"] = Truncate(e.Raw) };
        findings.Add(ExchangeDetections.OabFileWrite, path, new Evidence(e.File, e.Line, e.Timestamp, fields));
    }

    /// <summary>True for <c>…\ClientAccess\OAB\…</c> with no <c>..</c> segment that could climb out of it.</summary>
    internal static bool IsOabFolder(string path)
    {
        var p = path.Replace('/', '\\');
        if (p.Contains("\\..\\", StringComparison.Ordinal) || p.EndsWith("\\..", StringComparison.Ordinal))
        {
            return false;
        }

        return p.Contains("\\ClientAccess\\OAB\\", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The temporary file a failed OAB download names (quotes removed), or null when the line names none.</summary>
    internal static string? TemporaryFilePath(string line)
    {
        var m = TemporaryFile().Match(line);
        return m.Success ? m.Groups["path"].Value.Trim().Trim('\'', '"') : null;
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";

    [GeneratedRegex(@"Download failed and temporary file (?<path>.*?) needs to be removed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryFile();
}
