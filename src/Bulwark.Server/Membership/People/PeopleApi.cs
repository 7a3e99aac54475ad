using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.People;

/// <summary>An organisation's people as its admins see them: no personal account, only whether they may see its incidents.</summary>
public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organisations/{organisationId:guid}/people", ListAsync).WithTags("Membership").RequireAuthorization(Policies.OrganisationRead);
        return api;
    }

    /// <summary>An erased person stays as a tombstone (id, role, dates) so references to them still resolve.</summary>
    public sealed record PersonView(Guid Id, string DisplayName, string WorkEmail, PersonRole Role, string Language, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt, bool PersonalAccountsVisible);

    private static async Task<Results<Ok<List<PersonView>>, NotFound>> ListAsync(Guid organisationId, BulwarkDbContext db, Caller caller, PersonalVisibility visibility, AuditLog audit, CancellationToken ct)
    {
        if (!MemberAccess.MayRead(caller, organisationId) || !await MemberAccess.ExistsAsync(db, organisationId, ct))
        {
            return TypedResults.NotFound();
        }

        var people = await db.People.AsNoTracking().Where(p => p.OrganisationId == organisationId).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var visible = await visibility.PeopleVisibleToAsync(organisationId, ct);
        await audit.RecordStaffReadAsync("person.list", $"organisation/{organisationId}/people", organisationId, ct);
        return TypedResults.Ok(people
            .Select(p => new PersonView(p.Id, p.DisplayName, p.WorkEmail, p.Role, p.Language, p.CreatedAt, p.ErasedAt, visible.Contains(p.Id)))
            .ToList());
    }
}
