using System.Globalization;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// TAXII and STIX timestamps: RFC 3339 in UTC with a <c>Z</c> (<c>2016-01-01T01:01:01.123456Z</c>). Parsing is
/// strict (no offsets, no missing seconds); fractions beyond the 100 ns a <see cref="DateTimeOffset"/> holds are
/// cut, not rounded.
/// </summary>
public static class TaxiiTime
{
    /// <summary>Parses <c>YYYY-MM-DDTHH:MM:SS[.fraction]Z</c>; false for anything else, including impossible dates.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length < 20 || text.Length > 40)
        {
            return false;
        }

        var s = text.AsSpan();
        if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' || (s[^1] != 'Z' && s[^1] != 'z'))
        {
            return false;
        }

        if (!Digits(s[..4], out var year) || !Digits(s[5..7], out var month) || !Digits(s[8..10], out var day)
            || !Digits(s[11..13], out var hour) || !Digits(s[14..16], out var minute) || !Digits(s[17..19], out var second))
        {
            return false;
        }

        long fractionTicks = 0;
        var rest = s[19..^1];
        if (rest.Length > 0)
        {
            if (rest[0] != '.' || rest.Length == 1)
            {
                return false;
            }

            var digits = rest[1..];
            long scale = TimeSpan.TicksPerSecond;
            foreach (var c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                scale /= 10;
                fractionTicks += (c - '0') * scale;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(fractionTicks);
        return true;
    }

    /// <summary>With exactly <paramref name="fractionDigits"/> fraction digits (0–7): <c>date_added</c> uses 6.</summary>
    public static string Format(DateTimeOffset value, int fractionDigits)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionDigits, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(fractionDigits);
        var utc = value.UtcDateTime;
        var format = fractionDigits == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss." + new string('f', fractionDigits) + "'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A STIX version: milliseconds, and more digits only when the instant has them.</summary>
    public static string FormatVersion(DateTimeOffset value)
    {
        var subMillisecond = value.UtcTicks % TimeSpan.TicksPerMillisecond;
        return Format(value, subMillisecond == 0 ? 3 : subMillisecond % 10 == 0 ? 6 : 7);
    }

    /// <summary>Cuts to whole microseconds: what PostgreSQL keeps and what TAXII timestamps carry.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
