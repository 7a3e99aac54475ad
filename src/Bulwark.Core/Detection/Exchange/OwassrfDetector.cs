using Bulwark.Core.Detection.Matching;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>OWASSRF: a successful POST to <c>/owa/&lt;mailbox&gt;@&lt;domain&gt;/powershell</c>, excluding Exchange's own clients.</summary>
public sealed class OwassrfDetector : ILogDetector
{
    private static readonly string[] ExchangeClients = ["ClientInfo", "Microsoft WinRM Client", "Exchange BackEnd Probes"];

    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.Iis, LogKind.HttpProxy];

    public IReadOnlyCollection<string> Prefilter { get; } = ["/powershell"];

    public IReadOnlyList<Findings.Detection> Detections { get; } = [ExchangeDetections.Owassrf];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (e.Request is not { } r || !IsOwassrf(r))
        {
            return;
        }

        findings.Add(ExchangeDetections.Owassrf, RequestEvidence.Client(r), RequestEvidence.For(e));
    }

    internal static bool IsOwassrf(HttpRequestView r)
    {
        if (!r.Method.Equals("POST", StringComparison.OrdinalIgnoreCase) || r.Status != 200)
        {
            return false;
        }

        var stem = RequestEvidence.Decode(r.UriStem);
        if (!Like.Match(stem, "/owa/*@*/powershell*"))
        {
            return false;
        }

        var agent = r.UserAgent.Replace('+', ' ');
        return !ExchangeClients.Any(c => agent.Equals(c, StringComparison.OrdinalIgnoreCase));
    }
}
