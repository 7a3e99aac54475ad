using System.Globalization;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// What one MISP read put into the catalog and what it refused. Attributes without <c>to_ids</c> are MISP's
/// context, not detection data: they are counted in <see cref="NotForDetection"/> and never indexed. Counts are of
/// what the catalog took (an object it already held at the same or a newer version is not counted again).
/// </summary>
public sealed record MispReadResult
{
    public static readonly MispReadResult Empty = new();

    public int Events { get; init; }

    /// <summary>Indicators taken: one per <c>to_ids</c> attribute read on its own, one per <c>file</c>, <c>url</c> or <c>email</c> object.</summary>
    public int Indicators { get; init; }

    /// <summary>Attributes with <c>to_ids</c> false: read, counted, not indexed.</summary>
    public int NotForDetection { get; init; }

    /// <summary><c>to_ids</c> attributes of a type the IOC index cannot hold (<c>AS</c>, <c>regkey</c>…), per type; not problems.</summary>
    public IReadOnlyDictionary<string, int> UnsupportedTypes { get; init; } = new Dictionary<string, int>();

    /// <summary>Attributes marked <c>deleted</c> (or no longer <c>to_ids</c>) whose earlier indicator was revoked.</summary>
    public int Revoked { get; init; }

    /// <summary>Reports (events), galaxy clusters and other objects.</summary>
    public int Objects { get; init; }

    public int Relationships { get; init; }

    public int Warninglists { get; init; }

    public IReadOnlyList<IntelProblem> Problems { get; init; } = [];

    public int Unsupported => UnsupportedTypes.Values.Sum();

    /// <summary>Both reads' counts and problems together.</summary>
    public MispReadResult Plus(MispReadResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var types = new Dictionary<string, int>(UnsupportedTypes, StringComparer.Ordinal);
        foreach (var (type, count) in other.UnsupportedTypes)
        {
            types[type] = types.GetValueOrDefault(type) + count;
        }

        return new MispReadResult
        {
            Events = Events + other.Events,
            Indicators = Indicators + other.Indicators,
            NotForDetection = NotForDetection + other.NotForDetection,
            UnsupportedTypes = types,
            Revoked = Revoked + other.Revoked,
            Objects = Objects + other.Objects,
            Relationships = Relationships + other.Relationships,
            Warninglists = Warninglists + other.Warninglists,
            Problems = [.. Problems, .. other.Problems],
        };
    }

    /// <summary>One line for a log or the CLI: <c>1 event, 6 indicators, 2 attributes without to_ids not indexed, …</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        Add(parts, Events, "event", "events");
        Add(parts, Indicators, "indicator", "indicators");
        if (NotForDetection > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NotForDetection} {(NotForDetection == 1 ? "attribute" : "attributes")} without to_ids not indexed"));
        }

        if (Unsupported > 0)
        {
            var types = string.Join(", ", UnsupportedTypes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Unsupported} of types the index cannot hold ({types})"));
        }

        Add(parts, Revoked, "revoked", "revoked");
        Add(parts, Objects, "object", "objects");
        Add(parts, Relationships, "relationship", "relationships");
        Add(parts, Warninglists, "warninglist", "warninglists");
        Add(parts, Problems.Count, "problem", "problems");
        return parts.Count == 0 ? "nothing read" : string.Join(", ", parts);
    }

    private static void Add(List<string> parts, int count, string one, string many)
    {
        if (count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}"));
        }
    }
}
