namespace Bulwark.LogGen.Plant;

/// <summary>Something that happens at a fixed time of the window, whatever the traffic volume.</summary>
public sealed record ScheduledEvent(DateTime Time, Action Run);
