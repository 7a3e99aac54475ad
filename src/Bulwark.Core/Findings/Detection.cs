namespace Bulwark.Core.Findings;

/// <summary>
/// What a detection is: its stable id, what it tells the reader and what to do about it.
/// One detection can produce many findings (one per attack occurrence).
/// </summary>
public sealed record Detection(
    string Id,
    string Title,
    Severity Severity,
    Confidence Confidence,
    IReadOnlyList<string> Cves,
    IReadOnlyList<string> Attack,
    string Remediation,
    string Source);
