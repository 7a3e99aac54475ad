namespace Bulwark.Server.Tests.Support;

/// <summary>
/// A clock the test moves by hand. Only "now" is manual: timers and delays still run on real time, so a hosted
/// worker keeps polling while the instants it sees are the test's.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public DateTimeOffset Advance(TimeSpan by) => new(Interlocked.Add(ref _ticks, by.Ticks), TimeSpan.Zero);
}
