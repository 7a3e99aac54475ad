using Bulwark.Data.Access;
using Microsoft.AspNetCore.Authorization;

namespace Bulwark.Server.Access;

/// <summary>Authorisation policies by key scope.</summary>
public static class Policies
{
    public const string Operator = nameof(Operator);

    /// <summary>Operator or analyst.</summary>
    public const string Staff = nameof(Staff);

    /// <summary>An organisation's ingest or admin key.</summary>
    public const string OrganisationIngest = nameof(OrganisationIngest);

    /// <summary>An organisation's admin key, or staff.</summary>
    public const string OrganisationRead = nameof(OrganisationRead);

    /// <summary>An organisation's admin key only.</summary>
    public const string OrganisationAdmin = nameof(OrganisationAdmin);

    public static AuthorizationBuilder AddBulwarkPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Operator, p => Scopes(p, ApiKeyScope.Operator))
        .AddPolicy(Staff, p => Scopes(p, ApiKeyScope.Operator, ApiKeyScope.Analyst))
        .AddPolicy(OrganisationIngest, p => Scopes(p, ApiKeyScope.OrganisationIngest, ApiKeyScope.OrganisationAdmin))
        .AddPolicy(OrganisationRead, p => Scopes(p, ApiKeyScope.OrganisationAdmin, ApiKeyScope.Operator, ApiKeyScope.Analyst))
        .AddPolicy(OrganisationAdmin, p => Scopes(p, ApiKeyScope.OrganisationAdmin));

    private static void Scopes(AuthorizationPolicyBuilder p, params ApiKeyScope[] scopes) =>
        p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthentication.ScopeClaim, scopes.Select(s => s.ToString()));
}
