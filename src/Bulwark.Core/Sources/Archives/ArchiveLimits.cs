namespace Bulwark.Core.Sources.Archives;

/// <summary>Limits that keep hostile archives from exhausting the machine.</summary>
public sealed record ArchiveLimits
{
    public static readonly ArchiveLimits Default = new();

    /// <summary>Largest expansion of one compressed entry against its compressed size.</summary>
    public int MaxRatio { get; init; } = 250;

    /// <summary>Output allowed before the ratio is enforced (small files compress unevenly).</summary>
    public long RatioGraceBytes { get; init; } = 16L << 20;

    /// <summary>Largest expanded size of one entry.</summary>
    public long MaxEntryBytes { get; init; } = 64L << 30;

    /// <summary>Archives inside archives, at most this deep.</summary>
    public int MaxDepth { get; init; } = 3;
}
