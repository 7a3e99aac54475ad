using Bulwark.Core.Indicators;

namespace Bulwark.Core.Detection.Exchange;

public static class ExchangeLogDetectors
{
    /// <summary>Every built-in detector over Exchange and IIS logs.</summary>
    public static IReadOnlyList<ILogDetector> CreateDefault(ExchangeIndicators indicators) =>
    [
        new ProxyLogonSsrfDetector(),
        new OabFileWriteDetector(),
        new EcpVirtualDirectoryDetector(),
        new ProxyLogonRequestDetector(),
        new AutodiscoverAbuseDetector(),
        new OwassrfDetector(),
        new WebShellRequestDetector(indicators),
        new AttackerInfrastructureDetector(indicators),
    ];
}
