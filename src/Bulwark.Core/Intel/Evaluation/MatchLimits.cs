namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// Bounds on the work one evaluation may do, so a hostile pattern (an AND of REPEATS over many observations) cannot
/// run away. A match found within the limits is always a real match; when a limit stops the search the outcome is
/// <see cref="MatchOutcome.LimitReached"/>, never a silent "no match".
/// </summary>
public sealed record MatchLimits
{
    /// <summary>The defaults: 10,000 observations, 1,024 observations per match, 1,000,000 steps, 100 ms per regex.</summary>
    public static MatchLimits Default { get; } = new();

    /// <summary>Observations considered, from the start of the list; the rest are ignored (and said so).</summary>
    public int MaxObservations { get; init; } = 10_000;

    /// <summary>
    /// The most observations one match of a pattern may bind (each <c>[ … ]</c> counts one, REPEATS multiplies);
    /// a pattern needing more is refused when the evaluator is created.
    /// </summary>
    public int MaxBindingSize { get; init; } = 1_024;

    /// <summary>Path steps, candidate observations and combinations examined before giving up.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>How long a MATCHES regular expression may run on one value (backtracking expressions only).</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxObservations, 1, nameof(MaxObservations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBindingSize, 1, nameof(MaxBindingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSteps, 1, nameof(MaxSteps));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RegexTimeout, TimeSpan.Zero, nameof(RegexTimeout));
        if ((long)MaxObservations * MaxBindingSize > int.MaxValue)
        {
            throw new ArgumentException("MaxObservations × MaxBindingSize must stay below 2^31");
        }
    }
}
