using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Data.Intel;

namespace Bulwark.Server.Intel;

/// <summary>
/// The bodies of <c>POST</c> and <c>PUT /api/v1/intel/sources</c>, checked field by field: every problem is named by
/// its field, and nothing about a secret is ever echoed back.
/// </summary>
public static class IntelSourceRequests
{
    public const int MinPollMinutes = 5;
    public const int MaxPollMinutes = 7 * 24 * 60;
    public const int MaxSecretLength = 4096;

    /// <summary>A new source. <paramref name="Secret"/> is the password (Basic) or token (Bearer); it is stored encrypted and never returned.</summary>
    public sealed record CreateSource(
        string? Name,
        IntelSourceKind? Kind,
        string? DefaultTlp,
        int? DefaultConfidence,
        string? Url,
        string? CollectionId,
        IntelCredentialKind? CredentialKind,
        string? Username,
        string? Secret,
        int? PollMinutes,
        bool? Enabled);

    /// <summary>Changes to a source: what is null stays as it is. A new URL or collection starts the source afresh (checkpoint and content cleared).</summary>
    public sealed record UpdateSource(
        string? Name,
        string? DefaultTlp,
        int? DefaultConfidence,
        string? Url,
        string? CollectionId,
        IntelCredentialKind? CredentialKind,
        string? Username,
        string? Secret,
        int? PollMinutes,
        bool? Enabled);

    /// <summary>TLP from its name: CLEAR (or WHITE), GREEN, AMBER, AMBER+STRICT, RED; case-insensitive, "TLP:" allowed.</summary>
    public static Tlp? ParseTlp(string? text)
    {
        var t = (text ?? "").Trim().ToUpperInvariant();
        if (t.StartsWith("TLP:", StringComparison.Ordinal))
        {
            t = t[4..];
        }

        return t == "WHITE" ? Tlp.Clear : IntelEvidence.ParseTlp(t.Replace("AMBER-STRICT", "AMBER+STRICT", StringComparison.Ordinal));
    }

    /// <summary>A source name: 1–100 characters, letters, digits, spaces, '.', '_', '-', '(' and ')', starting with a letter or digit.</summary>
    public static bool IsName(string name) =>
        name.Length is >= 1 and <= 100 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or '(' or ')');

    /// <summary>Why <paramref name="url"/> cannot be a source's URL, or null when it can.</summary>
    public static string? UrlProblem(string url, bool allowHttp)
    {
        if (url.Length > 2048)
        {
            return "at most 2048 characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || url.Any(char.IsControl) || url.Contains(' ', StringComparison.Ordinal))
        {
            return "an absolute https:// URL is required";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return allowHttp ? "an http:// or https:// URL is required" : "an https:// URL is required (credentials are sent to it; Intel:AllowInsecureHttp allows http://)";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "the URL must not carry a user name or password: give them as username and secret";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "the URL must not carry a query or fragment (a key in a URL ends up in logs): give credentials as username and secret";
        }

        return null;
    }

    /// <summary>Why a collection id is refused, or null.</summary>
    public static string? CollectionProblem(string id) =>
        id.Length is 0 or > 300 || id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '/')
            ? "the TAXII collection id is required: 1 to 300 characters without spaces or '/'"
            : null;
}
