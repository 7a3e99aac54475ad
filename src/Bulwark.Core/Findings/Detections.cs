using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;

namespace Bulwark.Core.Findings;

/// <summary>
/// Every built-in detection defined ahead of time, for code that needs the whole list (translations, documentation).
/// The posture detection (<see cref="Posture.PostureFindings.DetectionId"/>) is not here: its title and remediation are
/// written per Exchange build when a finding is made.
/// </summary>
public static class Detections
{
    /// <summary>
    /// The log detections (<see cref="ExchangeDetections"/>), the file detections (<see cref="FileDetectors.Detections"/>),
    /// then the threat-intelligence match (<see cref="Intel.Matching.IntelDetections"/>).
    /// </summary>
    public static IReadOnlyList<Detection> All { get; } =
    [
        ExchangeDetections.ProxyLogonSsrf,
        ExchangeDetections.ProxyLogonSsrfAttempt,
        ExchangeDetections.ProxyLogonVirtualDirectoryReset,
        ExchangeDetections.EcpVirtualDirectoryScript,
        ExchangeDetections.OabFileWrite,
        ExchangeDetections.ProxyLogonRequests,
        ExchangeDetections.ProxyShell,
        ExchangeDetections.ProxyShellAttempt,
        ExchangeDetections.ProxyNotShell,
        ExchangeDetections.ProxyNotShellAttempt,
        ExchangeDetections.Owassrf,
        ExchangeDetections.WebShellRequestKnownName,
        ExchangeDetections.WebShellRequestUnexpectedPage,
        ExchangeDetections.WebShellProbe,
        ExchangeDetections.AttackerAddress,
        ExchangeDetections.AttackerUserAgent,
        .. FileDetectors.Detections,
        Intel.Matching.IntelDetections.IndicatorMatch,
    ];
}
