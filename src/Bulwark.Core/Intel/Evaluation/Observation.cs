namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// One observation in the sense of STIX <c>observed-data</c>: when it was seen (first and last), how many times
/// (<see cref="Count"/>, STIX <c>number_observed</c>), and the cyber-observable objects seen together, keyed by local
/// reference ("0", "1", …). Patterns are evaluated over a list of these; comparisons inside one <c>[ … ]</c> apply to
/// one observation.
/// </summary>
public sealed class Observation
{
    private readonly string[] _references;
    private readonly ObservedObject[] _objects;
    private Dictionary<string, int>? _index;

    /// <summary>An observation seen once at <paramref name="observed"/>.</summary>
    public Observation(DateTimeOffset observed, params ReadOnlySpan<(string Reference, ObservedObject Object)> objects)
        : this(observed, observed, 1, objects)
    {
    }

    /// <summary>
    /// An observation seen <paramref name="count"/> times (at least once) between <paramref name="firstObserved"/>
    /// and <paramref name="lastObserved"/>; references must be distinct.
    /// </summary>
    public Observation(
        DateTimeOffset firstObserved,
        DateTimeOffset lastObserved,
        long count,
        params ReadOnlySpan<(string Reference, ObservedObject Object)> objects)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (lastObserved < firstObserved)
        {
            throw new ArgumentException("last observed is before first observed", nameof(lastObserved));
        }

        FirstObserved = firstObserved.ToUniversalTime();
        LastObserved = lastObserved.ToUniversalTime();
        Count = count;
        _references = new string[objects.Length];
        _objects = new ObservedObject[objects.Length];
        var seen = objects.Length > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < objects.Length; i++)
        {
            var (reference, item) = objects[i];
            ArgumentNullException.ThrowIfNull(reference, nameof(objects));
            ArgumentNullException.ThrowIfNull(item, nameof(objects));
            if (seen is not null ? !seen.Add(reference) : Array.IndexOf(_references, reference, 0, i) >= 0)
            {
                throw new ArgumentException($"object reference '{reference}' is given twice", nameof(objects));
            }

            _references[i] = reference;
            _objects[i] = item;
        }
    }

    /// <summary>When the objects were first seen (UTC).</summary>
    public DateTimeOffset FirstObserved { get; }

    /// <summary>When the objects were last seen (UTC).</summary>
    public DateTimeOffset LastObserved { get; }

    /// <summary>How many times they were seen (STIX <c>number_observed</c>).</summary>
    public long Count { get; }

    /// <summary>How many objects the observation holds.</summary>
    public int ObjectCount => _objects.Length;

    /// <summary>The object at <paramref name="index"/> with its local reference.</summary>
    public (string Reference, ObservedObject Object) this[int index] => (_references[index], _objects[index]);

    /// <summary>The object with local reference <paramref name="reference"/>.</summary>
    public bool TryGetObject(string reference, out ObservedObject item)
    {
        int i;
        if (_references.Length <= 16)
        {
            i = Array.IndexOf(_references, reference);
        }
        else
        {
            // Large observations (STIX 2.1 bundles read whole) get an index on first use; a race builds it twice, harmlessly.
            var index = _index ??= _references.Select((r, n) => (r, n)).ToDictionary(p => p.r, p => p.n, StringComparer.Ordinal);
            i = index.TryGetValue(reference, out var found) ? found : -1;
        }

        item = i >= 0 ? _objects[i] : null!;
        return i >= 0;
    }

    internal ObservedObject ObjectAt(int index) => _objects[index];
}
