using Bulwark.Data;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// A module's part of erasing a person who withdrew (findings on their personal accounts, their notices and
/// deliveries…). Every registered implementation runs inside the erasure's transaction, on its context: if
/// one fails, nothing is erased and the person can try again.
/// </summary>
public interface IPersonErasure
{
    Task EraseAsync(BulwarkDbContext db, Guid personId, Guid organisationId, CancellationToken ct);
}
