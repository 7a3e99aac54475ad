using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data.Intel;
using Microsoft.AspNetCore.DataProtection;

namespace Bulwark.Server.Intel;

/// <summary>
/// The passwords and tokens of polled sources, encrypted with ASP.NET Core Data Protection (keys under
/// <c>Storage:DataDirectory/keys</c>) because the poller must send them. They are never returned by the API or logged.
/// </summary>
public sealed class IntelSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Bulwark.Intel.SourceSecret.v1");

    public byte[] Protect(string secret) => _protector.Protect(Encoding.UTF8.GetBytes(secret));

    /// <summary>The credentials a TAXII poll of <paramref name="source"/> sends; null when it has none.</summary>
    /// <exception cref="CryptographicException">The secret was encrypted with keys this instance no longer has.</exception>
    public TaxiiCredentials? TaxiiCredentialsOf(IntelSourceRecord source) =>
        Secret(source) is not { } secret ? null
        : source.CredentialKind == IntelCredentialKind.Basic ? TaxiiCredentials.Basic(source.Username ?? "", secret)
        : TaxiiCredentials.Bearer(secret);

    /// <summary>The <c>Authorization</c> header a MISP-feed poll of <paramref name="source"/> sends; null when it has none.</summary>
    /// <exception cref="CryptographicException">The secret was encrypted with keys this instance no longer has.</exception>
    public AuthenticationHeaderValue? HeaderOf(IntelSourceRecord source) =>
        Secret(source) is not { } secret ? null
        : source.CredentialKind == IntelCredentialKind.Basic
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.Username}:{secret}")))
            : new AuthenticationHeaderValue("Bearer", secret);

    private string? Secret(IntelSourceRecord source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.CredentialKind == IntelCredentialKind.None || source.ProtectedSecret is null
            ? null
            : Encoding.UTF8.GetString(_protector.Unprotect(source.ProtectedSecret));
    }
}
