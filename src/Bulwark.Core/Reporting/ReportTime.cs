using System.Globalization;

namespace Bulwark.Core.Reporting;

/// <summary>
/// The one timestamp format of every report: ISO 8601 in UTC with <c>Z</c>, e.g.
/// <c>2021-03-03T07:39:04.123Z</c>. Fractional seconds are dropped when zero, given as milliseconds when
/// the time has no finer part, and in full (100 ns) otherwise, so no precision from the log is lost.
/// </summary>
public static class ReportTime
{
    /// <summary>The longest formatted value: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    public const int MaxLength = 28;

    public static string Format(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        return new string(buffer[..Format(value, buffer)]);
    }

    /// <summary>Formats into <paramref name="destination"/> (at least <see cref="MaxLength"/> chars) and returns the length.</summary>
    public static int Format(DateTimeOffset value, Span<char> destination)
    {
        var utc = value.UtcDateTime;
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        var format = fraction == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'"
            : fraction % TimeSpan.TicksPerMillisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
            : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
        if (!utc.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new ArgumentException($"Needs at least {MaxLength} characters.", nameof(destination));
        }

        return written;
    }
}
