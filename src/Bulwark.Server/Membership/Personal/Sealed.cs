using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// AES-256-GCM with a fresh random nonce: <c>version (1) | nonce (12) | tag (16) | ciphertext</c>. The associated
/// data names the purpose and the row, so a sealed value moved to another row or purpose does not open.
/// </summary>
public static class Sealed
{
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int Header = 1 + NonceBytes + TagBytes;

    public static byte[] Seal(ReadOnlySpan<byte> key, string purpose, Guid row, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[Header + plaintext.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(Header), output.AsSpan(1 + NonceBytes, TagBytes), AssociatedData(purpose, row));
        return output;
    }

    /// <summary>The plaintext; throws <see cref="CryptographicException"/> when the key, purpose or row is wrong or the bytes were altered.</summary>
    public static byte[] Open(ReadOnlySpan<byte> key, string purpose, Guid row, ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length < Header || sealedBytes[0] != Version)
        {
            throw new CryptographicException("not a sealed value of a known version");
        }

        var plaintext = new byte[sealedBytes.Length - Header];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.Slice(1, NonceBytes), sealedBytes[Header..], sealedBytes.Slice(1 + NonceBytes, TagBytes), plaintext, AssociatedData(purpose, row));
        return plaintext;
    }

    private static byte[] AssociatedData(string purpose, Guid row)
    {
        var data = new byte[Encoding.ASCII.GetByteCount(purpose) + 16];
        var written = Encoding.ASCII.GetBytes(purpose, data);
        row.TryWriteBytes(data.AsSpan(written));
        return data;
    }
}
