using System.Net.Http.Headers;
using System.Text;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// How a <see cref="TaxiiClient"/> proves who it is: HTTP Basic (which every TAXII 2.1 server must accept) or a
/// bearer token. The secret never appears in <see cref="ToString"/>.
/// </summary>
public sealed class TaxiiCredentials
{
    private readonly AuthenticationHeaderValue _header;
    private readonly string _description;

    private TaxiiCredentials(AuthenticationHeaderValue header, string description)
    {
        _header = header;
        _description = description;
    }

    public static TaxiiCredentials Basic(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (user.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("an HTTP Basic user name cannot contain ':'", nameof(user));
        }

        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        return new TaxiiCredentials(new AuthenticationHeaderValue("Basic", encoded), $"Basic (user {user})");
    }

    public static TaxiiCredentials Bearer(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new TaxiiCredentials(new AuthenticationHeaderValue("Bearer", token), "Bearer");
    }

    internal void Apply(HttpRequestMessage request) => request.Headers.Authorization = _header;

    public override string ToString() => _description;
}
