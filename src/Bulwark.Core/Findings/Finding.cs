namespace Bulwark.Core.Findings;

/// <summary>One attack occurrence, with every log line or file that shows it.</summary>
public sealed record Finding(
    string Id,
    string DetectionId,
    string Title,
    Severity Severity,
    Confidence Confidence,
    IReadOnlyList<string> Cves,
    IReadOnlyList<string> Attack,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    IReadOnlyList<Evidence> Evidence,
    int EvidenceCount,
    string Remediation,
    string Source,
    string Subject);
