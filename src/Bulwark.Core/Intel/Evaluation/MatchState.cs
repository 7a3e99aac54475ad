namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// The observations of one evaluation laid out as instances (an observation seen n times gives n instances, at most
/// as many as one match can bind, since more could never be used), their times, and the step budget.
/// </summary>
internal sealed class MatchState
{
    private readonly long _maxSteps;

    public MatchState(IReadOnlyList<Observation> observations, int considered, int instanceCap, long maxSteps)
    {
        Observations = observations;
        Count = considered;
        _maxSteps = maxSteps;
        InstanceBase = new int[considered + 1];
        First = new long[considered];
        Last = new long[considered];
        for (var i = 0; i < considered; i++)
        {
            var observation = observations[i];
            InstanceBase[i + 1] = InstanceBase[i] + (int)Math.Min(observation.Count, instanceCap);
            First[i] = observation.FirstObserved.UtcTicks;
            Last[i] = observation.LastObserved.UtcTicks;
        }
    }

    public IReadOnlyList<Observation> Observations { get; }

    public int Count { get; }

    public int[] InstanceBase { get; }

    public long[] First { get; }

    public long[] Last { get; }

    public long Steps { get; private set; }

    public void Step()
    {
        if (++Steps > _maxSteps)
        {
            throw new MatchLimitException();
        }
    }

    /// <summary>The observation an instance belongs to.</summary>
    public int ObservationOf(int instance)
    {
        var i = Array.BinarySearch(InstanceBase, instance);
        if (i < 0)
        {
            return ~i - 1;
        }

        // Observations contribute at least one instance, so an exact hit is the observation starting there.
        return i;
    }
}

/// <summary>Thrown inside an evaluation when the step budget is spent; turned into <see cref="MatchOutcome.LimitReached"/>.</summary>
internal sealed class MatchLimitException : Exception
{
}
