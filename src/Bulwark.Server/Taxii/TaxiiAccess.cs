using Bulwark.Data;
using Bulwark.Data.Taxii;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Taxii;

/// <summary>
/// The calling key's view of TAXII: the collections it holds a grant on (with <c>can_read</c>/<c>can_write</c>),
/// nothing else. A collection it has no grant on does not exist for it (404, never 403, so existence does not
/// leak). Every read and write goes to the audit log under the key.
/// </summary>
public sealed class TaxiiAccess(BulwarkDbContext db, Caller caller, AuditLog audit)
{
    public sealed record Granted(TaxiiCollection Collection, bool CanRead, bool CanWrite);

    public Guid KeyId => caller.KeyId ?? throw new InvalidOperationException("TAXII routes require an authenticated key");

    /// <summary>The collection and this key's grant, or null when the id is malformed, unknown or not granted.</summary>
    public async Task<Granted?> FindAsync(string collectionId, CancellationToken ct)
    {
        if (!Guid.TryParseExact(collectionId, "D", out var id) || caller.KeyId is not { } key)
        {
            return null;
        }

        return await db.TaxiiGrants.AsNoTracking()
            .Where(g => g.CollectionId == id && g.KeyId == key && (g.CanRead || g.CanWrite))
            .Join(db.TaxiiCollections.AsNoTracking(), g => g.CollectionId, c => c.Id, (g, c) => new Granted(c, g.CanRead, g.CanWrite))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<List<Granted>> ListAsync(CancellationToken ct)
    {
        if (caller.KeyId is not { } key)
        {
            return [];
        }

        var granted = await db.TaxiiGrants.AsNoTracking()
            .Where(g => g.KeyId == key && (g.CanRead || g.CanWrite))
            .Join(db.TaxiiCollections.AsNoTracking(), g => g.CollectionId, c => c.Id, (g, c) => new Granted(c, g.CanRead, g.CanWrite))
            .ToListAsync(ct);
        return [.. granted.OrderBy(g => g.Collection.CreatedAt).ThenBy(g => g.Collection.Id)];
    }

    /// <summary>Records a TAXII read or write by this key (<c>taxii.objects.read</c>, target <c>taxii-collection/{id}…</c>).</summary>
    public Task AuditAsync(string action, string target, CancellationToken ct) =>
        audit.RecordAsync(action, target, caller.OrganisationId is { } org && org != Guid.Empty ? org : null, ct);
}
