namespace Bulwark.LogGen.Plant;

/// <summary>Fixed-time events in time order, run as the traffic clock passes them.</summary>
public sealed class Schedule
{
    private readonly ScheduledEvent[] _events;
    private int _next;

    public Schedule(IEnumerable<ScheduledEvent> events)
    {
        _events = events.OrderBy(e => e.Time).ToArray();
    }

    /// <summary>Runs every event due at or before <paramref name="t"/>.</summary>
    public void RunDue(DateTime t)
    {
        while (_next < _events.Length && _events[_next].Time <= t)
        {
            _events[_next++].Run();
        }
    }
}
