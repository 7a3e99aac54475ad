using System.Security.Cryptography;
using System.Text;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// A person's personal data at rest: each person has a data key of their own (<see cref="PersonKey"/>, wrapped by
/// the instance key); their addresses are sealed with it, so deleting that one row makes them unreadable
/// everywhere they were copied (crypto-shredding). The lookup index and code hashes are keyed HMACs.
/// </summary>
public sealed class PersonalData(InstanceKeys keys)
{
    private const string KeyPurpose = "bulwark/person-key/v1";
    private const string AddressPurpose = "bulwark/personal-account-address/v1";

    /// <summary>A new data key for the person: the row to store (wrapped) and the plain key to use now.</summary>
    public (PersonKey Row, byte[] Key) CreateKey(Guid personId, DateTimeOffset now)
    {
        var key = RandomNumberGenerator.GetBytes(InstanceKeys.KeyBytes);
        var row = new PersonKey { PersonId = personId, WrappedKey = Sealed.Seal(keys.KeyWrapping, KeyPurpose, personId, key), CreatedAt = now };
        return (row, key);
    }

    /// <summary>The person's plain data key; the caller zeroes it after use.</summary>
    public byte[] Unwrap(PersonKey row) => Sealed.Open(keys.KeyWrapping, KeyPurpose, row.PersonId, row.WrappedKey);

    public static byte[] EncryptAddress(ReadOnlySpan<byte> personKey, Guid accountId, string address) =>
        Sealed.Seal(personKey, AddressPurpose, accountId, Encoding.UTF8.GetBytes(address));

    public static string DecryptAddress(ReadOnlySpan<byte> personKey, Guid accountId, byte[] encryptedAddress) =>
        Encoding.UTF8.GetString(Sealed.Open(personKey, AddressPurpose, accountId, encryptedAddress));

    /// <summary>The blind index of a normalised address: equal addresses match without decrypting anything.</summary>
    public byte[] Lookup(string normalisedAddress) => HMACSHA256.HashData(keys.AddressLookup, Encoding.UTF8.GetBytes(normalisedAddress));

    /// <summary>The stored form of a verification code, bound to its account (a code for one account fails on another).</summary>
    public byte[] CodeHash(Guid accountId, string code)
    {
        Span<byte> input = stackalloc byte[16 + code.Length];
        accountId.TryWriteBytes(input);
        Encoding.ASCII.GetBytes(code, input[16..]);
        return HMACSHA256.HashData(keys.Codes, input);
    }

    /// <summary>
    /// Decrypts an address with the key the database holds now for the person, or returns null when there is no
    /// key any more (the person withdrew: the ciphertext, wherever a copy survives, is unreadable).
    /// </summary>
    public async Task<string?> TryDecryptAsync(BulwarkDbContext db, Guid personId, Guid accountId, byte[] encryptedAddress, CancellationToken ct)
    {
        var row = await db.PersonKeys.AsNoTracking().FirstOrDefaultAsync(k => k.PersonId == personId, ct);
        if (row is null)
        {
            return null;
        }

        var key = Unwrap(row);
        try
        {
            return DecryptAddress(key, accountId, encryptedAddress);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
