using System.Security.Claims;
using Bulwark.Data.Access;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal;

/// <summary>
/// The claims of a signed-in portal user, in the same vocabulary as API keys and person tokens, so
/// <see cref="Caller"/> (the request's tenant) and row-level security treat a page exactly like the API: an
/// operator or analyst acts across members; a person acts inside their organisation, as an org admin when
/// their person record says so. Rebuilt on every request with the security stamp (ADR 11), so a role change,
/// an erasure or "sign out everywhere" holds at once.
/// </summary>
public sealed class PortalClaims(
    UserManager<PortalUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<IdentityOptions> options,
    TenantDatabase databases)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole<Guid>>(users, roles, options)
{
    public const string LanguageClaim = "bulwark:language";
    public const string MustChangePasswordClaim = "bulwark:must-change-password";
    public const string DisplayNameClaim = "bulwark:display-name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(LanguageClaim, user.Language));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        }

        foreach (var role in await UserManager.GetRolesAsync(user))
        {
            if (role == PortalRoles.Operator)
            {
                identity.AddClaim(new Claim(ApiKeyAuthentication.ScopeClaim, nameof(ApiKeyScope.Operator)));
            }
            else if (role == PortalRoles.Analyst)
            {
                identity.AddClaim(new Claim(ApiKeyAuthentication.ScopeClaim, nameof(ApiKeyScope.Analyst)));
            }
        }

        if (user is { PersonId: { } personId, OrganisationId: { } organisationId })
        {
            // Sign-in has no tenant yet: read the person inside the organisation the account belongs to.
            await using var db = databases.Open(organisationId);
            var person = await db.People.AsNoTracking()
                .FirstOrDefaultAsync(p => p.Id == personId && p.OrganisationId == organisationId && p.ErasedAt == null);
            if (person is not null)
            {
                identity.AddClaim(new Claim(PersonAccess.PersonClaim, personId.ToString()));
                identity.AddClaim(new Claim(ApiKeyAuthentication.OrganisationClaim, organisationId.ToString()));
                identity.AddClaim(new Claim(DisplayNameClaim, person.DisplayName));
                if (person.Role == PersonRole.OrgAdmin)
                {
                    identity.AddClaim(new Claim(ApiKeyAuthentication.ScopeClaim, nameof(ApiKeyScope.OrganisationAdmin)));
                }
            }
        }

        return identity;
    }
}
