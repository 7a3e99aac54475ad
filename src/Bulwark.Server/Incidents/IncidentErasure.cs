using Bulwark.Data;
using Bulwark.Server.Membership.Personal;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Erasure's incident part: findings on the person's personal accounts, and the incidents (with their notices
/// and deliveries) that were only about them. An incident that also holds other findings keeps those.
/// </summary>
public sealed class IncidentErasure : IPersonErasure
{
    public async Task EraseAsync(BulwarkDbContext db, Guid personId, Guid organisationId, CancellationToken ct)
    {
        var touched = await db.Findings.Where(f => f.PersonId == personId && f.IncidentId != null).Select(f => f.IncidentId!.Value).Distinct().ToListAsync(ct);
        await db.Findings.Where(f => f.PersonId == personId).ExecuteDeleteAsync(ct);
        var gone = await db.Incidents
            .Where(i => i.PersonId == personId || (touched.Contains(i.Id) && !db.Findings.Any(f => f.IncidentId == i.Id)))
            .Select(i => i.Id)
            .ToListAsync(ct);
        var notices = await db.Notices.Where(n => gone.Contains(n.IncidentId)).Select(n => n.Id).ToListAsync(ct);
        await db.Deliveries.Where(d => notices.Contains(d.NoticeId)).ExecuteDeleteAsync(ct);
        await db.Notices.Where(n => notices.Contains(n.Id)).ExecuteDeleteAsync(ct);
        await db.Incidents.Where(i => gone.Contains(i.Id)).ExecuteDeleteAsync(ct);
    }
}
