using System.Globalization;
using Bulwark.Core.Intel.Taxii;

namespace Bulwark.Server.Taxii;

/// <summary>
/// The filters of a TAXII read (intel.md §2): <c>added_after</c>, <c>limit</c> (lowered to the server's page size),
/// <c>next</c>, and <c>match[id|type|version|spec_version]</c> with comma-separated alternatives. Unknown parameters
/// are ignored; a malformed known one is a 400 naming it.
/// </summary>
public sealed record TaxiiFilter
{
    /// <summary>Most alternatives one <c>match[…]</c> filter may list.</summary>
    public const int MaxAlternatives = 100;

    public DateTimeOffset? AddedAfter { get; init; }

    public int Limit { get; init; }

    public TaxiiCursor? After { get; init; }

    public IReadOnlyList<string> Ids { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];

    public IReadOnlyList<string> SpecVersions { get; init; } = [];

    /// <summary>Null when <c>match[version]</c> was not given: each endpoint has its default.</summary>
    public TaxiiVersionMatch? Versions { get; init; }

    public static bool TryParse(IQueryCollection query, int maxPageSize, out TaxiiFilter filter, out string error)
    {
        filter = new TaxiiFilter { Limit = maxPageSize };
        error = "";

        if (query.TryGetValue("added_after", out var addedAfter))
        {
            if (!TaxiiTime.TryParse(addedAfter.ToString(), out var after))
            {
                error = $"added_after must be a timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff]Z), found '{addedAfter}'";
                return false;
            }

            filter = filter with { AddedAfter = after };
        }

        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
            {
                error = $"limit must be a whole number of 1 or more, found '{limitText}'";
                return false;
            }

            filter = filter with { Limit = Math.Min(limit, maxPageSize) };
        }

        if (query.TryGetValue("next", out var next) && next.ToString().Length > 0)
        {
            if (!TaxiiCursor.TryDecode(next.ToString(), out var cursor))
            {
                error = $"next '{next}' is not a page token this server issued";
                return false;
            }

            filter = filter with { After = cursor };
        }

        if (!Alternatives(query, "id", out var ids, ref error)
            || !Alternatives(query, "type", out var types, ref error)
            || !Alternatives(query, "spec_version", out var specVersions, ref error)
            || !Alternatives(query, "version", out var versions, ref error))
        {
            return false;
        }

        filter = filter with { Ids = ids, Types = types, SpecVersions = specVersions };
        if (versions.Count > 0)
        {
            var match = new TaxiiVersionMatch();
            foreach (var v in versions)
            {
                switch (v)
                {
                    case "last": match = match with { Last = true }; break;
                    case "first": match = match with { First = true }; break;
                    case "all": match = match with { All = true }; break;
                    default:
                        if (!TaxiiTime.TryParse(v, out var exact))
                        {
                            error = $"match[version] takes last, first, all or version timestamps; '{v}' is none of them";
                            return false;
                        }

                        match = match with { Exact = [.. match.Exact, TaxiiTime.ToMicroseconds(exact)] };
                        break;
                }
            }

            filter = filter with { Versions = match };
        }

        return true;
    }

    private static bool Alternatives(IQueryCollection query, string field, out List<string> values, ref string error)
    {
        values = [];
        if (!query.TryGetValue($"match[{field}]", out var raw))
        {
            return true;
        }

        foreach (var part in raw.SelectMany(r => (r ?? "").Split(',')))
        {
            var value = part.Trim();
            if (value.Length > 0 && !values.Contains(value, StringComparer.Ordinal))
            {
                values.Add(value);
            }
        }

        if (values.Count > MaxAlternatives)
        {
            error = $"match[{field}] lists {values.Count} values; at most {MaxAlternatives}";
            return false;
        }

        return true;
    }
}
