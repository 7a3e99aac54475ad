using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Incidents;

/// <summary>
/// What an organisation may see of its incidents, for the API and the portal alike: its own systems' findings,
/// and those of people who shared their personal accounts with it (verified account, the owner's live consent:
/// <see cref="PersonalVisibility"/>). An incident is visible when one of its findings is (the rule that decides
/// whether the organisation gets a notice, <c>NoticeIssuer</c>); an incident without findings counts by its own
/// person. Staff (operator, analyst) see everything; the tenant filter still limits an organisation to itself.
/// </summary>
public static class IncidentVisibility
{
    /// <summary>The people whose personal findings the caller's organisation may see; null for staff (no limit).</summary>
    public static async Task<List<Guid>?> SharedAsync(Caller caller, PersonalVisibility visibility, CancellationToken ct) =>
        caller.IsInstanceWide ? null
        : caller.OrganisationId is { } org && org != Guid.Empty ? [.. await visibility.PeopleVisibleToAsync(org, ct)]
        : [];

    public static IQueryable<FindingRecord> Findings(BulwarkDbContext db, List<Guid>? shared) =>
        shared is null
            ? db.Findings.AsNoTracking()
            : db.Findings.AsNoTracking().Where(f => f.PersonId == null || shared.Contains(f.PersonId.Value));

    public static IQueryable<Incident> Incidents(BulwarkDbContext db, List<Guid>? shared) =>
        shared is null
            ? db.Incidents.AsNoTracking()
            : db.Incidents.AsNoTracking().Where(i =>
                db.Findings.Any(f => f.IncidentId == i.Id && (f.PersonId == null || shared.Contains(f.PersonId.Value)))
                || (!db.Findings.Any(f => f.IncidentId == i.Id) && (i.PersonId == null || shared.Contains(i.PersonId.Value))));
}
