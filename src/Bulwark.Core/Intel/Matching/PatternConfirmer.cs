using System.Collections.Concurrent;
using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Confirms an indicator whose pattern is more than its values on the one event that hit it: the event becomes a STIX
/// observation (<see cref="EventObservations"/>) and the pattern is evaluated on it. A pattern that needs several
/// observations (FOLLOWEDBY, REPEATS, AND between brackets) cannot be confirmed by one event and does not match.
/// Evaluators are prepared once per indicator and shared by the scan's threads.
/// </summary>
public sealed class PatternConfirmer
{
    private readonly ConcurrentDictionary<string, PatternEvaluator?> _evaluators = new(StringComparer.Ordinal);

    public bool Confirm(IntelIndicator indicator, LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(e);
        if (indicator.Pattern is not { } pattern)
        {
            return false;
        }

        var evaluator = _evaluators.GetOrAdd(indicator.Id, static (_, p) => Prepare(p), pattern);
        return evaluator is not null && EventObservations.FromRequest(e) is { } observation && evaluator.Match([observation]).IsMatch;
    }

    private static PatternEvaluator? Prepare(Patterning.Pattern pattern) =>
        PatternEvaluator.TryCreate(pattern, out var evaluator, out _) ? evaluator : null;
}
