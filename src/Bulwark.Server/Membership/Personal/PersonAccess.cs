using System.Security.Claims;
using System.Text.Encodings.Web;
using Bulwark.Server.Access;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// Authenticates <c>Authorization: Bearer bwp_…</c> person tokens for the <c>/api/v1/me</c> endpoints only. The
/// principal carries the person and their organisation, so <see cref="Caller"/> (the request's tenant) limits
/// every query, and row-level security every connection, to that organisation.
/// </summary>
public sealed class PersonAccess(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PersonTokens tokens,
    TenantDatabase databases)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonToken";
    public const string Policy = "Person";
    public const string PersonClaim = "bulwark:person";

    /// <summary>The authenticated person (endpoints behind <see cref="Policy"/> always have one).</summary>
    public static Guid PersonId(ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(PersonClaim)!);

    public static Guid OrganisationId(ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ApiKeyAuthentication.OrganisationClaim)!);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer " + PersonTokens.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        // Never log the presented token.
        if (tokens.Read(header[7..].Trim()) is not { } claims)
        {
            return AuthenticateResult.Fail("invalid or expired person token");
        }

        // The request has no tenant yet: check the person in the organisation the sealed token names.
        await using (var db = databases.Open(claims.OrganisationId))
        {
            var live = await db.People.AsNoTracking()
                .AnyAsync(p => p.Id == claims.PersonId && p.OrganisationId == claims.OrganisationId && p.ErasedAt == null, Context.RequestAborted);
            if (!live)
            {
                return AuthenticateResult.Fail("the person of this token no longer exists");
            }
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(PersonClaim, claims.PersonId.ToString()),
                new Claim(ApiKeyAuthentication.OrganisationClaim, claims.OrganisationId.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
