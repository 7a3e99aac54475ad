using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// One observation bound to one <c>[ … ]</c> of a pattern in a match. <paramref name="ExpressionIndex"/> counts the
/// bracketed expressions of the pattern from 0 in text order; <paramref name="Observation"/> indexes the list given
/// to the match; <paramref name="Instance"/> tells apart the sightings of an observation seen more than once (its
/// <see cref="Evaluation.Observation.Count"/>), which REPEATS may use separately.
/// </summary>
public sealed record PatternBinding(int ExpressionIndex, SimpleObservation Expression, int Observation, int Instance);
