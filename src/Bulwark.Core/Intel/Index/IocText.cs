using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Bulwark.Core.Intel.Index;

/// <summary>Allocation-free parsing and normalisation shared by the builder (at add) and the index (at lookup).</summary>
internal static class IocText
{
    private static readonly SearchValues<char> UrlAuthorityEnd = SearchValues.Create("/?#");

    /// <summary>
    /// Parses dotted IPv4 text: four octets of one to three digits, each at most 255 (leading zeros allowed),
    /// nothing else; <paramref name="value"/> is 0 when the text is refused. Text of 8 to 15 characters is checked
    /// with two 8-character vector compares and its octets read without a branch per digit; other lengths take
    /// <see cref="TryParseIPv4Scalar"/>, which accepts the same text.
    /// </summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> s, out uint value)
    {
        var n = s.Length;
        if (n < 8 || n > 15 || !Vector128.IsHardwareAccelerated)
        {
            return TryParseIPv4Scalar(s, out value);
        }

        // The first eight characters and the last eight (overlapping): a mask of dots and one of digits.
        value = 0;
        ref var first = ref MemoryMarshal.GetReference(s);
        var head = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref first));
        var tail = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref first), (nuint)(n - 8));
        var dot = Vector128.Create((ushort)'.');
        var zero = Vector128.Create((ushort)'0');
        var nine = Vector128.Create((ushort)9);
        var dots = Vector128.Equals(head, dot).ExtractMostSignificantBits() | (Vector128.Equals(tail, dot).ExtractMostSignificantBits() << (n - 8));
        var digits = Vector128.LessThanOrEqual(head - zero, nine).ExtractMostSignificantBits()
            | (Vector128.LessThanOrEqual(tail - zero, nine).ExtractMostSignificantBits() << (n - 8));
        // Only digits and three dots, none first, last or beside another: every octet has a digit, so every read
        // below stays inside the text.
        if ((dots | digits) != (1u << n) - 1 || BitOperations.PopCount(dots) != 3 || (dots & ((dots >> 1) | 1 | (1u << (n - 1)))) != 0)
        {
            return false;
        }

        var d1 = BitOperations.TrailingZeroCount(dots);
        dots &= dots - 1;
        var d2 = BitOperations.TrailingZeroCount(dots);
        var d3 = BitOperations.TrailingZeroCount(dots & (dots - 1));
        var a = Octet(ref first, 0, d1);
        var b = Octet(ref first, d1 + 1, d2);
        var c = Octet(ref first, d2 + 1, d3);
        var d = Octet(ref first, d3 + 1, n);

        // Every octet of one to three digits (a value of 0x10000 or more marks a bad length), and at most 255.
        if ((a | b | c | d) > 255)
        {
            return false;
        }

        value = (a << 24) | (b << 16) | (c << 8) | d;
        return true;
    }

    /// <summary>
    /// The value of the digits from <paramref name="start"/> to <paramref name="end"/> (at least one, all digits); a
    /// length over three gives 0x10000. The tens and hundreds are read at an index kept inside the octet
    /// and multiplied by zero when the octet is shorter, so no branch depends on the length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Octet(ref char first, int start, int end)
    {
        var length = end - start;
        var tens = end - 2 >= start ? end - 2 : start;
        var hundreds = end - 3 >= start ? end - 3 : start;
        var value = (uint)(Unsafe.Add(ref first, end - 1) - '0')
            + ((length >= 2 ? 10u : 0u) * (uint)(Unsafe.Add(ref first, tens) - '0'))
            + ((length >= 3 ? 100u : 0u) * (uint)(Unsafe.Add(ref first, hundreds) - '0'));
        return (uint)(length - 1) <= 2 ? value : 0x10000u;
    }

    /// <summary><see cref="TryParseIPv4"/> one character at a time: for text of other lengths, and the reference its fast path is tested against.</summary>
    internal static bool TryParseIPv4Scalar(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        var address = 0u;
        var parts = 0;
        var i = 0;
        while (parts < 4)
        {
            var start = i;
            uint octet = 0;
            while (i < s.Length && i - start < 3 && char.IsAsciiDigit(s[i]))
            {
                octet = (octet * 10) + (uint)(s[i] - '0');
                i++;
            }

            if (i == start || octet > 255)
            {
                return false;
            }

            address = (address << 8) | octet;
            parts++;
            if (parts < 4)
            {
                if (i >= s.Length || s[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        if (i != s.Length)
        {
            return false;
        }

        value = address;
        return true;
    }

    /// <summary>Parses RFC 4291 text (with <c>::</c>, an embedded IPv4 tail, optional brackets and zone id).</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> s, out UInt128 value)
    {
        value = 0;
        if (s.Length > 2 && s[0] == '[' && s[^1] == ']')
        {
            s = s[1..^1];
        }

        var zone = s.IndexOf('%');
        if (zone >= 0)
        {
            s = s[..zone];
        }

        if (s.SequenceEqual("::"))
        {
            return true;
        }

        Span<ushort> groups = stackalloc ushort[8];
        int count = 0, gap = -1, i = 0;
        if (s.StartsWith("::"))
        {
            gap = 0;
            i = 2;
        }
        else if (s.Length == 0 || s[0] == ':')
        {
            return false;
        }

        while (i < s.Length)
        {
            if (count == 8)
            {
                return false;
            }

            var colon = s[i..].IndexOf(':');
            var segEnd = colon < 0 ? s.Length : i + colon;
            var seg = s[i..segEnd];
            if (seg.Contains('.'))
            {
                if (segEnd != s.Length || count > 6 || !TryParseIPv4(seg, out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                break;
            }

            if (seg.Length is 0 or > 4)
            {
                return false;
            }

            var group = 0;
            foreach (var c in seg)
            {
                var h = HexDigit(c);
                if (h < 0)
                {
                    return false;
                }

                group = (group << 4) | h;
            }

            groups[count++] = (ushort)group;
            i = segEnd;
            if (i == s.Length)
            {
                break;
            }

            i++;
            if (i < s.Length && s[i] == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                i++;
            }
            else if (i == s.Length)
            {
                return false;
            }
        }

        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        UInt128 result = 0;
        var zeros = 16 * (8 - count);
        for (var k = 0; k < count; k++)
        {
            if (k == gap)
            {
                result <<= zeros;
            }

            result = (result << 16) | groups[k];
        }

        if (gap == count)
        {
            result <<= zeros;
        }

        value = result;
        return true;
    }

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>) as its IPv4 value.</summary>
    public static bool IsIPv4Mapped(UInt128 v6, out uint v4)
    {
        v4 = (uint)v6;
        return v6 >> 32 == 0xFFFF;
    }

    public static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// Parses exactly <c>digest.Length * 2</c> hex digits of either case: sixteen characters per vector step from 16
    /// characters on, <see cref="Convert.FromHexString(ReadOnlySpan{char}, Span{byte}, out int, out int)"/> below that.
    /// </summary>
    public static bool TryParseHex(ReadOnlySpan<char> hex, Span<byte> digest)
    {
        if (hex.Length != digest.Length * 2)
        {
            return false;
        }

        if (hex.Length < 16 || !Vector128.IsHardwareAccelerated)
        {
            return Convert.FromHexString(hex, digest, out _, out var written) == OperationStatus.Done && written == digest.Length;
        }

        // Sixteen characters to eight bytes per step; the last step ends at the text's end (overlapping the one
        // before when the length is not a multiple of 16, and writing the same bytes again).
        ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(hex));
        ref var bytes = ref MemoryMarshal.GetReference(digest);
        var invalid = Vector128<byte>.Zero;
        var wide = Vector128<ushort>.Zero;
        for (var i = 0; i < hex.Length; i += 16)
        {
            var at = Math.Min(i, hex.Length - 16);
            var low = Vector128.LoadUnsafe(ref chars, (nuint)at);
            var high = Vector128.LoadUnsafe(ref chars, (nuint)(at + 8));
            wide |= low | high;
            var c = Vector128.Narrow(low, high);
            var digit = c - Vector128.Create((byte)'0');
            var letter = (c | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a');
            var isDigit = Vector128.LessThan(digit, Vector128.Create((byte)10));
            var isLetter = Vector128.LessThan(letter, Vector128.Create((byte)6));
            invalid |= ~(isDigit | isLetter);
            var nibbles = Vector128.ConditionalSelect(isDigit, digit, letter + Vector128.Create((byte)10)).AsUInt16();

            // Each pair of nibbles (first character high) into one byte, then the eight bytes stored at once.
            var pairs = ((nibbles << 4) | (nibbles >> 8)) & Vector128.Create((ushort)0xFF);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, at / 2), Vector128.Narrow(pairs, pairs).AsUInt64().ToScalar());
        }

        // A character above U+00FF narrows to some byte, so it is refused by its high byte, not by that byte.
        return invalid == Vector128<byte>.Zero && (wide & Vector128.Create((ushort)0xFF00)) == Vector128<ushort>.Zero;
    }

    /// <summary>
    /// Writes the normalised URL to <paramref name="dest"/> (at least <c>url.Length + 1</c> chars): scheme and host
    /// lower-case, trailing dot of the host and a default port dropped, empty path made <c>/</c>, escapes of
    /// unreserved characters decoded and other escapes upper-cased, fragment dropped; path and query keep their case.
    /// Returns the length, or -1 when the text is not an absolute URL; <paramref name="host"/> is the host's range.
    /// </summary>
    public static int NormalizeUrl(ReadOnlySpan<char> url, Span<char> dest, out Range host)
    {
        host = default;
        url = url.Trim();
        var schemeEnd = url.IndexOf("://");
        if (schemeEnd <= 0)
        {
            return -1;
        }

        var scheme = url[..schemeEnd];
        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return -1;
            }
        }

        var n = scheme.ToLowerInvariant(dest);
        "://".CopyTo(dest[n..]);
        n += 3;

        var rest = url[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(UrlAuthorityEnd);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? [] : rest[authorityEnd..];

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority[..(at + 1)].CopyTo(dest[n..]);
            n += at + 1;
            authority = authority[(at + 1)..];
        }

        ReadOnlySpan<char> hostText, port = [];
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                return -1;
            }

            hostText = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return -1;
                }

                port = after[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            hostText = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? [] : authority[(colon + 1)..];
        }

        if (hostText.EndsWith('.'))
        {
            hostText = hostText[..^1];
        }

        if (hostText.IsEmpty)
        {
            return -1;
        }

        var hostStart = n;
        n += hostText.ToLowerInvariant(dest[n..]);
        host = hostStart..n;

        foreach (var c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }
        }

        port = port.TrimStart('0');
        if (!port.IsEmpty && !IsDefaultPort(dest[..schemeEnd], port))
        {
            dest[n++] = ':';
            port.CopyTo(dest[n..]);
            n += port.Length;
        }

        var fragment = tail.IndexOf('#');
        if (fragment >= 0)
        {
            tail = tail[..fragment];
        }

        if (tail.IsEmpty || tail[0] != '/')
        {
            dest[n++] = '/';
        }

        // Up to the first escape the tail is copied as it is (one vectorised copy for most URLs).
        var firstEscape = tail.IndexOf('%');
        var verbatim = firstEscape < 0 ? tail : tail[..firstEscape];
        verbatim.CopyTo(dest[n..]);
        n += verbatim.Length;
        tail = tail[verbatim.Length..];
        for (var i = 0; i < tail.Length; i++)
        {
            var c = tail[i];
            if (c == '%' && i + 2 < tail.Length)
            {
                int hi = HexDigit(tail[i + 1]), lo = HexDigit(tail[i + 2]);
                if ((hi | lo) >= 0)
                {
                    var decoded = (char)((hi << 4) | lo);
                    if (char.IsAsciiLetterOrDigit(decoded) || decoded is '-' or '.' or '_' or '~')
                    {
                        dest[n++] = decoded;
                    }
                    else
                    {
                        dest[n++] = '%';
                        dest[n++] = char.ToUpperInvariant(tail[i + 1]);
                        dest[n++] = char.ToUpperInvariant(tail[i + 2]);
                    }

                    i += 2;
                    continue;
                }
            }

            dest[n++] = c;
        }

        return n;
    }

    /// <summary>
    /// True when <see cref="NormalizeUrl"/> would return <paramref name="url"/> unchanged and its host is ASCII: a
    /// lower-case scheme, <c>://</c>, a host of lower-case ASCII letters, digits, <c>-</c>, <c>_</c> and inner dots
    /// (no user, port or brackets), then <c>/</c>, and no <c>%</c> or <c>#</c> after it. The host is
    /// <c>url[hostStart..hostEnd]</c>. A false answer only means the URL needs <see cref="NormalizeUrl"/>.
    /// </summary>
    public static bool IsNormalUrl(ReadOnlySpan<char> url, out int hostStart, out int hostEnd)
    {
        hostStart = hostEnd = 0;
        if (url.StartsWith("https://", StringComparison.Ordinal))
        {
            hostStart = 8;
        }
        else if (url.StartsWith("http://", StringComparison.Ordinal))
        {
            hostStart = 7;
        }
        else
        {
            var schemeEnd = url.IndexOfAnyExcept(NormalSchemeChars);
            if (schemeEnd <= 0 || !url[schemeEnd..].StartsWith("://"))
            {
                return false;
            }

            hostStart = schemeEnd + 3;
        }

        var hostLength = url[hostStart..].IndexOfAnyExcept(NormalHostChars);
        if (hostLength <= 0)
        {
            return false;
        }

        hostEnd = hostStart + hostLength;
        return url[hostEnd] == '/' && url[hostEnd - 1] != '.' && !url[hostEnd..].ContainsAny('%', '#');
    }

    /// <summary>True when <paramref name="host"/> holds only lower-case ASCII letters, digits, '-', '.' and '_': already a domain key's folded form.</summary>
    public static bool IsLowerHost(ReadOnlySpan<char> host) => host.IndexOfAnyExcept(NormalHostChars) < 0;

    private static readonly SearchValues<char> NormalSchemeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789+-.");
    private static readonly SearchValues<char> NormalHostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._");

    private static bool IsDefaultPort(ReadOnlySpan<char> scheme, ReadOnlySpan<char> port) =>
        port switch
        {
            "80" => scheme is "http" or "ws",
            "443" => scheme is "https" or "wss",
            "21" => scheme is "ftp",
            _ => false,
        };

    /// <summary>The last segment of a Windows or POSIX path, with the trailing dots and spaces Win32 ignores removed.</summary>
    public static ReadOnlySpan<char> FileNameOf(ReadOnlySpan<char> path)
    {
        var slash = path.LastIndexOfAny('\\', '/');
        return path[(slash + 1)..].TrimEnd(". ");
    }

    /// <summary>Copies a path with every <c>/</c> turned into <c>\</c>.</summary>
    public static void NormalizeSeparators(ReadOnlySpan<char> path, Span<char> dest) => path.Replace(dest, '/', '\\');

    /// <summary>
    /// The key a domain is indexed and looked up by: lower case, and an internationalised name in its ASCII
    /// (punycode) form, so <c>bücher.example</c>, <c>BÜCHER.example</c> and <c>xn--bcher-kva.example</c> are one
    /// domain. Null when a non-ASCII name is not a valid IDN.
    /// </summary>
    /// <param name="domain">The domain, trimmed.</param>
    /// <param name="source">The string <paramref name="domain"/> was read from, reused as the key when nothing changes.</param>
    public static string? DomainKey(ReadOnlySpan<char> domain, string? source = null)
    {
        if (System.Text.Ascii.IsValid(domain))
        {
            return StringTable.Fold(source is not null && domain.SequenceEqual(source) ? source : domain.ToString());
        }

        try
        {
            return StringTable.Fold(Idn.GetAscii(domain.ToString().ToLowerInvariant()));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// A normalised URL (<see cref="NormalizeUrl"/>) whose host is not ASCII, with the host in its punycode form;
    /// null when the host is not a valid IDN. ASCII hosts need no call.
    /// </summary>
    public static string? WithAsciiHost(ReadOnlySpan<char> normalizedUrl, Range host)
    {
        var ascii = DomainKey(normalizedUrl[host]);
        if (ascii is null)
        {
            return null;
        }

        var (start, length) = host.GetOffsetAndLength(normalizedUrl.Length);
        return string.Concat(normalizedUrl[..start], ascii, normalizedUrl[(start + length)..]);
    }

    private static readonly System.Globalization.IdnMapping Idn = new();

    public static ReadOnlySpan<char> TrimHost(ReadOnlySpan<char> host)
    {
        host = host.Trim();
        return host.EndsWith('.') ? host[..^1] : host;
    }
}
