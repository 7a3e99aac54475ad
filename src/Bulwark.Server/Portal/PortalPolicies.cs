using Bulwark.Data.Access;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Bulwark.Server.Portal;

/// <summary>
/// Who may see which portal pages. Every policy authenticates with the portal's sign-in cookie only, so a
/// bearer key never opens a page and a cookie never calls the API (no cross-site request can use it there).
/// </summary>
public static class PortalPolicies
{
    public const string SignedIn = "Portal";

    /// <summary>A person of a member organisation: their own notices, accounts and consents.</summary>
    public const string Individual = "Portal.Individual";

    public const string OrgAdmin = "Portal.OrgAdmin";

    public const string Analyst = "Portal.Analyst";

    public const string Operator = "Portal.Operator";

    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(SignedIn, p => Cookie(p))
        .AddPolicy(Individual, p => Cookie(p).RequireClaim(PersonAccess.PersonClaim))
        .AddPolicy(OrgAdmin, p => Cookie(p).RequireClaim(PersonAccess.PersonClaim).RequireClaim(ApiKeyAuthentication.ScopeClaim, nameof(ApiKeyScope.OrganisationAdmin)))
        .AddPolicy(Analyst, p => Cookie(p).RequireClaim(ApiKeyAuthentication.ScopeClaim, nameof(ApiKeyScope.Analyst)))
        .AddPolicy(Operator, p => Cookie(p).RequireClaim(ApiKeyAuthentication.ScopeClaim, nameof(ApiKeyScope.Operator)));

    private static AuthorizationPolicyBuilder Cookie(AuthorizationPolicyBuilder p) =>
        p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser();
}
