using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// An observation expression prepared for evaluation: it produces the stream of bindings that satisfy it, and knows
/// the most observation instances one of its bindings can hold (<see cref="Size"/>; REPEATS multiplies).
/// </summary>
internal abstract class ObservationNode
{
    public abstract long Size { get; }

    public abstract IEnumerable<Binding> Bindings(MatchState state);

    /// <summary>Joins operands left to right, as the grammar groups them; each join pulls from both sides in turn.</summary>
    protected static IEnumerable<Binding> Fold(ObservationNode[] operands, Func<Binding, Binding, Binding?> combine, MatchState state)
    {
        var stream = operands[0].Bindings(state);
        for (var i = 1; i < operands.Length; i++)
        {
            stream = BindingStreams.Join(stream, operands[i].Bindings(state), combine, state);
        }

        return stream;
    }

    protected static long Sum(ObservationNode[] operands)
    {
        long total = 0;
        foreach (var operand in operands)
        {
            total = Math.Min(total + operand.Size, int.MaxValue);
        }

        return total;
    }
}

/// <summary><c>[ … ]</c>: each instance of each observation where some object satisfies the comparisons.</summary>
internal sealed class LeafNode(int leaf, ComparisonNode comparison) : ObservationNode
{
    public override long Size => 1;

    public override IEnumerable<Binding> Bindings(MatchState state)
    {
        for (var i = 0; i < state.Count; i++)
        {
            if (!Holds(state, i))
            {
                continue;
            }

            for (var instance = state.InstanceBase[i]; instance < state.InstanceBase[i + 1]; instance++)
            {
                state.Step();
                yield return new Binding([Binding.Slot(instance, leaf)], state.First[i], state.Last[i]);
            }
        }
    }

    private bool Holds(MatchState state, int index)
    {
        var observation = state.Observations[index];
        for (var i = 0; i < observation.ObjectCount; i++)
        {
            if (comparison.Holds(observation, observation.ObjectAt(i), state))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Observations joined by AND: one binding of each, sharing no observation instance.</summary>
internal sealed class AndNode(ObservationNode[] operands) : ObservationNode
{
    public override long Size { get; } = Sum(operands);

    public override IEnumerable<Binding> Bindings(MatchState state) => Fold(operands, Binding.Merge, state);
}

/// <summary>
/// Observations joined by FOLLOWEDBY: as AND, and each earlier operand's observations can be placed no later than
/// each later operand's (latest first-observed ≤ earliest last-observed, as the reference matcher checks).
/// </summary>
internal sealed class FollowedByNode(ObservationNode[] operands) : ObservationNode
{
    public override long Size { get; } = Sum(operands);

    public override IEnumerable<Binding> Bindings(MatchState state) =>
        Fold(operands, static (a, b) => a.MaxFirst <= b.MinLast ? Binding.Merge(a, b) : null, state);
}

/// <summary>Observations joined by OR: the bindings of any one operand (so a binding is at most the largest one).</summary>
internal sealed class OrNode(ObservationNode[] operands) : ObservationNode
{
    public override long Size { get; } = operands.Max(o => o.Size);

    public override IEnumerable<Binding> Bindings(MatchState state) =>
        BindingStreams.Interleave([.. operands.Select(o => o.Bindings(state))], state);
}

/// <summary>
/// An observation with qualifiers, applied in order: REPEATS n TIMES (n bindings sharing no instance), WITHIN
/// (all of the binding's observations fit in a window of that many seconds), START … STOP (each one's observed
/// interval meets [start, stop): it begins before stop and ends at or after start).
/// </summary>
internal sealed class QualifiedNode : ObservationNode
{
    private readonly ObservationNode _inner;
    private readonly ObservationQualifier[] _qualifiers;

    public QualifiedNode(ObservationNode inner, IReadOnlyList<ObservationQualifier> qualifiers)
    {
        _inner = inner;
        _qualifiers = [.. qualifiers];
        var size = inner.Size;
        foreach (var qualifier in _qualifiers)
        {
            if (qualifier is RepeatsQualifier repeats)
            {
                size = repeats.Times > int.MaxValue / Math.Max(size, 1) ? int.MaxValue : Math.Min(size * repeats.Times, int.MaxValue);
            }
        }

        Size = size;
    }

    public override long Size { get; }

    public override IEnumerable<Binding> Bindings(MatchState state)
    {
        var stream = _inner.Bindings(state);
        for (var i = 0; i < _qualifiers.Length; i++)
        {
            switch (_qualifiers[i])
            {
                case RepeatsQualifier repeats:
                    stream = BindingStreams.Repeat(stream, (int)repeats.Times, Following(i + 1), state);
                    break;
                case var other:
                    var test = Test(other);
                    stream = BindingStreams.Filter(stream, b => test(b.MaxFirst, b.MinLast), state);
                    break;
            }
        }

        return stream;
    }

    /// <summary>The time qualifiers right after a REPEATS, combined: they only get harder as a set grows.</summary>
    private TimeTest? Following(int start)
    {
        TimeTest? combined = null;
        for (var i = start; i < _qualifiers.Length && _qualifiers[i] is not RepeatsQualifier; i++)
        {
            var test = Test(_qualifiers[i]);
            var previous = combined;
            combined = previous is null ? test : (first, last) => previous(first, last) && test(first, last);
        }

        return combined;
    }

    private static TimeTest Test(ObservationQualifier qualifier)
    {
        switch (qualifier)
        {
            case WithinQualifier within:
                var ticks = within.Seconds * TimeSpan.TicksPerSecond;
                var window = ticks >= long.MaxValue ? long.MaxValue : (long)decimal.Floor(ticks);
                return (first, last) => first - last <= window;
            case StartStopQualifier span:
                var start = span.Start.UtcTicks;
                var stop = span.Stop.UtcTicks;
                return (first, last) => first < stop && last >= start;
            default:
                throw new PatternEvaluationException($"unknown qualifier {qualifier}");
        }
    }
}
