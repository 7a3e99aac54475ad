using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Server.Membership.People;

/// <summary>
/// Invitation tokens: <c>bwi_&lt;language&gt;_&lt;256 random bits, base64url&gt;</c>. Only the SHA-256 of the whole
/// token is stored. The invitation row has no language column, so the language the admin chose rides in the
/// token, where the hash authenticates it.
/// </summary>
public static class InvitationTokens
{
    public const string Prefix = "bwi_";

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Create(string language) => $"{Prefix}{language}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>True when the text has the shape of an invitation token; gives the language it carries.</summary>
    public static bool TryRead(string? token, out string language)
    {
        language = "";
        if (token is null || token.Length > 100 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = token.IndexOf('_', Prefix.Length);
        if (separator < 0 || token.Length - separator - 1 != 43 || !LanguageTag.TryNormalise(token[Prefix.Length..separator], out language, out _))
        {
            return false;
        }

        return token.AsSpan(separator + 1).IndexOfAnyExcept(Base64UrlAlphabet) < 0;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
