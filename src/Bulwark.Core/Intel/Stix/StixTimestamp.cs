namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// RFC 3339 date-times as STIX writes them (<c>2021-03-02T10:07:29.042Z</c>): a full date, <c>T</c>, a full time with
/// optional fraction, and <c>Z</c> or a numeric offset. Fractions beyond 100 ns are truncated. Nothing else is accepted
/// (no date-only values, no missing offset), so a value that is not a timestamp is reported rather than guessed.
/// </summary>
internal static class StixTimestamp
{
    public const string Expected = "an RFC 3339 timestamp such as \"2021-03-02T00:00:00.000Z\"";

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        // yyyy-MM-ddTHH:mm:ss = 19 characters, then [.fraction] and Z or ±HH:mm.
        if (text.Length < 20
            || !Digits(text[..4], out var year) || text[4] != '-' || !Digits(text.Slice(5, 2), out var month) || text[7] != '-'
            || !Digits(text.Slice(8, 2), out var day) || text[10] is not ('T' or 't')
            || !Digits(text.Slice(11, 2), out var hour) || text[13] != ':' || !Digits(text.Slice(14, 2), out var minute)
            || text[16] != ':' || !Digits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var rest = text[19..];
        long ticks = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 0;
            rest = rest[1..];
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                if (digits < 7)
                {
                    ticks = (ticks * 10) + (rest[digits] - '0');
                }

                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (var d = Math.Min(digits, 7); d < 7; d++)
            {
                ticks *= 10;
            }

            rest = rest[digits..];
        }

        TimeSpan offset;
        if (rest is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && rest[0] is '+' or '-' && Digits(rest.Slice(1, 2), out var oh) && rest[3] == ':' && Digits(rest.Slice(4, 2), out var om)
            && oh < 24 && om < 60)
        {
            offset = new TimeSpan(oh, om, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks).ToUniversalTime();
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
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
