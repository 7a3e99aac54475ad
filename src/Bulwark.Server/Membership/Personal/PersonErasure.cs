using Bulwark.Data;
using Bulwark.Server.Audit;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// Erases a person who withdrew: their data key goes first (crypto-shredding: every copy of their sealed
/// addresses, in backups and free pages included, becomes unreadable), then the sealed addresses and their
/// lookup index, the work address on their invitation, and their name; their consents are marked withdrawn and
/// kept, holding no personal data, as the record of what was agreed and when it ended. The person row stays as
/// a tombstone so references to it still resolve.
/// </summary>
public sealed class PersonErasure(BulwarkDbContext db, IEnumerable<IPersonErasure> modules, AuditLog audit, TimeProvider time)
{
    public const string ErasedName = "(erased)";

    public async Task<DateTimeOffset> EraseAsync(Guid personId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var person = await db.People.FirstAsync(p => p.Id == personId, ct);

        await db.PersonKeys.Where(k => k.PersonId == personId).ExecuteDeleteAsync(ct);
        await db.PersonalAccounts.Where(a => a.PersonId == personId).ExecuteDeleteAsync(ct);
        await db.Consents.Where(c => c.PersonId == personId && c.WithdrawnAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), ct);
        await db.Invitations.Where(i => i.PersonId == personId).ExecuteDeleteAsync(ct);
        foreach (var module in modules)
        {
            await module.EraseAsync(db, personId, person.OrganisationId, ct);
        }

        person.DisplayName = ErasedName;
        person.WorkEmail = "";
        person.ErasedAt = now;
        await db.SaveChangesAsync(ct);

        // The record says who and when, never what was erased.
        await audit.AppendAsync(personId, "Person", "person.erase", $"person/{personId}", person.OrganisationId, ct);
        await transaction.CommitAsync(ct);
        return now;
    }
}
