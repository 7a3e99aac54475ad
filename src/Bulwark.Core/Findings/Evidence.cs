namespace Bulwark.Core.Findings;

/// <summary>
/// One piece of evidence: where it is (file relative to the scanned root, 1-based line counting every
/// line of the file, 0 when the evidence is the file itself) and the fields that matched.
/// </summary>
public sealed record Evidence(
    string File,
    long Line,
    DateTimeOffset? Timestamp,
    IReadOnlyDictionary<string, string> Fields);
