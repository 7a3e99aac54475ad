using System.Text.RegularExpressions;
using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Matches the logs that are not web requests against an intel set, so that every reader's events meet the intel:
/// the absolute URLs written in ECP server and OAB generator lines (a virtual directory's <c>ExternalUrl</c> set to
/// an attacker's server, a download address) as URLs and by their host's domain, and the temporary file an OAB
/// download failed to remove (CVE-2021-26858 writes web shells that way) as a file path and name — from each folder
/// down and by its site path under a web root, as files in the tree are matched.
/// </summary>
public sealed partial class IntelTextDetector : ILogDetector
{
    private const int MaxUrlsPerLine = 16;
    private const int MaxLine = 500;

    private readonly IntelSet _intel;
    private readonly FileMatcher _files;
    private readonly bool _urls;
    private readonly bool _paths;

    public IntelTextDetector(IntelSet intel)
    {
        _intel = intel;
        _files = new FileMatcher(intel);
        var index = intel.Index;
        _urls = index.CountOf(IocKind.Url) + index.CountOf(IocKind.Domain) > 0;
        _paths = index.CountOf(IocKind.FilePath) + index.CountOf(IocKind.FileName) > 0;
        Prefilter = [.. (_urls ? ["://"] : Array.Empty<string>()), .. (_paths ? [OabFileWriteDetector.TemporaryFileMessage] : Array.Empty<string>())];
    }

    /// <summary>True when the intel set holds anything these lines can hit; the scanner adds the detector only then.</summary>
    public bool Any => _urls || _paths;

    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.EcpServer, LogKind.OabGenerator];

    public IReadOnlyCollection<string> Prefilter { get; }

    public IReadOnlyList<Findings.Detection> Detections { get; } = [IntelDetections.IndicatorMatch];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        var hits = new List<IntelHit>();
        if (_urls)
        {
            var seen = 0;
            foreach (var url in Urls().EnumerateMatches(e.Raw))
            {
                if (++seen > MaxUrlsPerLine)
                {
                    break;
                }

                var text = e.Raw.AsSpan(url.Index, url.Length).TrimEnd(".,;:)]}'\"");
                foreach (var id in _intel.Index.MatchUrl(text))
                {
                    hits.Add(new IntelHit(id, "url in line", text.ToString()));
                }
            }
        }

        if (_paths && e.Kind == LogKind.OabGenerator && OabFileWriteDetector.TemporaryFilePath(e.Raw) is { } path)
        {
            var relative = path.Replace('\\', '/').TrimStart('/');
            if (relative.Length > 1 && relative[1] == ':')
            {
                relative = relative[2..].TrimStart('/');
            }

            var before = hits.Count;
            _files.Match(relative, null, null, null, hits);
            for (var i = before; i < hits.Count; i++)
            {
                hits[i] = hits[i] with { Field = "OAB temporary file", Observed = path };
            }
        }

        var applicable = hits.Where(h => _intel.Applies(h.EntryId, e.Timestamp) && _intel.IndicatorOf(h.EntryId) is not { Complex: true });
        var line = e.Raw.Length <= MaxLine ? e.Raw : e.Raw[..MaxLine] + "…";
        IntelEvidence.Report(applicable, _intel, e.Timestamp, findings, _ =>
            new Evidence(e.File, e.Line, e.Timestamp, new Dictionary<string, string>(StringComparer.Ordinal) { ["line"] = line }));
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]{1,15}://[^\s'""<>,;|]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Urls();
}
