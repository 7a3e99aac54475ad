using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>CVE-2021-26858: the OAB generator reports a failed download whose temporary file lies outside ClientAccess\OAB.</summary>
public sealed partial class OabFileWriteDetector : ILogDetector
{
    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.OabGenerator];

    public IReadOnlyCollection<string> Prefilter { get; } = ["Download failed and temporary file"];

    public IReadOnlyList<Findings.Detection> Detections { get; } = [ExchangeDetections.OabFileWrite];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        var m = TemporaryFile().Match(e.Raw);
        if (!m.Success)
        {
            return;
        }

        var path = m.Groups["path"].Value.Trim().Trim('\'', '"');
        if (IsOabFolder(path))
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

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";

    [GeneratedRegex(@"Download failed and temporary file (?<path>.*?) needs to be removed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryFile();
}
