using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace Bulwark.Server.Taxii;

/// <summary>
/// The opaque <c>next</c> token: the (<c>date_added</c>, row) of the last object a page returned, so the next page
/// starts right after it whatever was added meanwhile. Forging one only moves within what the key may read.
/// </summary>
public readonly record struct TaxiiCursor(DateTimeOffset DateAdded, long RowId)
{
    private const byte Format = 1;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = Format;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], DateAdded.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], RowId);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryDecode(string? text, out TaxiiCursor cursor)
    {
        cursor = default;
        if (text is null || text.Length != 23)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != 17 || bytes[0] != Format)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new TaxiiCursor(new DateTimeOffset(ticks, TimeSpan.Zero), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)));
        return true;
    }
}
