using Bulwark.Data;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Operator);
        group.MapGet("/", ListAsync).WithSummary("Audit entries, newest first, with the chain's verification.");
        return api;
    }

    public sealed record AuditEntryView(long Sequence, DateTimeOffset At, Guid? ActorId, string ActorScope, string Action, string Target, Guid? OrganisationId, string Hash);

    public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, bool ChainIntact, long? FirstBrokenSequence);

    private static async Task<Ok<AuditPage>> ListAsync(BulwarkDbContext db, AuditLog audit, long? before, int? limit, string? action, Guid? organisationId, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var query = db.Audit.AsNoTracking();
        if (before is { } b)
        {
            query = query.Where(a => a.Sequence < b);
        }

        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(a => a.Action == action);
        }

        if (organisationId is { } org)
        {
            query = query.Where(a => a.OrganisationId == org);
        }

        var entries = await query.OrderByDescending(a => a.Sequence).Take(take)
            .Select(a => new AuditEntryView(a.Sequence, a.At, a.ActorId, a.ActorScope, a.Action, a.Target, a.OrganisationId, Convert.ToHexStringLower(a.Hash)))
            .ToListAsync(ct);
        var broken = await audit.VerifyAsync(ct);
        return TypedResults.Ok(new AuditPage(entries, broken is null, broken));
    }
}
