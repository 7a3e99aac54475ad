using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// An IPv4 or IPv6 address or CIDR range, for ISSUBSET / ISSUPERSET and for comparing address values as addresses.
/// IPv4 must be a dotted quad (no <c>1.2.3</c> or octal forms); an IPv4-mapped IPv6 host is read as IPv4; host bits
/// beyond the prefix are allowed and ignored, as the reference matcher does.
/// </summary>
internal readonly record struct IpRange(UInt128 Bits, int Prefix, bool V6)
{
    public int Width => V6 ? 128 : 32;

    public bool IsHost => Prefix == Width;

    public static bool TryParse(ReadOnlySpan<char> text, out IpRange range)
    {
        range = default;
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        var prefix = -1;
        if (slash >= 0)
        {
            var digits = text[(slash + 1)..];
            if (digits.Length is 0 or > 3 || !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix))
            {
                return false;
            }
        }

        if (address.Contains(':'))
        {
            if (address.Contains('%') || !IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            if (ip.IsIPv4MappedToIPv6 && prefix < 0)
            {
                range = new IpRange(V4Bits(ip.MapToIPv4()), 32, V6: false);
                return true;
            }

            Span<byte> bytes = stackalloc byte[16];
            ip.TryWriteBytes(bytes, out _);
            if (prefix > 128)
            {
                return false;
            }

            range = new IpRange(BinaryPrimitives.ReadUInt128BigEndian(bytes), prefix < 0 ? 128 : prefix, V6: true);
            return true;
        }

        if (!TryParseV4(address, out var v4) || prefix > 32)
        {
            return false;
        }

        range = new IpRange(v4, prefix < 0 ? 32 : prefix, V6: false);
        return true;
    }

    /// <summary>True when every address of <paramref name="inner"/> lies in this range.</summary>
    public bool Contains(IpRange inner)
    {
        if (V6 != inner.V6 || Prefix > inner.Prefix)
        {
            return false;
        }

        var mask = Mask(Prefix);
        return (Bits & mask) == (inner.Bits & mask);
    }

    private UInt128 Mask(int prefix)
    {
        if (prefix == 0)
        {
            return UInt128.Zero;
        }

        var all = V6 ? UInt128.MaxValue : (UInt128)uint.MaxValue;
        return (all << (Width - prefix)) & all;
    }

    private static UInt128 V4Bits(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static bool TryParseV4(ReadOnlySpan<char> text, out UInt128 bits)
    {
        bits = 0;
        uint value = 0;
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            uint part = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                part = (part * 10) + (uint)(text[i] - '0');
                i++;
            }

            if (i == start || part > 255)
            {
                return false;
            }

            value = (value << 8) | part;
            parts++;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != '.' || parts == 4)
            {
                return false;
            }

            i++;
        }

        bits = value;
        return parts == 4;
    }
}
