using System.Security.Claims;
using Bulwark.Data;
using Bulwark.Data.Access;

namespace Bulwark.Server.Access;

/// <summary>
/// Who is calling, from the authenticated key. It is also the request's <see cref="ITenantContext"/>: an
/// organisation key sees only its organisation; an anonymous caller sees no organisation at all.
/// </summary>
public sealed class Caller(IHttpContextAccessor accessor) : ITenantContext
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    public bool IsAuthenticated => User?.Identity?.IsAuthenticated == true;

    public Guid? KeyId => Guid.TryParse(User?.FindFirstValue(ApiKeyAuthentication.KeyIdClaim), out var id) ? id : null;

    public ApiKeyScope? Scope => Enum.TryParse<ApiKeyScope>(User?.FindFirstValue(ApiKeyAuthentication.ScopeClaim), out var s) ? s : null;

    /// <summary>The portal user signed in with the sign-in cookie, if any.</summary>
    public Guid? UserId => User?.Identity?.AuthenticationType == Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme
        && Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var u) ? u : null;

    /// <summary>The individual acting with a person token (<c>/api/v1/me</c>), if any.</summary>
    public Guid? PersonId => Guid.TryParse(User?.FindFirstValue(Membership.Personal.PersonAccess.PersonClaim), out var p) ? p : null;

    /// <summary>True for operator and analyst keys: they act across members (and are audited).</summary>
    public bool IsInstanceWide => Scope is ApiKeyScope.Operator or ApiKeyScope.Analyst;

    public Guid? OrganisationId
    {
        get
        {
            if (IsInstanceWide)
            {
                return null;
            }

            // Organisation keys carry their organisation; anything else (anonymous) matches none.
            return Guid.TryParse(User?.FindFirstValue(ApiKeyAuthentication.OrganisationClaim), out var org) ? org : Guid.Empty;
        }
    }
}
