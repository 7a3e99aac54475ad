namespace Bulwark.Core.Intel.Evaluation;

/// <summary>How evaluating a pattern over observations ended.</summary>
public enum MatchOutcome
{
    /// <summary>No combination of the observations satisfies the pattern.</summary>
    NoMatch,

    /// <summary>The pattern matched; the bindings say which observations did.</summary>
    Match,

    /// <summary>
    /// A limit (steps, observations considered, regular-expression time) stopped the search before a match was
    /// found: the answer is unknown, not "no".
    /// </summary>
    LimitReached,

    /// <summary>The pattern cannot be evaluated (see the reason).</summary>
    Invalid,
}
