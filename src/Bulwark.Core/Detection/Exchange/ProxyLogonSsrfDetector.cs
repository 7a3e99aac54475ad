using Bulwark.Core.Detection.Matching;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>
/// CVE-2021-26855 and CVE-2021-27065 (part A) in HttpProxy logs, as Test-ProxyLogon checks them, plus the
/// <c>BackEndCookie</c> form it misses and the autodiscover-only rows it drops (reported as attempts).
/// </summary>
public sealed class ProxyLogonSsrfDetector : ILogDetector
{
    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.HttpProxy];

    public IReadOnlyCollection<string> Prefilter { get; } = ["ServerInfo~", "Server~"];

    public IReadOnlyList<Findings.Detection> Detections { get; } =
        [ExchangeDetections.ProxyLogonSsrf, ExchangeDetections.ProxyLogonSsrfAttempt, ExchangeDetections.ProxyLogonVirtualDirectoryReset];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        var anchor = e["AnchorMailbox"];
        var cookie = e["BackEndCookie"];
        var client = e.Request is { } r ? RequestEvidence.Client(r) : Client(e["ClientIpAddress"]);

        var anchorHit = Like.Match(anchor, "ServerInfo~*/*");
        if (anchorHit && Like.Match(anchor, "ServerInfo~localhost*/*"))
        {
            // Exchange's own probes address the local back end this way.
            anchorHit = false;
        }

        var cookieHit = Like.Match(cookie, "Server~*/*~*");
        if (anchorHit && !cookieHit && Like.Match(anchor, "ServerInfo~*/autodiscover*"))
        {
            findings.Add(ExchangeDetections.ProxyLogonSsrfAttempt, client, RequestEvidence.For(e));
        }
        else if (anchorHit || cookieHit)
        {
            findings.Add(ExchangeDetections.ProxyLogonSsrf, client, RequestEvidence.For(e));
        }

        if (anchorHit
            && Like.Match(anchor, "ServerInfo~*/*Reset*VirtualDirectory#")
            && e["HttpStatus"] == "200"
            && (e.Protocol is null || e.Protocol.Equals("Ecp", StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(ExchangeDetections.ProxyLogonVirtualDirectoryReset, client, RequestEvidence.For(e));
        }
    }

    private static string Client(string ip) => ip.Length == 0 ? "unknown client" : ip;
}
