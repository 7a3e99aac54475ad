using System.Security.Cryptography;
using System.Text;
using Bulwark.Data;
using Bulwark.Data.Access;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Access;

/// <summary>Creates and checks API keys: <c>bwk_&lt;prefix&gt;_&lt;secret&gt;</c>, only the secret's SHA-256 stored.</summary>
public sealed class ApiKeys(BulwarkDbContext db, TimeProvider time)
{
    public const string BootstrapPrefix = "bootstrap";
    private const string Scheme = "bwk_";

    /// <summary>Creates a key; the returned token is shown once and never stored.</summary>
    public async Task<(ApiKey Key, string Token)> CreateAsync(string name, ApiKeyScope scope, Guid? organisationId, Guid? createdBy, CancellationToken ct)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Prefix = prefix,
            SecretHash = Hash(secret),
            Scope = scope,
            OrganisationId = organisationId,
            Name = name,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (key, $"{Scheme}{prefix}_{secret}");
    }

    /// <summary>The live key a bearer token names, or null.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string token, CancellationToken ct)
    {
        string prefix;
        string secret;
        if (token.StartsWith(Scheme, StringComparison.Ordinal) && token.IndexOf('_', Scheme.Length) is var sep and > 0)
        {
            prefix = token[Scheme.Length..sep];
            secret = token[(sep + 1)..];
        }
        else
        {
            prefix = BootstrapPrefix;
            secret = token;
        }

        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || key.RevokedAt is not null)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(key.SecretHash, Hash(secret)))
        {
            return null;
        }

        // When a key was last used tells an admin which keys are alive (and which to revoke). Written at most once a
        // minute per key, so a busy ingest key costs no write per request.
        var now = time.GetUtcNow();
        var stale = now - LastUsedResolution;
        if (key.LastUsedAt is null || key.LastUsedAt < stale)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt < stale))
                .ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, now), ct);
            key.LastUsedAt = now;
        }

        return key;
    }

    /// <summary>How stale <see cref="ApiKey.LastUsedAt"/> may be.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>On an instance without an operator key, turns the configured bootstrap token into one.</summary>
    public async Task<bool> EnsureBootstrapAsync(string? bootstrapToken, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(bootstrapToken)
            || await db.ApiKeys.AnyAsync(k => k.Scope == ApiKeyScope.Operator, ct))
        {
            return false;
        }

        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Prefix = BootstrapPrefix,
            SecretHash = Hash(bootstrapToken),
            Scope = ApiKeyScope.Operator,
            Name = "bootstrap (from Operator:BootstrapToken; revoke after creating real keys)",
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>On an instance with no operator key and no bootstrap token, creates one and returns its token (else null).</summary>
    public async Task<string?> CreateFirstOperatorAsync(CancellationToken ct)
    {
        if (await db.ApiKeys.AnyAsync(k => k.Scope == ApiKeyScope.Operator, ct))
        {
            return null;
        }

        var (_, token) = await CreateAsync("first operator key (created at first start)", ApiKeyScope.Operator, null, null, ct);
        return token;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
