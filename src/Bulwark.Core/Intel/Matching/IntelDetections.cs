namespace Bulwark.Core.Intel.Matching;

/// <summary>Findings made from threat intelligence: what they mean and what to do.</summary>
public static class IntelDetections
{
    public static readonly Findings.Detection IndicatorMatch = new(
        "intel.indicator-match",
        "Activity matching a threat-intelligence indicator",
        Findings.Severity.High,
        Findings.Confidence.Medium,
        [],
        [],
        "An address, user agent, file or other value seen here is listed as malicious by the intelligence source named in the evidence. " +
        "Check what this client or file did around these times (the other findings of this report, the same value in other logs), " +
        "block the address or remove the file once a copy is kept for investigation, and if an actor is named, follow the remediation of the findings attributed to it.",
        "Threat intelligence imported by the operator: the source, TLP and indicator id are in the evidence");
}
