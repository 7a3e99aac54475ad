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
    string Subject)
{
    /// <summary>Actors threat intelligence attributes this to, most confident first (empty without intel).</summary>
    public IReadOnlyList<Intel.ActorAttribution> Attribution { get; init; } = [];

    /// <summary>
    /// The strictest TLP of the intelligence this finding uses (null when it uses none): who may be told what
    /// follows from it.
    /// </summary>
    public Intel.Index.Tlp? Tlp { get; init; }
}
