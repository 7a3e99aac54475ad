using System.Security.Cryptography;
using System.Text;
using Bulwark.Server.Storage;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// The instance's personal-data master key, from a key file (created with 32 random bytes on first use, mode
/// 0600), and the purpose keys derived from it with HKDF, so no key serves two purposes.
/// </summary>
public sealed class InstanceKeys
{
    public const int KeyBytes = 32;

    private readonly Lazy<Derived> _keys;

    public InstanceKeys(IOptions<MembershipOptions> membership, IOptions<StorageOptions> storage)
    {
        KeyFile = membership.Value.KeyFile is { Length: > 0 } file
            ? Path.GetFullPath(file)
            : Path.GetFullPath(Path.Combine(storage.Value.DataDirectory, "keys", "personal-data.key"));
        _keys = new Lazy<Derived>(() => Derive(LoadOrCreate(KeyFile)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string KeyFile { get; }

    /// <summary>Wraps each person's data key.</summary>
    public ReadOnlySpan<byte> KeyWrapping => _keys.Value.KeyWrapping;

    /// <summary>Keys the <c>AddressLookup</c> blind index.</summary>
    public ReadOnlySpan<byte> AddressLookup => _keys.Value.AddressLookup;

    /// <summary>Keys the hashes of verification codes.</summary>
    public ReadOnlySpan<byte> Codes => _keys.Value.Codes;

    /// <summary>Seals person tokens.</summary>
    public ReadOnlySpan<byte> PersonTokens => _keys.Value.PersonTokens;

    /// <summary>Loads (or creates) the key file now, so a bad file stops the start rather than a request.</summary>
    public void Load() => _ = _keys.Value;

    private static Derived Derive(byte[] master)
    {
        try
        {
            return new Derived(
                Hkdf(master, "bulwark/person-key-wrap/v1"),
                Hkdf(master, "bulwark/address-lookup/v1"),
                Hkdf(master, "bulwark/verification-code/v1"),
                Hkdf(master, "bulwark/person-token/v1"));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
        }
    }

    private static byte[] Hkdf(byte[] master, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, KeyBytes, salt: [], info: Encoding.ASCII.GetBytes(purpose));

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var directory = Path.GetDirectoryName(path)!;
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            // Write a temporary file and move it in place: a second process starting at the same moment either
            // wins the move or reads the complete winner, never half a key.
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(KeyBytes));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var key = File.ReadAllBytes(path);
        if (key.Length != KeyBytes)
        {
            throw new InvalidOperationException(
                $"The personal-data key file {path} holds {key.Length} bytes, not {KeyBytes}: restore it from its backup (Membership:KeyFile)");
        }

        return key;
    }

    private sealed record Derived(byte[] KeyWrapping, byte[] AddressLookup, byte[] Codes, byte[] PersonTokens);
}
