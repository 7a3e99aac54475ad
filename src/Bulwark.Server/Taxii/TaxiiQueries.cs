using System.Linq.Expressions;
using Bulwark.Data;
using Bulwark.Data.Taxii;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Taxii;

/// <summary>
/// The reads behind the objects, manifest, object and versions resources, in SQL on both databases. Filters
/// apply first (collection, <c>added_after</c>, id, type, spec_version), then <c>match[version]</c> picks among
/// the versions left, then the page: ordered by (<c>date_added</c>, row), after the cursor, one more row than the
/// limit to know whether there is <c>more</c>.
/// </summary>
public static class TaxiiQueries
{
    /// <summary>One stored version without its JSON unless asked for.</summary>
    public sealed record Row(long Id, string StixId, DateTimeOffset Version, DateTimeOffset DateAdded, string? Json);

    public sealed record Page(IReadOnlyList<Row> Rows, bool More)
    {
        public string? Next => More ? new TaxiiCursor(Rows[^1].DateAdded, Rows[^1].Id).Encode() : null;

        public (DateTimeOffset First, DateTimeOffset Last)? DateAdded => Rows.Count == 0 ? null : (Rows[0].DateAdded, Rows[^1].DateAdded);
    }

    public static IQueryable<TaxiiObject> Filtered(BulwarkDbContext db, Guid collectionId, TaxiiFilter filter, string? objectId)
    {
        var q = db.TaxiiObjects.AsNoTracking().Where(o => o.CollectionId == collectionId);
        if (objectId is not null)
        {
            q = q.Where(o => o.StixId == objectId);
        }

        if (filter.AddedAfter is { } after)
        {
            q = q.Where(o => o.DateAdded > after);
        }

        if (filter.Ids.Count > 0)
        {
            var ids = filter.Ids.ToList();
            q = q.Where(o => ids.Contains(o.StixId));
        }

        if (filter.Types.Count > 0)
        {
            var types = filter.Types.ToList();
            q = q.Where(o => types.Contains(o.Type));
        }

        if (filter.SpecVersions.Count > 0)
        {
            var specs = filter.SpecVersions.ToList();
            q = q.Where(o => specs.Contains(o.SpecVersion));
        }

        return q;
    }

    /// <summary>Keeps the versions <paramref name="match"/> selects among those <paramref name="filtered"/> left.</summary>
    public static IQueryable<TaxiiObject> Select(IQueryable<TaxiiObject> filtered, TaxiiVersionMatch match)
    {
        if (match.All)
        {
            return filtered;
        }

        var alternatives = new List<Expression<Func<TaxiiObject, bool>>>();
        if (match.Last)
        {
            alternatives.Add(o => !filtered.Any(p => p.StixId == o.StixId && p.Version > o.Version));
        }

        if (match.First)
        {
            alternatives.Add(o => !filtered.Any(p => p.StixId == o.StixId && p.Version < o.Version));
        }

        foreach (var exact in match.Exact)
        {
            alternatives.Add(o => o.Version == exact);
        }

        return filtered.Where(AnyOf(alternatives));
    }

    public static async Task<Page> PageAsync(IQueryable<TaxiiObject> selected, TaxiiFilter filter, bool withJson, CancellationToken ct)
    {
        var q = selected;
        if (filter.After is { } cursor)
        {
            var (d, id) = (cursor.DateAdded, cursor.RowId);
            q = q.Where(o => o.DateAdded > d || (o.DateAdded == d && o.Id > id));
        }

        var ordered = q.OrderBy(o => o.DateAdded).ThenBy(o => o.Id).Take(filter.Limit + 1);
        var rows = withJson
            ? await ordered.Select(o => new Row(o.Id, o.StixId, o.Version, o.DateAdded, o.Json)).ToListAsync(ct)
            : await ordered.Select(o => new Row(o.Id, o.StixId, o.Version, o.DateAdded, null)).ToListAsync(ct);
        var more = rows.Count > filter.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new Page(rows, more);
    }

    private static Expression<Func<TaxiiObject, bool>> AnyOf(List<Expression<Func<TaxiiObject, bool>>> alternatives)
    {
        var parameter = Expression.Parameter(typeof(TaxiiObject), "o");
        Expression? body = null;
        foreach (var alternative in alternatives)
        {
            var rebound = new Rebind(alternative.Parameters[0], parameter).Visit(alternative.Body);
            body = body is null ? rebound : Expression.OrElse(body, rebound);
        }

        return Expression.Lambda<Func<TaxiiObject, bool>>(body ?? Expression.Constant(false), parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
