using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// An immutable, thread-safe index of indicators of compromise with typed, allocation-free lookups (intel.md
/// §6.4): exact values in hash tables keyed by parsed values (IP integers, hash digests) or by strings through
/// span lookups; CIDR ranges as sorted segments; domains by a label-suffix walk. Each lookup returns the ids of
/// the matching entries; read an entry with <see cref="GetEntry"/> and check <see cref="IsValidAt"/> before
/// alerting. Build one with <see cref="IocIndexBuilder"/>; rebuild and swap the reference to refresh. String keys and
/// entry values live in a few large arrays (<see cref="StringTable"/>, <see cref="PackedStrings"/>), not one object
/// per value.
/// </summary>
public sealed class IocIndex
{
    private const int StackLimit = 512;

    private readonly EntryTable _entries;
    private readonly IocTables _tables;

    internal IocIndex(EntryTable entries, IocTables tables)
    {
        _entries = entries;
        _tables = tables;
    }

    /// <summary>Number of entries (ids are 0 to Count - 1).</summary>
    public int Count => _entries.Values.Count;

    public IocEntry GetEntry(int id)
    {
        var e = _entries;
        return new IocEntry(
            id,
            (IocKind)e.Kinds[id],
            ValueText(id),
            e.SourceNames[e.Sources[id]],
            (Tlp)e.Tlps[id],
            e.Confidences[id],
            e.ValidFrom[id] == long.MinValue ? null : new DateTimeOffset(e.ValidFrom[id], TimeSpan.Zero),
            e.ValidUntil[id] == long.MaxValue ? null : new DateTimeOffset(e.ValidUntil[id], TimeSpan.Zero),
            e.References[id]);
    }

    /// <summary>An entry's value as the index holds it: text, or a hash's digest in lower-case hex.</summary>
    private string ValueText(int id)
    {
        var bytes = _entries.Values[id];
        return (IocKind)_entries.Kinds[id] is IocKind.Md5 or IocKind.Sha1 or IocKind.Sha256
            ? Convert.ToHexStringLower(bytes)
            : System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Distinct values (for CIDR kinds, range segments) held for <paramref name="kind"/>; zero lets callers skip a lookup.</summary>
    public int CountOf(IocKind kind) => kind switch
    {
        IocKind.IPv4 => _tables.IPv4.Count,
        IocKind.IPv6 => _tables.IPv6.Count,
        IocKind.CidrV4 => _tables.CidrV4Ranges.SegmentCount,
        IocKind.CidrV6 => _tables.CidrV6Ranges.SegmentCount,
        IocKind.Domain => _tables.Domains.Count,
        IocKind.Url => _tables.Urls.Count,
        IocKind.Email => _tables.Emails.Count,
        IocKind.Md5 => _tables.Md5.Count,
        IocKind.Sha1 => _tables.Sha1.Count,
        IocKind.Sha256 => _tables.Sha256.Count,
        IocKind.UserAgent => _tables.UserAgents.Count,
        IocKind.FileName => _tables.FileNames.Count,
        IocKind.FilePath => _tables.FilePaths.Count,
        _ => 0,
    };

    public Tlp GetTlp(int id) => (Tlp)_entries.Tlps[id];

    /// <summary>The entry's reference (its indicator's id), without building the whole <see cref="IocEntry"/>.</summary>
    public string? GetReference(int id) => _entries.References[id];

    /// <summary>True when <paramref name="at"/> is before the entry's valid-until (always, when it has none).</summary>
    public bool IsBeforeEnd(int id, DateTimeOffset at) => at.UtcTicks < _entries.ValidUntil[id];

    public int GetConfidence(int id) => _entries.Confidences[id];

    /// <summary>True when <paramref name="at"/> is within the entry's validity: valid-from ≤ at &lt; valid-until.</summary>
    public bool IsValidAt(int id, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return ticks >= _entries.ValidFrom[id] && ticks < _entries.ValidUntil[id];
    }

    /// <summary>The TLP of a result derived from all of <paramref name="matches"/>: the strictest (intel.md §8.2).</summary>
    public Tlp EffectiveTlp(IocMatches matches)
    {
        var max = Tlp.Clear;
        foreach (var id in matches)
        {
            var tlp = (Tlp)_entries.Tlps[id];
            max = tlp > max ? tlp : max;
        }

        return max;
    }

    /// <summary>
    /// IP address entries equal to <paramref name="address"/>, then every CIDR range containing it, longest prefix
    /// first. An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>) is looked up as its IPv4 address.
    /// </summary>
    public IocMatches Match(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _))
        {
            return MatchIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.TryWriteBytes(bytes, out _)
            ? MatchIPv6(BinaryPrimitives.ReadUInt128BigEndian(bytes))
            : IocMatches.Empty;
    }

