namespace Bulwark.Core.Scanning;

/// <summary>
/// How far back and forward one log folder reaches (e.g. <c>HttpProxy/Ecp</c>, <c>W3SVC1</c>), so the reader
/// knows whether the logs can show an attack in a given window at all.
/// </summary>
public sealed record LogCoverage(
    string Folder,
    string Kind,
    int Files,
    DateTimeOffset? Earliest,
    DateTimeOffset? Latest,
    string? Warning);
