namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// RFC 3339 timestamps as STIX writes them: <c>2016-01-01T00:00:00Z</c>, optional fraction of any length (kept to
/// 100 ns), upper-case <c>T</c> and <c>Z</c>, always UTC.
/// </summary>
internal static class StixTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length < 20 || text[^1] != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        long fraction = 0;
        if (text.Length > 20)
        {
            if (text[19] != '.' || text.Length == 21)
            {
                return false;
            }

            var scale = 1_000_000L;
            for (var i = 20; i < text.Length - 1; i++)
            {
                if (!char.IsAsciiDigit(text[i]))
                {
                    return false;
                }

                fraction += (text[i] - '0') * scale;
                scale /= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utcTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }
}
