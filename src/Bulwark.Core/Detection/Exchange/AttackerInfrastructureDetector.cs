using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>
/// Published attacker addresses (low confidence alone) and user agents in the context they were seen in
/// (e.g. a crawler name POSTing to <c>/owa/auth/Current/</c>), from the indicator file.
/// </summary>
public sealed class AttackerInfrastructureDetector : ILogDetector
{
    private static readonly HashSet<string> CommonTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mozilla/5.0", "compatible", "like", "Gecko)", "(KHTML,", "AppleWebKit/537.36", "Safari/537.36", "Linux", "x86_64)",
    };

    private readonly ExchangeIndicators _indicators;

    public AttackerInfrastructureDetector(ExchangeIndicators indicators)
    {
        _indicators = indicators;
        var literals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var agent in indicators.UserAgents.Keys)
        {
            literals.Add(DistinctiveToken(agent));
        }

        Prefilter = literals;
        ClientAddresses = [.. indicators.IpAddresses.Keys];
    }

    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.Iis, LogKind.HttpProxy];

    public IReadOnlyCollection<string> Prefilter { get; }

    public IReadOnlyCollection<string> ClientAddresses { get; }

    public IReadOnlyList<Findings.Detection> Detections { get; } = [ExchangeDetections.AttackerAddress, ExchangeDetections.AttackerUserAgent];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (e.Request is not { } r)
        {
            return;
        }

        var client = RequestEvidence.Client(r);
        if (_indicators.IpAddresses.TryGetValue(client, out var ipSource))
        {
            findings.Add(ExchangeDetections.AttackerAddress, client, RequestEvidence.With(e, "indicator", $"{client} ({_indicators.Cite(ipSource)})"));
        }

        if (r.UserAgent.Length > 0
            && _indicators.UserAgents.TryGetValue(ExchangeIndicators.NormalizeUserAgent(r.UserAgent), out var agents)
            && agents.FirstOrDefault(a => InContext(a.Context, r)) is { } agent)
        {
            var note = $"user agent seen in '{agent.Context}' requests ({_indicators.Cite(agent.Source)})";
            findings.Add(ExchangeDetections.AttackerUserAgent, client, RequestEvidence.With(e, "indicator", note));
        }
    }

    /// <summary>Where each published user agent is suspicious: the context Volexity saw it in.</summary>
    internal static bool InContext(string context, HttpRequestView r)
    {
        if (!r.Method.Equals("POST", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return context switch
        {
            "owa-auth-current" => r.UriStem.StartsWith("/owa/auth/Current/", StringComparison.OrdinalIgnoreCase),
            "ecp" => r.UriStem.StartsWith("/ecp/", StringComparison.OrdinalIgnoreCase),
            "post-exploitation" => r.UriStem.StartsWith("/aspnet_client/", StringComparison.OrdinalIgnoreCase)
                || r.UriStem.StartsWith("/owa/", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };
    }

    /// <summary>
    /// The longest token of a user agent that ordinary browsers don't share, so the pre-filter stays
    /// selective and matches both IIS's '+' form and the raw form.
    /// </summary>
    internal static string DistinctiveToken(string normalizedAgent)
    {
        // URLs are left out: every referer starts with "http", which would make the pre-filter test every line.
        var tokens = normalizedAgent.Split([' ', ';', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        var best = tokens
            .Where(t => !CommonTokens.Contains(t) && !t.TrimStart('+').StartsWith("http", StringComparison.OrdinalIgnoreCase))
            .MaxBy(t => t.Length);
        return best ?? normalizedAgent;
    }
}
