namespace Bulwark.LogGen.Traffic;

/// <summary>
/// Turns "how much of the requested size is written" into a time in the generated window, so the output
/// reaches its size exactly when the window ends. The window is cut into minutes weighted by traffic
/// intensity (busy working hours, quiet nights, a steady floor of health probes), so equal amounts of
/// output cover less wall time by day than by night.
/// </summary>
public sealed class TrafficClock
{
    /// <summary>Health probes run around the clock; their weight relative to a busy minute of users.</summary>
    private const double ProbeIntensity = 0.08;

    private readonly double[] _cumulative;
    private int _minute;

    public TrafficClock(DateTime start, int days)
    {
        Start = start;
        End = start.AddDays(days);
        var minutes = days * 24 * 60;
        _cumulative = new double[minutes + 1];
        for (var m = 0; m < minutes; m++)
        {
            _cumulative[m + 1] = _cumulative[m] + ProbeIntensity + UserIntensity(start.AddMinutes(m));
        }
    }

    public DateTime Start { get; }

    public DateTime End { get; }

    /// <summary>The time at which a share <paramref name="progress"/> (0..1) of all traffic has happened. Never goes back.</summary>
    public DateTime At(double progress)
    {
        var target = Math.Clamp(progress, 0, 1) * _cumulative[^1];
        while (_minute < _cumulative.Length - 2 && _cumulative[_minute + 1] < target)
        {
            _minute++;
        }

        var width = _cumulative[_minute + 1] - _cumulative[_minute];
        var within = width <= 0 ? 0 : Math.Clamp((target - _cumulative[_minute]) / width, 0, 1);
        return Start.AddMinutes(_minute + within);
    }

    /// <summary>Share of requests at <paramref name="t"/> that come from people rather than health probes.</summary>
    public static double UserShare(DateTime t)
    {
        var users = UserIntensity(t);
        return users / (users + ProbeIntensity);
    }

    /// <summary>People's traffic by hour, for an organisation one hour east of UTC; weekends are quiet.</summary>
    private static double UserIntensity(DateTime utc)
    {
        ReadOnlySpan<double> byLocalHour =
        [
            0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.15, 0.45, 0.85, 1.0, 1.0, 0.95,
            0.75, 0.9, 0.95, 0.9, 0.7, 0.45, 0.3, 0.25, 0.2, 0.15, 0.08, 0.05,
        ];
        var local = utc.AddHours(1);
        var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.15 : 1.0;
        var hour = byLocalHour[local.Hour];
        var next = byLocalHour[(local.Hour + 1) % 24];
        return weekend * (hour + ((next - hour) * local.Minute / 60.0));
    }
}
