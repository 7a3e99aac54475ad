namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// The TAXII 2.1 filters of a read: <c>added_after</c>, <c>limit</c>, <c>next</c> and the <c>match[…]</c> filters
/// (several values of one filter are alternatives). Empty lists send nothing.
/// </summary>
public sealed record TaxiiQuery
{
    public TaxiiCheckpoint? AddedAfter { get; init; }

    public int? Limit { get; init; }

    /// <summary>The opaque page token from the previous page's <c>next</c>.</summary>
    public string? Next { get; init; }

    public IReadOnlyList<string> Ids { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary><c>last</c> (the server's default), <c>first</c>, <c>all</c>, or version timestamps.</summary>
    public IReadOnlyList<string> Versions { get; init; } = [];

    public IReadOnlyList<string> SpecVersions { get; init; } = [];

    internal string ToQueryString()
    {
        var parts = new List<string>();
        if (AddedAfter is { } after)
        {
            parts.Add("added_after=" + Uri.EscapeDataString(after.Text));
        }

        if (Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(Limit));
            parts.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Next is { Length: > 0 } next)
        {
            parts.Add("next=" + Uri.EscapeDataString(next));
        }

        Match(parts, "id", Ids);
        Match(parts, "type", Types);
        Match(parts, "version", Versions);
        Match(parts, "spec_version", SpecVersions);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static void Match(List<string> parts, string field, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add(Uri.EscapeDataString($"match[{field}]") + "=" + Uri.EscapeDataString(string.Join(',', values)));
        }
    }
}
