using System.Security.Cryptography;
using System.Text;
using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal;

public sealed class PasswordOptions
{
    public const string Section = "Portal:Passwords";

    /// <summary>
    /// A Pwned Passwords range API (k-anonymity: only the first five hex digits of the SHA-1 leave the server),
    /// e.g. <c>https://api.pwnedpasswords.com/range/</c>. Unset: only the built-in list of the most breached
    /// passwords is checked (an instance with no way out to the internet still refuses those).
    /// </summary>
    public Uri? RangeApi { get; set; }
}

/// <summary>
/// Length rules are Identity's (12 characters at least, no composition rules: NIST SP 800-63B); this refuses
/// passwords known from breaches, and passwords that contain the account's own name or address.
/// </summary>
public sealed class BreachedPasswords(IHttpClientFactory http, IOptions<PasswordOptions> options, ILogger<BreachedPasswords> log)
    : IPasswordValidator<PortalUser>
{
    public const string HttpClientName = "pwned-passwords";

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    public async Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return IdentityResult.Success;
        }

        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower))
        {
            return Breached();
        }

        foreach (var own in new[] { user.UserName, user.Email?.Split('@')[0] })
        {
            if (own is { Length: >= 4 } && lower.Contains(own.ToLowerInvariant(), StringComparison.Ordinal))
            {
                return IdentityResult.Failed(new IdentityError { Code = "PasswordContainsName", Description = "The password must not contain your user name or address." });
            }
        }

        if (options.Value.RangeApi is { } api && await SeenInBreachAsync(api, password))
        {
            return Breached();
        }

        return IdentityResult.Success;
    }

    private async Task<bool> SeenInBreachAsync(Uri api, string password)
    {
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
        try
        {
            using var client = http.CreateClient(HttpClientName);
            client.Timeout = TimeSpan.FromSeconds(5);
            var body = await client.GetStringAsync(new Uri(api, hash[..5]));
            foreach (var line in body.AsSpan().EnumerateLines())
            {
                var colon = line.IndexOf(':');
                if (colon == 35 && line[..35].Equals(hash.AsSpan(5), StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(line[(colon + 1)..].Trim(), out var count) && count > 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Never block sign-up on a third party: the built-in list was still checked.
            log.LogWarning("The breached-password range API could not be reached ({Error}); only the built-in list was checked", e.Message);
            return false;
        }
    }

    private static IdentityResult Breached() => IdentityResult.Failed(new IdentityError
    {
        Code = "PasswordBreached",
        Description = "This password appears in known data breaches; choose another (a passphrase of several words works well).",
    });

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(BreachedPasswords).Assembly.GetManifestResourceStream("Bulwark.Server.Portal.common-passwords.txt")
            ?? throw new InvalidOperationException("the embedded list of breached passwords is missing");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }

        return set;
    }
}
