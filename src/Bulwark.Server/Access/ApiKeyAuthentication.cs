using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Access;

/// <summary>Bearer API-key authentication: <c>Authorization: Bearer bwk_…</c>.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "bulwark:key";
    public const string ScopeClaim = "bulwark:scope";
    public const string OrganisationClaim = "bulwark:organisation";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.AuthenticateAsync(header[7..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            // Never log the presented token.
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        var claims = new List<Claim>
        {
            new(KeyIdClaim, key.Id.ToString()),
            new(ScopeClaim, key.Scope.ToString()),
            new(ClaimTypes.Name, key.Name),
        };
        if (key.OrganisationId is { } org)
        {
            claims.Add(new Claim(OrganisationClaim, org.ToString()));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