    /// <summary>As <see cref="Match(IPAddress)"/>, from text (dotted IPv4 or IPv6); no match when it is not an address.</summary>
    public IocMatches Match(scoped ReadOnlySpan<char> ipText)
    {
        ipText = ipText.Trim();
        if (ipText.Contains(':'))
        {
            return IocText.TryParseIPv6(ipText, out var v6) ? MatchIPv6(v6) : IocMatches.Empty;
        }

        return IocText.TryParseIPv4(ipText, out var v4) ? MatchIPv4(v4) : IocMatches.Empty;
    }

    /// <summary>As <see cref="Match(IPAddress)"/>, for an IPv4 address as a host-order integer.</summary>
    public IocMatches MatchIPv4(uint address) =>
        new(_tables.IPv4.Match(address), _tables.CidrV4Ranges.Match(address));

    /// <summary>As <see cref="Match(IPAddress)"/>, for an IPv6 address as a host-order integer.</summary>
    public IocMatches MatchIPv6(UInt128 address) =>
        IocText.IsIPv4Mapped(address, out var v4)
            ? MatchIPv4(v4)
            : new(_tables.IPv6.Match(address), _tables.CidrV6Ranges.Match(address));

    /// <summary>
    /// Domain entries for <paramref name="host"/> or any parent domain (label boundaries only: <c>notevil.com</c>
    /// does not hit <c>evil.com</c>), nearest domain first. Case-insensitive; a trailing dot is ignored; an
    /// internationalised name matches in its Unicode and its punycode (<c>xn--</c>) form.
    /// </summary>
    public IocMatches MatchDomain(scoped ReadOnlySpan<char> host)
    {
        host = IocText.TrimHost(host);
        if (_tables.Domains.Count == 0 || host.IsEmpty)
        {
            return IocMatches.Empty;
        }

        if (IocText.IsLowerHost(host))
        {
            return MatchFoldedDomain(host);
        }

        if (!System.Text.Ascii.IsValid(host))
        {
            // An internationalised name: looked up by its punycode, as the table holds it (DomainKey folds it).
            return IocText.DomainKey(host) is { } ascii && System.Text.Ascii.IsValid(ascii) ? MatchFoldedDomain(ascii) : IocMatches.Empty;
        }

        char[]? rented = null;
        var buffer = host.Length <= StackLimit ? stackalloc char[host.Length] : (rented = ArrayPool<char>.Shared.Rent(host.Length));
        try
        {
            _ = System.Text.Ascii.ToLower(host, buffer, out var written);
            return MatchFoldedDomain(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// <see cref="MatchDomain"/> for a host already in the table's folded form (lower-case ASCII): one pass from the
    /// end hashes every label suffix (<see cref="SuffixWalk"/>) and looks each up as it goes, most of them answered
    /// "absent" by the filter. The longest suffix in the table carries its parents' ids too, so the longest hit is
    /// the whole answer.
    /// </summary>
    private IocMatches MatchFoldedDomain(scoped ReadOnlySpan<char> host)
    {
        var domains = _tables.Domains;
        var walk = new SuffixWalk(host);
        ReadOnlySpan<int> longest = default;
        var labels = 0;
        while (walk.Next(out var start, out var hash))
        {
            // Only suffixes with as many labels as some indicator has are looked up (most feeds list no bare TLD).
            if (domains.Strings.MayHoldLabels(++labels))
            {
                var ids = domains.MatchString(host[start..], hash);
                if (!ids.IsEmpty)
                {
                    longest = ids;
                }
            }
        }

        return new(longest);
    }

    /// <summary>
    /// URL entries equal to <paramref name="url"/> after normalisation (see <see cref="IocKind.Url"/>), then the
    /// domain entries matching its host. No match when it is not an absolute URL.
    /// </summary>
    public IocMatches MatchUrl(scoped ReadOnlySpan<char> url)
    {
        url = url.Trim();
        if (IocText.IsNormalUrl(url, out var hostStart, out var hostEnd))
        {
            return MatchNormalUrl(url, url[hostStart..hostEnd]);
        }

        char[]? rented = null;
        var buffer = url.Length < StackLimit ? stackalloc char[url.Length + 1] : (rented = ArrayPool<char>.Shared.Rent(url.Length + 1));
        try
        {
            var length = IocText.NormalizeUrl(url, buffer, out var host);
            if (length < 0)
            {
                return IocMatches.Empty;
            }

            var normalized = buffer[..length];
            ReadOnlySpan<int> exact = default;
            if (_tables.Urls.Count > 0)
            {
                exact = System.Text.Ascii.IsValid(normalized[host])
                    ? _tables.Urls.MatchString(normalized)
                    : IocText.WithAsciiHost(normalized, host) is { } ascii ? _tables.Urls.MatchString(ascii) : default;
            }

            return new(exact, MatchDomain(buffer[host]).First);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// <see cref="MatchUrl"/> for a URL already in normal form with a lower-case ASCII host: looked up as it is,
    /// without a copy, with the first reads of the URL's lookup on their way to memory while the host's domain walk
    /// runs.
    /// </summary>
    private IocMatches MatchNormalUrl(scoped ReadOnlySpan<char> url, scoped ReadOnlySpan<char> host)
    {
        var urls = _tables.Urls;
        var hash = 0UL;
        var probe = default(Probe);
        if (urls.Count > 0)
        {
            hash = urls.Strings.HashOf(url);
            probe = urls.Strings.ReadAhead(hash);
        }

        var domains = _tables.Domains.Count > 0 ? MatchFoldedDomain(host) : IocMatches.Empty;
        return new IocMatches(urls.Count > 0 ? urls.MatchString(url, hash, probe) : default, domains.First);
    }

    /// <summary>E-mail entries equal to <paramref name="address"/>, case-insensitive.</summary>
    public IocMatches MatchEmail(scoped ReadOnlySpan<char> address) => new(_tables.Emails.MatchString(address.Trim()));

    /// <summary>MD5, SHA-1 or SHA-256 entries for a hex digest (the length picks the algorithm), case-insensitive.</summary>
    public IocMatches MatchHash(scoped ReadOnlySpan<char> hex)
    {
        hex = hex.Trim();
        Span<byte> digest = stackalloc byte[32];
        return hex.Length is 32 or 40 or 64 && IocText.TryParseHex(hex, digest[..(hex.Length / 2)])
            ? MatchHash(digest[..(hex.Length / 2)])
            : IocMatches.Empty;
    }

    /// <summary>MD5, SHA-1 or SHA-256 entries for a raw digest of 16, 20 or 32 bytes.</summary>
    public IocMatches MatchHash(scoped ReadOnlySpan<byte> digest) => digest.Length switch
    {
        16 => new(_tables.Md5.Match(BinaryPrimitives.ReadUInt128BigEndian(digest))),
        20 => new(_tables.Sha1.Match(Sha1Key.From(digest))),
        32 => new(_tables.Sha256.Match(Sha256Key.From(digest))),
        _ => IocMatches.Empty,
    };

    /// <summary>User-agent entries exactly equal (ordinal) to <paramref name="userAgent"/>.</summary>
    public IocMatches MatchUserAgent(scoped ReadOnlySpan<char> userAgent) => new(_tables.UserAgents.MatchString(userAgent));

    /// <summary>
    /// File-name entries for the last segment of <paramref name="nameOrPath"/>, case-insensitive, ignoring the
    /// trailing dots and spaces that Windows ignores.
    /// </summary>
    public IocMatches MatchFileName(scoped ReadOnlySpan<char> nameOrPath) => new(_tables.FileNames.MatchString(IocText.FileNameOf(nameOrPath.Trim())));

    /// <summary>File-path entries equal to <paramref name="path"/>, case-insensitive, with <c>\</c> and <c>/</c> equal.</summary>
    public IocMatches MatchFilePath(scoped ReadOnlySpan<char> path)
    {
        path = path.Trim();
        char[]? rented = null;
        var buffer = path.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(path.Length));
        try
        {
            var normalized = buffer[..path.Length];
            IocText.NormalizeSeparators(path, normalized);
            return new(_tables.FilePaths.MatchString(normalized));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Entry metadata as parallel arrays: a few bytes per entry beyond its value's characters.</summary>
    internal sealed record EntryTable(
        ValueStore Values,
        int[] Sources,
        byte[] Kinds,
        byte[] Tlps,
        byte[] Confidences,
        long[] ValidFrom,
        long[] ValidUntil,
        string?[] References,
        string[] SourceNames);
}
