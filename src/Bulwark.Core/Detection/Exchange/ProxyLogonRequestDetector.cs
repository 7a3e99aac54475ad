using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>The ProxyLogon request shapes that CISA and Volexity published for IIS logs (Test-ProxyLogon reads no IIS log).</summary>
public sealed partial class ProxyLogonRequestDetector : ILogDetector
{
    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.Iis];

    public IReadOnlyCollection<string> Prefilter { get; } = ["/ecp/", "/owa/auth/"];

    public IReadOnlyList<Findings.Detection> Detections { get; } = [ExchangeDetections.ProxyLogonRequests];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (e.Request is not { } r)
        {
            return;
        }

        var pattern = Classify(r);
        if (pattern is null)
        {
            return;
        }

        findings.Add(ExchangeDetections.ProxyLogonRequests, RequestEvidence.Client(r), RequestEvidence.With(e, "pattern", pattern));
    }

    /// <summary>The name of the matching pattern, or null.</summary>
    internal static string? Classify(HttpRequestView r)
    {
        var stem = r.UriStem;
        var post = r.Method.Equals("POST", StringComparison.OrdinalIgnoreCase);

        // The nmap and Metasploit probes use these fixed names with any method.
        if (stem.Equals("/owa/auth/x.js", StringComparison.OrdinalIgnoreCase)
            || stem.Equals("/owa/auth/w.js", StringComparison.OrdinalIgnoreCase)
            || stem.Equals("/ecp/auth/w.js", StringComparison.OrdinalIgnoreCase))
        {
            return "probe script name " + stem;
        }

        if (!post)
        {
            return null;
        }

        if (ShortEcpScript().IsMatch(stem))
        {
            return "POST /ecp/<1-3 chars>.js";
        }

        if (stem.StartsWith("/owa/auth/Current/", StringComparison.OrdinalIgnoreCase))
        {
            return "POST /owa/auth/Current/…";
        }

        if (stem.Equals("/ecp/default.flt", StringComparison.OrdinalIgnoreCase) || stem.Equals("/ecp/main.css", StringComparison.OrdinalIgnoreCase))
        {
            return "POST " + stem;
        }

        return null;
    }

    [GeneratedRegex(@"^/ecp/[0-9a-z]{1,3}\.js$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShortEcpScript();
}
