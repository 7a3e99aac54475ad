using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// The MISP attribute types the IOC index can hold and how each value maps onto <see cref="IocKind"/> values
/// (intel.md §3.2). Composite types join parts with <c>|</c>: <c>domain|ip</c> gives both parts,
/// <c>ip-dst|port</c> the address, <c>filename|sha256</c> the hash and the file name.
/// </summary>
public static class MispAttributeTypes
{
    /// <summary>The longest value taken; longer ones are refused (as <see cref="PlainList"/> refuses them).</summary>
    public const int MaxValueLength = 2048;

    private const uint IpKinds = (1u << (int)IocKind.IPv4) | (1u << (int)IocKind.IPv6) | (1u << (int)IocKind.CidrV4) | (1u << (int)IocKind.CidrV6);

    private static readonly Dictionary<string, uint> KindsByType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ip-src"] = IpKinds,
        ["ip-dst"] = IpKinds,
        ["ip-src|port"] = IpKinds,
        ["ip-dst|port"] = IpKinds,
        ["domain"] = Bit(IocKind.Domain),
        ["hostname"] = Bit(IocKind.Domain),
        ["hostname|port"] = Bit(IocKind.Domain),
        ["domain|ip"] = Bit(IocKind.Domain) | IpKinds,
        ["url"] = Bit(IocKind.Url),
        ["uri"] = Bit(IocKind.Url),
        ["link"] = Bit(IocKind.Url),
        ["email"] = Bit(IocKind.Email),
        ["email-src"] = Bit(IocKind.Email),
        ["email-dst"] = Bit(IocKind.Email),
        ["email-reply-to"] = Bit(IocKind.Email),
        ["md5"] = Bit(IocKind.Md5),
        ["sha1"] = Bit(IocKind.Sha1),
        ["sha256"] = Bit(IocKind.Sha256),
        ["filename|md5"] = Bit(IocKind.Md5) | Bit(IocKind.FileName) | Bit(IocKind.FilePath),
        ["filename|sha1"] = Bit(IocKind.Sha1) | Bit(IocKind.FileName) | Bit(IocKind.FilePath),
        ["filename|sha256"] = Bit(IocKind.Sha256) | Bit(IocKind.FileName) | Bit(IocKind.FilePath),
        ["malware-sample"] = Bit(IocKind.Md5) | Bit(IocKind.FileName) | Bit(IocKind.FilePath),
        ["filename"] = Bit(IocKind.FileName) | Bit(IocKind.FilePath),
        ["email-attachment"] = Bit(IocKind.FileName),
        ["user-agent"] = Bit(IocKind.UserAgent),
    };

    /// <summary>True when attributes of <paramref name="type"/> can give the IOC index a value.</summary>
    public static bool IsIndexable(string type) => KindsByType.ContainsKey(type) && !type.Equals("link", StringComparison.OrdinalIgnoreCase);

    /// <summary>The IOC kinds values of a MISP type can have, as a bit mask over <see cref="IocKind"/> (0 when none).</summary>
    internal static uint KindsOf(string type) => KindsByType.GetValueOrDefault(type);

    internal static uint Bit(IocKind kind) => 1u << (int)kind;

    /// <summary>
    /// Maps a value of <paramref name="type"/> (already refanged and trimmed) into <paramref name="into"/>.
    /// On <see cref="MispMapOutcome.Invalid"/>, <paramref name="error"/> says what was expected.
    /// </summary>
    internal static MispMapOutcome Map(string type, string value, List<IndexValue> into, out string? error)
    {
        error = null;
        switch (type.ToLowerInvariant())
        {
            case "ip-src" or "ip-dst":
                return Address(value, into, ref error);

            case "ip-src|port" or "ip-dst|port":
                return Split(type, value, out var address, out _, ref error) ? Address(address, into, ref error) : MispMapOutcome.Invalid;

            case "domain" or "hostname":
                return Domain(value, into, ref error);

            case "hostname|port":
                return Split(type, value, out var host, out _, ref error) ? Domain(host, into, ref error) : MispMapOutcome.Invalid;

            case "domain|ip":
                if (!Split(type, value, out var domain, out var ip, ref error))
                {
                    return MispMapOutcome.Invalid;
                }

                var both = new List<IndexValue>(2);
                if (Domain(domain, both, ref error) != MispMapOutcome.Mapped || Address(ip, both, ref error) != MispMapOutcome.Mapped)
                {
                    return MispMapOutcome.Invalid;
                }

                into.AddRange(both);
                return MispMapOutcome.Mapped;

            case "url":
                return Url(value, into, ref error);

            case "uri":
                // MISP's uri is mostly a path ("/owa/auth/x.js"), which names no host; only absolute URIs are indexed.
                return PlainList.Classify(value) == IocKind.Url ? Url(value, into, ref error) : MispMapOutcome.Unsupported;

            case "email" or "email-src" or "email-dst" or "email-reply-to":
                if (PlainList.Classify(value) != IocKind.Email)
                {
                    error = $"{MispJson.Quote(value)} is not an e-mail address (local@domain)";
                    return MispMapOutcome.Invalid;
                }

                into.Add(new IndexValue(IocKind.Email, value));
                return MispMapOutcome.Mapped;

            case "md5":
                return Hash(IocKind.Md5, value, into, ref error);
            case "sha1":
                return Hash(IocKind.Sha1, value, into, ref error);
            case "sha256":
                return Hash(IocKind.Sha256, value, into, ref error);

            case "filename|md5" or "malware-sample":
                return FileAndHash(type, IocKind.Md5, value, into, ref error);
            case "filename|sha1":
                return FileAndHash(type, IocKind.Sha1, value, into, ref error);
            case "filename|sha256":
                return FileAndHash(type, IocKind.Sha256, value, into, ref error);

            case "filename" or "email-attachment":
                return File(value, into, ref error);

            case "user-agent":
                into.Add(new IndexValue(IocKind.UserAgent, value));
                return MispMapOutcome.Mapped;

            default:
                return MispMapOutcome.Unsupported;
        }
    }

    private static MispMapOutcome Address(string value, List<IndexValue> into, ref string? error)
    {
        if (PlainList.Classify(value) is { } kind and (IocKind.IPv4 or IocKind.IPv6 or IocKind.CidrV4 or IocKind.CidrV6))
        {
            into.Add(new IndexValue(kind, value));
            return MispMapOutcome.Mapped;
        }

        error = $"{MispJson.Quote(value)} is not an IP address or CIDR range";
        return MispMapOutcome.Invalid;
    }

    private static MispMapOutcome Domain(string value, List<IndexValue> into, ref string? error)
    {
        if (PlainList.Classify(value) == IocKind.Domain)
        {
            into.Add(new IndexValue(IocKind.Domain, value));
            return MispMapOutcome.Mapped;
        }

        error = $"{MispJson.Quote(value)} is not a domain name";
        return MispMapOutcome.Invalid;
    }

    private static MispMapOutcome Url(string value, List<IndexValue> into, ref string? error)
    {
        // MISP url attributes are often written without a scheme ("evil.example/owa/x.js"): read them as http.
        var url = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (PlainList.Classify(url) == IocKind.Url)
        {
            into.Add(new IndexValue(IocKind.Url, url));
            return MispMapOutcome.Mapped;
        }

        error = $"{MispJson.Quote(value)} is not a URL (scheme://host/path)";
        return MispMapOutcome.Invalid;
    }

    private static MispMapOutcome Hash(IocKind kind, string value, List<IndexValue> into, ref string? error)
    {
        if (PlainList.Classify(value) == kind)
        {
            into.Add(new IndexValue(kind, value));
            return MispMapOutcome.Mapped;
        }

        var (name, digits) = kind switch
        {
            IocKind.Md5 => ("MD5", 32),
            IocKind.Sha1 => ("SHA-1", 40),
            _ => ("SHA-256", 64),
        };
        error = $"{MispJson.Quote(value)} is not an {name} hash ({digits} hex digits)";
        return MispMapOutcome.Invalid;
    }

    private static MispMapOutcome File(string value, List<IndexValue> into, ref string? error)
    {
        if (value.Length == 0)
        {
            error = "the file name is empty";
            return MispMapOutcome.Invalid;
        }

        into.Add(new IndexValue(value.AsSpan().ContainsAny('\\', '/') ? IocKind.FilePath : IocKind.FileName, value));
        return MispMapOutcome.Mapped;
    }

    private static MispMapOutcome FileAndHash(string type, IocKind kind, string value, List<IndexValue> into, ref string? error)
    {
        if (!Split(type, value, out var file, out var hash, ref error))
        {
            return MispMapOutcome.Invalid;
        }

        var both = new List<IndexValue>(2);
        if (Hash(kind, hash, both, ref error) != MispMapOutcome.Mapped || File(file, both, ref error) != MispMapOutcome.Mapped)
        {
            return MispMapOutcome.Invalid;
        }

        into.AddRange(both);
        return MispMapOutcome.Mapped;
    }

    /// <summary>A composite value's two parts (at the last <c>|</c>, since file names may hold one).</summary>
    private static bool Split(string type, string value, out string first, out string second, ref string? error)
    {
        var bar = value.LastIndexOf('|');
        if (bar <= 0 || bar == value.Length - 1)
        {
            first = second = "";
            error = $"{MispJson.Quote(value)} is not a '{type}' value (two parts joined by '|')";
            return false;
        }

        first = value[..bar].Trim();
        second = value[(bar + 1)..].Trim();
        return true;
    }
}
