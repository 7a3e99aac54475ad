using Bulwark.Data;
using Bulwark.Data.Notification;
using Bulwark.Server.Membership.Personal;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Notification;

/// <summary>Erasure's notification part: the person's own notices and every delivery of them (their address included).</summary>
public sealed class NoticeErasure : IPersonErasure
{
    public async Task EraseAsync(BulwarkDbContext db, Guid personId, Guid organisationId, CancellationToken ct)
    {
        var notices = await db.Notices.Where(n => n.Audience == NoticeAudience.Person && n.PersonId == personId).Select(n => n.Id).ToListAsync(ct);
        await db.Deliveries.Where(d => notices.Contains(d.NoticeId)).ExecuteDeleteAsync(ct);
        await db.Notices.Where(n => notices.Contains(n.Id)).ExecuteDeleteAsync(ct);
    }
}
