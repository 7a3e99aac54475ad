using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>
/// ProxyShell and ProxyNotShell: an <c>autodiscover.json</c> request whose (URL-decoded) URI smuggles a path
/// to a back-end service. ProxyShell carries an <c>X-Rps-CAT</c> token or targets MAPI/EWS; a request that
/// reaches PowerShell without that token is ProxyNotShell. Success (200/301/302) and refusal are reported apart.
/// </summary>
public sealed class AutodiscoverAbuseDetector : ILogDetector
{
    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.Iis, LogKind.HttpProxy];

    public IReadOnlyCollection<string> Prefilter { get; } = ["autodiscover.json", "X-Rps-CAT"];

    public IReadOnlyList<Findings.Detection> Detections { get; } =
        [ExchangeDetections.ProxyShell, ExchangeDetections.ProxyShellAttempt, ExchangeDetections.ProxyNotShell, ExchangeDetections.ProxyNotShellAttempt];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (e.Request is not { } r)
        {
            return;
        }

        var detection = Classify(r);
        if (detection is not null)
        {
            findings.Add(detection, RequestEvidence.Client(r), RequestEvidence.For(e));
        }
    }

    internal static Findings.Detection? Classify(HttpRequestView r)
    {
        var uri = RequestEvidence.Decode(r.Uri);
        if (!uri.Contains("autodiscover.json", StringComparison.OrdinalIgnoreCase)
            && !(r.UriStem.StartsWith("/powershell", StringComparison.OrdinalIgnoreCase) && uri.Contains("Email=autodiscover", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        // Path confusion: an '@' after autodiscover.json, or the Email=autodiscover/autodiscover.json parameter.
        var confused = uri.Contains("Email=autodiscover", StringComparison.OrdinalIgnoreCase)
            || (uri.IndexOf("autodiscover.json", StringComparison.OrdinalIgnoreCase) is var at and >= 0
                && uri.IndexOf('@', at) >= 0);
        if (!confused)
        {
            return null;
        }

        var success = r.Status is 200 or 301 or 302;
        if (uri.Contains("X-Rps-CAT", StringComparison.OrdinalIgnoreCase)
            || uri.Contains("/mapi/nspi", StringComparison.OrdinalIgnoreCase)
            || uri.Contains("/EWS", StringComparison.OrdinalIgnoreCase))
        {
            return success ? ExchangeDetections.ProxyShell : ExchangeDetections.ProxyShellAttempt;
        }

        if (uri.Contains("powershell", StringComparison.OrdinalIgnoreCase))
        {
            return success ? ExchangeDetections.ProxyNotShell : ExchangeDetections.ProxyNotShellAttempt;
        }

        return null;
    }
}
