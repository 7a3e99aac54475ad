using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>
/// Requests to script pages in the folders where ProxyLogon-era web shells were planted
/// (<c>owa/auth</c>, <c>ecp/auth</c>, <c>aspnet_client</c>, <c>OAB</c>) that a standard install lacks,
/// or that carry a published web-shell name. One finding per page; 404 answers are probes.
/// </summary>
public sealed class WebShellRequestDetector(ExchangeIndicators indicators) : ILogDetector
{
    private static readonly string[] ScriptExtensions = [".aspx", ".ashx", ".asmx", ".asax", ".svc", ".asp"];

    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.Iis];

    public IReadOnlyCollection<string> Prefilter { get; } = ["/owa/auth/", "/ecp/auth/", "/aspnet_client/", "/oab/"];

    public IReadOnlyList<Findings.Detection> Detections { get; } =
        [ExchangeDetections.WebShellRequestKnownName, ExchangeDetections.WebShellRequestUnexpectedPage, ExchangeDetections.WebShellProbe];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (e.Request is not { } r)
        {
            return;
        }

        var verdict = Classify(RequestEvidence.Decode(r.UriStem));
        if (verdict is null)
        {
            return;
        }

        var (page, reason, knownName) = verdict.Value;
        var detection = r.Status == 404
            ? ExchangeDetections.WebShellProbe
            : knownName ? ExchangeDetections.WebShellRequestKnownName : ExchangeDetections.WebShellRequestUnexpectedPage;
        findings.Add(detection, page, RequestEvidence.With(e, "reason", reason));
    }

    /// <summary>The page (lower-case path), why it is suspicious, and whether its name is a published shell name.</summary>
    internal (string Page, string Reason, bool KnownName)? Classify(string stem)
    {
        var path = stem.Replace('\\', '/');
        if (!ScriptExtensions.Any(x => path.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return null;
        }

        var name = segments[^1];
        var page = "/" + string.Join('/', segments).ToLowerInvariant();
        var known = indicators.WebShellNames.TryGetValue(name, out var source);
        string? folder = null;
        string? reason = null;

        if (Is(segments, "owa", "auth"))
        {
            folder = "owa/auth";
        }
        else if (Is(segments, "ecp", "auth"))
        {
            folder = "ecp/auth";
        }
        else if (segments[0].Equals("oab", StringComparison.OrdinalIgnoreCase))
        {
            folder = "oab";
        }
        else if (segments[0].Equals("aspnet_client", StringComparison.OrdinalIgnoreCase))
        {
            reason = "aspnet_client holds no script pages in a standard install";
        }
        else
        {
            return null;
        }

        if (folder is not null)
        {
            var depth = folder.Count(c => c == '/') + 1;
            if (segments.Length - 1 > depth)
            {
                reason = $"{folder}/{segments[depth]}/ holds only static files in a standard install";
            }
            else if (indicators.GenuinePages.TryGetValue(folder, out var genuine) && genuine.Contains(name))
            {
                if (!known)
                {
                    return null;
                }
            }
            else
            {
                reason = $"no Exchange build installs {name} in {folder}";
            }
        }

        if (known)
        {
            reason = $"published web-shell name ({indicators.Cite(source!)})" + (reason is null ? "" : "; " + reason);
        }

        return reason is null ? null : (page, reason, known);
    }

    private static bool Is(string[] segments, string first, string second) =>
        segments.Length >= 3
        && segments[0].Equals(first, StringComparison.OrdinalIgnoreCase)
        && segments[1].Equals(second, StringComparison.OrdinalIgnoreCase);
}
