namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// What one STIX read took: objects per STIX type (versions older than one already held are counted too), types
/// it does not use (<c>x-mitre-*</c>, custom, <c>course-of-action</c>…) skipped per type, and how many problems it
/// added to the catalog. <see cref="Complete"/> is false when reading stopped before the end (truncated or broken JSON).
/// </summary>
public sealed record StixReadResult(
    IReadOnlyDictionary<string, int> Taken,
    IReadOnlyDictionary<string, int> Skipped,
    int Problems,
    bool Complete)
{
    /// <summary>Bundle-level <c>spec_version</c> (<c>"2.0"</c> for STIX 2.0 bundles; absent in 2.1).</summary>
    public string? SpecVersion { get; init; }

    /// <summary>Elements of <c>objects</c> seen, taken or not.</summary>
    public int Objects { get; init; }

    /// <summary>STIX indicators taken whose pattern gives the IOC index nothing to select events by (kept, cannot match).</summary>
    public int Unindexable { get; init; }

    /// <summary>Objects of <paramref name="type"/> taken.</summary>
    public int TakenOf(string type) => Taken.GetValueOrDefault(type);

    /// <summary>Objects of <paramref name="type"/> skipped.</summary>
    public int SkippedOf(string type) => Skipped.GetValueOrDefault(type);

    /// <summary>All objects taken.</summary>
    public int TakenTotal => Taken.Values.Sum();

    /// <summary>Both reads' tallies together (several files of one source).</summary>
    public StixReadResult Plus(StixReadResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new StixReadResult(Sum(Taken, other.Taken), Sum(Skipped, other.Skipped), Problems + other.Problems, Complete && other.Complete)
        {
            SpecVersion = SpecVersion ?? other.SpecVersion,
            Objects = Objects + other.Objects,
            Unindexable = Unindexable + other.Unindexable,
        };
    }

    private static Dictionary<string, int> Sum(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b)
    {
        var sum = new Dictionary<string, int>(a, StringComparer.Ordinal);
        foreach (var (type, count) in b)
        {
            sum[type] = sum.GetValueOrDefault(type) + count;
        }

        return sum;
    }
}
