using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// Records every measurement of one meter instance (a host's own, from its <see cref="IMeterFactory"/>), so hosts
/// running in parallel in the test process do not count into each other's totals.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The sum of an instrument's measurements whose tags include every one given ("name=value").</summary>
    public double Sum(string instrument, params string[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>An instrument's measurements whose tags include every one given ("name=value").</summary>
    public IReadOnlyList<Measurement> Of(string instrument, params string[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(m.Tags.Contains)).ToList();

    /// <summary>Every (instrument, tags) seen, with its sum: for asserting that nothing else was counted.</summary>
    public IReadOnlyList<(string Instrument, string Tags, double Sum)> Totals(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument)
            .GroupBy(m => string.Join(',', m.Tags.Order(StringComparer.Ordinal)))
            .Select(g => (instrument, g.Key, g.Sum(m => m.Value)))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .ToList();

    public void Dispose() => _listener.Dispose();

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var texts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            texts.Add($"{tag.Key}={tag.Value}");
        }

        _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, texts));
    }

    public sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyList<string> Tags);
}
