using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Model;
using Bulwark.Data.Intel;

namespace Bulwark.Server.Intel;

/// <summary>What one source gave the current intel set (uploaded files of a source are added up).</summary>
public sealed record SourceTally(Guid Id, string Name, IntelSourceKind Kind, bool Enabled, int Items, int Indicators, int Objects, int Relationships, int Warninglists, int Problems);

/// <summary>One build of the intel set every upload scan and retro-hunt uses, with what went into it.</summary>
/// <param name="Set">The intel set (immutable, shared by every scan).</param>
/// <param name="BuiltAt">When the build finished.</param>
/// <param name="Took">How long it took.</param>
/// <param name="Problems">Everything not taken, with where and why (readers' problems, then values the index refused).</param>
/// <param name="Sources">Per source, what it gave (disabled sources give nothing).</param>
/// <param name="Fingerprint">The stored sources' state it was built from; a different one means rebuild.</param>
public sealed record IntelSnapshot(
    IntelSet Set,
    DateTimeOffset BuiltAt,
    TimeSpan Took,
    IReadOnlyList<IntelProblem> Problems,
    IReadOnlyList<SourceTally> Sources,
    string Fingerprint)
{
    /// <summary>Indicators the catalog holds: STIX and MISP indicators and plain-list values.</summary>
    public int Indicators => Set.Catalog.Indicators.Count + Set.Catalog.Values.Count;
}
