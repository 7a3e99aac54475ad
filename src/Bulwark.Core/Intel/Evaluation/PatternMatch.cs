namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// The result of evaluating a pattern: the outcome, for a match the first binding found (which observation satisfied
/// each bracketed expression; an expression on the untaken side of an OR has none), why the answer is not a plain
/// yes or no when it is not, and how many steps the search took.
/// </summary>
public sealed record PatternMatch(MatchOutcome Outcome, IReadOnlyList<PatternBinding> Bindings, string? Reason, long Steps)
{
    /// <summary>True when the pattern matched.</summary>
    public bool IsMatch => Outcome == MatchOutcome.Match;

    /// <summary>The indexes of the observations the match used, ascending, each once.</summary>
    public IReadOnlyList<int> Observations { get; } = [.. Bindings.Select(b => b.Observation).Distinct().Order()];
}
