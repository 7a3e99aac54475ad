using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Taxii;

/// <summary>
/// Authentication on the TAXII routes: the same API keys as the rest of the API, presented as a bearer token or
/// (because TAXII 2.1 requires HTTP Basic for interoperability) as the Basic password, with any user name. A
/// Basic user name alone is taken as the key when the password is empty, as some TAXII clients send it. Refusals
/// are TAXII error messages with a <c>WWW-Authenticate</c> challenge, never problem details.
/// </summary>
public sealed class TaxiiAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Taxii";

    public const string Realm = "Bulwark TAXII";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string? token = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header[7..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            token = BasicSecret(header[6..].Trim());
            if (token is null)
            {
                return AuthenticateResult.Fail("malformed Basic credentials");
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.AuthenticateAsync(token, Context.RequestAborted);
        if (key is null)
        {
            // Never log the presented secret.
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        var claims = new List<Claim>
        {
            new(ApiKeyAuthentication.KeyIdClaim, key.Id.ToString()),
            new(ApiKeyAuthentication.ScopeClaim, key.Scope.ToString()),
            new(ClaimTypes.Name, key.Name),
        };
        if (key.OrganisationId is { } org)
        {
            claims.Add(new Claim(ApiKeyAuthentication.OrganisationClaim, org.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{Realm}\", charset=\"UTF-8\"");
        Response.Headers.Append("WWW-Authenticate", $"Bearer realm=\"{Realm}\"");
        var presented = Request.Headers.Authorization.Count > 0;
        return TaxiiResults.WriteErrorAsync(
            Context,
            StatusCodes.Status401Unauthorized,
            "Authentication required",
            presented
                ? "the credentials are not a live API key of this server (HTTP Basic with the key as password, or Bearer)"
                : "send an API key of this server: HTTP Basic with the key as password, or Authorization: Bearer");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TaxiiResults.WriteErrorAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "this key may not use the TAXII server");

    /// <summary>The password of <c>user:password</c> (or the user when the password is empty); null when malformed.</summary>
    private static string? BasicSecret(string encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        var password = text[(colon + 1)..];
        return password.Length > 0 ? password : text[..colon];
    }
}
