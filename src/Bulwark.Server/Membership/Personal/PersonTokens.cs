using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Personal;

/// <summary>Who a valid person token names.</summary>
public sealed record PersonTokenClaims(Guid PersonId, Guid OrganisationId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Person tokens, until portal sign-in exists: <c>bwp_</c> + base64url of an AES-GCM-sealed payload (person,
/// organisation, issued, expires) under a key derived from the instance key. Nothing is stored: the token is
/// checked by opening it, then against the person row, so erasing a person ends all their tokens at once.
/// </summary>
public sealed class PersonTokens(InstanceKeys keys, TimeProvider time, IOptions<MembershipOptions> options)
{
    public const string Prefix = "bwp_";
    private const string Purpose = "bulwark/person-token/v1";
    private const int PayloadBytes = 16 + 16 + 8 + 8;

    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid personId, Guid organisationId)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.PersonTokenLifetime;
        Span<byte> payload = stackalloc byte[PayloadBytes];
        personId.TryWriteBytes(payload);
        organisationId.TryWriteBytes(payload[16..]);
        BinaryPrimitives.WriteInt64BigEndian(payload[32..], now.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(payload[40..], expires.UtcTicks);
        return (Prefix + Base64Url.EncodeToString(Sealed.Seal(keys.PersonTokens, Purpose, Guid.Empty, payload)), expires);
    }

    /// <summary>The claims of a genuine, unexpired token; null for anything else.</summary>
    public PersonTokenClaims? Read(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = Sealed.Open(keys.PersonTokens, Purpose, Guid.Empty, Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        if (payload.Length != PayloadBytes)
        {
            return null;
        }

        var claims = new PersonTokenClaims(
            new Guid(payload.AsSpan(0, 16)),
            new Guid(payload.AsSpan(16, 16)),
            new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(32)), TimeSpan.Zero),
            new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(40)), TimeSpan.Zero));
        return claims.ExpiresAt > time.GetUtcNow() ? claims : null;
    }
}
