namespace Bulwark.Core.Intel.Index;

/// <summary>The observable type an indicator matches, which fixes how its value is normalised and looked up.</summary>
public enum IocKind : byte
{
    IPv4,
    IPv6,
    CidrV4,
    CidrV6,

    /// <summary>A domain; it also matches every subdomain (<c>a.b.evil.com</c> hits <c>evil.com</c>).</summary>
    Domain,

    /// <summary>A URL, normalised: scheme and host lower-case, default port and fragment dropped, unreserved escapes decoded.</summary>
    Url,

    Email,
    Md5,
    Sha1,
    Sha256,

    /// <summary>A user agent, matched exactly (ordinal).</summary>
    UserAgent,

    /// <summary>A file name, case-insensitive as on Windows.</summary>
    FileName,

    /// <summary>A file path, case-insensitive, with <c>\</c> and <c>/</c> equal.</summary>
    FilePath,
}
