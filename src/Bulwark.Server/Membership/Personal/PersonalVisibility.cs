using System.Linq.Expressions;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// Whether an organisation may see what Bulwark finds on a staff member's personal accounts: only on a
/// verified account whose owner switched <c>OrganisationMayView</c> on and whose consent to it is not withdrawn.
/// Other modules (incidents, notices) ask this before showing an organisation anything personal. It reads in
/// the caller's tenant, so another organisation's caller always gets false.
/// </summary>
public sealed class PersonalVisibility(BulwarkDbContext db)
{
    /// <summary>True when the organisation may see incidents on at least one of the person's personal accounts.</summary>
    public async Task<bool> CanOrganisationSeeAsync(Guid personId, CancellationToken ct) =>
        (await VisibleAsync(a => a.PersonId == personId, ct)).Count > 0;

    /// <summary>True when the organisation may see incidents on this personal account.</summary>
    public async Task<bool> CanOrganisationSeeAccountAsync(Guid accountId, CancellationToken ct) =>
        (await VisibleAsync(a => a.Id == accountId, ct)).Count > 0;

    /// <summary>The people of an organisation with at least one account it may see.</summary>
    public async Task<IReadOnlySet<Guid>> PeopleVisibleToAsync(Guid organisationId, CancellationToken ct) =>
        (await VisibleAsync(a => a.OrganisationId == organisationId, ct)).Select(v => v.PersonId).ToHashSet();

    private async Task<List<(Guid AccountId, Guid PersonId)>> VisibleAsync(Expression<Func<PersonalAccount, bool>> which, CancellationToken ct)
    {
        var candidates = await db.PersonalAccounts.AsNoTracking()
            .Where(which)
            .Where(a => a.VerifiedAt != null && a.OrganisationMayView)
            .Where(a => db.People.Any(p => p.Id == a.PersonId && p.ErasedAt == null))
            .Select(a => new { a.Id, a.PersonId })
            .ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        var scopes = candidates.Select(c => Consents.OrganisationView(c.Id)).ToList();
        var live = await db.Consents.AsNoTracking()
            .Where(c => c.WithdrawnAt == null && scopes.Contains(c.Scope))
            .Select(c => new { c.PersonId, c.Scope })
            .ToListAsync(ct);
        return [.. candidates
            .Where(c => live.Any(l => l.PersonId == c.PersonId && l.Scope == Consents.OrganisationView(c.Id)))
            .Select(c => (c.Id, c.PersonId))];
    }
}
