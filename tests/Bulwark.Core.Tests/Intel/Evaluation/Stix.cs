using System.Text.Json;
using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Tests.Intel.Evaluation;

/// <summary>Observations from STIX JSON and one-line pattern runs, for the evaluator tests.</summary>
internal static class Stix
{
    /// <summary>A JSON list of observed-data objects (STIX 2.0 form, objects keyed by local reference).</summary>
    public static List<Observation> Observations(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => ObservedDataJson.Read(e))];
    }

    /// <summary>One observation seen once at <paramref name="time"/> holding one object.</summary>
    public static Observation One(string time, string type, params (string Name, ObservedValue Value)[] properties) =>
        new(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), ("0", new ObservedObject(type, properties)));

    /// <summary>
    /// Semantics tests give regular expressions time to spare: on a loaded two-core machine even a trivial match can be
    /// descheduled past the default 100 ms. The time limit itself is tested with explicit limits.
    /// </summary>
    public static readonly MatchLimits Patient = new() { RegexTimeout = TimeSpan.FromSeconds(10) };

    public static PatternMatch Run(string pattern, IReadOnlyList<Observation> observations, MatchLimits? limits = null) =>
        PatternEvaluator.Evaluate(Pattern.Parse(pattern), observations, limits ?? Patient);

    public static void Matches(string pattern, IReadOnlyList<Observation> observations)
    {
        var result = Run(pattern, observations);
        Assert.True(result.Outcome == MatchOutcome.Match, $"{pattern} gave {result.Outcome} {result.Reason}");
    }

    public static void DoesNotMatch(string pattern, IReadOnlyList<Observation> observations)
    {
        var result = Run(pattern, observations);
        Assert.True(result.Outcome == MatchOutcome.NoMatch, $"{pattern} gave {result.Outcome} {result.Reason}");
    }
}
