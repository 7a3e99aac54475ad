using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Tests.Intel.Evaluation;

/// <summary>
/// Observation operators and qualifiers, ported from the OASIS reference matcher's tests (oasis-open/cti-pattern-matcher,
/// stix2matcher/test/v21: test_observation_exprs, test_temporal_qualifiers, test_complex, test_matching_sdos).
/// </summary>
public sealed class MatcherObservationTests
{
    private static readonly List<Observation> ThreePeople = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "2004-10-11T21:44:58Z", "last_observed": "2004-10-11T21:44:58Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "alice", "age": 10}}},
         {"type": "observed-data", "first_observed": "2008-05-09T01:21:58.6Z", "last_observed": "2008-05-09T01:21:58.6Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "bob", "age": 17}}},
         {"type": "observed-data", "first_observed": "2006-11-03T07:42:18.96Z", "last_observed": "2006-11-03T07:42:18.96Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "carol", "age": 22}}}]
        """);

    [Theory]
    [InlineData("[person:name='alice'] AND [person:age>20]")]
    [InlineData("[person:name='alice'] OR [person:name='carol']")]
    [InlineData("[person:name='alice'] OR [person:name='zelda']")]
    [InlineData("[person:age>10] OR [person:name='bob'] OR [person:name>'amber']")]
    [InlineData("[person:name='alice'] FOLLOWEDBY [person:name>'bill']")]
    [InlineData("[person:age > 20] OR ([person:name > 'zelda'] FOLLOWEDBY [person:age < 0])")]
    [InlineData("[person:age > 20] OR [person:name > 'zelda'] AND [person:age < 0]")]
    [InlineData("([person:name='carol'] FOLLOWEDBY [person:name < 'elizabeth']) AND [person:age < 15]")]
    public void Observation_operators_match(string pattern) => Stix.Matches(pattern, ThreePeople);

    [Theory]
    [InlineData("[person:name='alice'] AND [person:name='zelda']")]
    // Two brackets never bind the same observation.
    [InlineData("[person:name='alice'] AND [person:age=10]")]
    [InlineData("[person:name='alice'] FOLLOWEDBY [person:age=10]")]
    [InlineData("[person:name='mary'] OR [person:name='zelda']")]
    [InlineData("[person:age > 70] OR [person:name > 'zelda'] AND [person:name MATCHES '^...?$']")]
    // bob (2008) comes after alice (2004) and carol (2006).
    [InlineData("[person:name='bob'] FOLLOWEDBY [person:age<15]")]
    [InlineData("[person:age > 20] OR [person:name > 'zelda'] FOLLOWEDBY [person:age < 0]")]
    [InlineData("([person:age > 20] OR [person:name > 'zelda']) AND [person:age < 0]")]
    [InlineData("[person:name='carol'] FOLLOWEDBY [person:name < 'elizabeth'] AND [person:age < 15]")]
    public void Observation_operators_do_not_match(string pattern) => Stix.DoesNotMatch(pattern, ThreePeople);

    private static readonly List<Observation> FiveSecondsApart = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "1994-11-29T13:37:52Z", "last_observed": "1994-11-29T13:37:52Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "alice"}}},
         {"type": "observed-data", "first_observed": "1994-11-29T13:37:57Z", "last_observed": "1994-11-29T13:37:57Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "bob"}}},
         {"type": "observed-data", "first_observed": "1994-11-29T13:38:02Z", "last_observed": "1994-11-29T13:38:02Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "carol"}}}]
        """);

    [Theory]
    [InlineData("[person:name = 'bob'] WITHIN 1 SECONDS")]
    [InlineData("[person:name = 'bob'] WITHIN .0001 SECONDS")]
    [InlineData("[person:name = 'alice'] AND [person:name < 'carol'] WITHIN 1 SECONDS")]
    [InlineData("([person:name = 'alice'] AND [person:name < 'carol']) WITHIN 5 SECONDS")]
    [InlineData("([person:name = 'alice'] AND [person:name < 'carol']) WITHIN 6 SECONDS")]
    [InlineData("([person:name = 'alice'] OR [person:name = 'darlene']) WITHIN 1 SECONDS")]
    [InlineData("[person:name = 'bob'] START t'1994-11-29T13:37:57Z' STOP t'1994-11-29T13:37:58Z'")]
    [InlineData("[person:name LIKE 'a%'] AND [person:name = 'bob'] START t'1994-11-29T13:37:57Z' STOP t'1994-11-29T13:37:58Z'")]
    [InlineData("([person:name LIKE 'a%'] AND [person:name = 'bob']) START t'1994-11-29T13:37:50Z' STOP t'1994-11-29T13:37:58Z'")]
    [InlineData("[person:name = 'alice'] OR [person:name = 'darlene'] START t'1994-11-29T13:37:57Z' STOP t'1994-11-29T13:37:58Z'")]
    [InlineData("([person:name = 'alice'] OR [person:name = 'darlene']) START t'1994-11-29T13:37:52Z' STOP t'1994-11-29T13:37:58Z'")]
    [InlineData("[person:name MATCHES ''] REPEATS 2 TIMES START t'1994-11-29T13:37:50Z' STOP t'1994-11-29T13:37:58Z'")]
    public void Time_qualifiers_match(string pattern) => Stix.Matches(pattern, FiveSecondsApart);

    [Theory]
    [InlineData("([person:name = 'alice'] AND [person:name < 'carol']) WITHIN 4 SECONDS")]
    [InlineData("([person:name = 'alice'] AND [person:name < 'carol']) WITHIN 4.9999 SECONDS")]
    [InlineData("[person:name = 'elizabeth'] WITHIN 10 SECONDS")]
    [InlineData("([person:name < 'alice'] OR [person:name = 'darlene']) WITHIN 10 SECONDS")]
    // STOP is exclusive: bob at :57 is outside START :50 STOP :57.
    [InlineData("[person:name = 'bob'] START t'1994-11-29T13:37:58Z' STOP t'1994-11-29T13:37:59Z'")]
    [InlineData("([person:name LIKE 'a%'] AND [person:name = 'bob']) START t'1994-11-29T13:37:50Z' STOP t'1994-11-29T13:37:57Z'")]
    [InlineData("([person:name LIKE 'z%'] OR [person:name = 'darlene']) START t'1994-11-29T13:37:50Z' STOP t'1994-11-29T13:37:57Z'")]
    [InlineData("[person:name MATCHES ''] REPEATS 3 TIMES START t'1994-11-29T13:37:50Z' STOP t'1994-11-29T13:37:58Z'")]
    [InlineData("[person:name NOT LIKE 'foo'] START t'1994-11-29T13:37:50Z' STOP t'1994-11-29T13:37:57Z' REPEATS 3 TIMES")]
    public void Time_qualifiers_do_not_match(string pattern) => Stix.DoesNotMatch(pattern, FiveSecondsApart);

    private const string T1 = "2000-01-01T00:00:00Z";
    private const string T2 = "2000-01-01T00:00:01Z";
    private const string T3 = "2000-01-01T00:00:02Z";
    private const string T4 = "2000-01-01T00:00:03Z";
    private const string T5 = "2000-01-01T00:00:04Z";

    [Theory]
    [InlineData(T1, T1, T1, T1, 1, true)]
    [InlineData(T1, T1, T1, T2, 1, true)]
    [InlineData(T1, T1, T1, T2, 2, true)]
    [InlineData(T1, T2, T2, T3, 1, true)]
    [InlineData(T1, T2, T3, T4, 1, true)]
    [InlineData(T1, T4, T2, T3, 1, true)]
    [InlineData(T1, T3, T2, T4, 1, true)]
    [InlineData(T1, T2, T4, T5, 2, true)]
    [InlineData(T1, T2, T4, T5, 1, false)]
    [InlineData(T1, T1, T4, T5, 2, false)]
    [InlineData(T1, T2, T5, T5, 2, false)]
    public void Within_asks_whether_one_time_from_each_interval_fits_the_window(string first1, string last1, string first2, string last2, int seconds, bool matches)
    {
        List<Observation> observations =
        [
            new(Time(first1), Time(last1), 1, ("0", new ObservedObject("person", ("name", "alice")))),
            new(Time(first2), Time(last2), 1, ("0", new ObservedObject("person", ("name", "bob")))),
        ];

        var result = Stix.Run($"([person:name='alice'] AND [person:name='bob']) WITHIN {seconds} SECONDS", observations);

        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, result.Outcome);
    }

    [Theory]
    // Observed intervals, not points: bob seen from :00 to :03 can be placed after alice seen at :02.
    [InlineData(T3, T3, T1, T4, true)]
    [InlineData(T3, T3, T1, T2, false)]
    [InlineData(T2, T2, T2, T2, true)]
    public void Followed_by_needs_the_first_to_start_no_later_than_the_second_ends(string first1, string last1, string first2, string last2, bool matches)
    {
        List<Observation> observations =
        [
            new(Time(first1), Time(last1), 1, ("0", new ObservedObject("person", ("name", "alice")))),
            new(Time(first2), Time(last2), 1, ("0", new ObservedObject("person", ("name", "bob")))),
        ];

        var result = Stix.Run("[person:name='alice'] FOLLOWEDBY [person:name='bob']", observations);

        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, result.Outcome);
    }

    // Observations seen more than once (number_observed > 1) count once per sighting.
    private static readonly List<Observation> Counted = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "2004-10-11T21:44:58Z", "last_observed": "2004-10-11T21:44:58Z", "number_observed": 2,
          "objects": {"0": {"type": "person", "name": "alice", "age": 10}}},
         {"type": "observed-data", "first_observed": "2004-10-11T21:45:01Z", "last_observed": "2004-10-11T21:45:01Z", "number_observed": 3,
          "objects": {"0": {"type": "person", "name": "bob", "age": 17}}},
         {"type": "observed-data", "first_observed": "2004-10-11T21:45:02Z", "last_observed": "2004-10-11T21:45:02Z", "number_observed": 2,
          "objects": {"0": {"type": "person", "name": "carol", "age": 22}}}]
        """);

    [Theory]
    [InlineData("[person:age < 20] REPEATS 5 TIMES", true)]
    [InlineData("[person:age < 20] REPEATS 2 TIMES REPEATS 2 TIMES", true)]
    [InlineData("[person:name > 'aaron'] REPEATS 5 TIMES WITHIN 1 SECONDS", true)]
    [InlineData("([person:age < 30] AND [person:name > 'aaron']) WITHIN 2 SECONDS REPEATS 3 TIMES", true)]
    [InlineData("[person:age < 20] REPEATS 10 TIMES", false)]
    [InlineData("[person:age < 20] REPEATS 2 TIMES REPEATS 3 TIMES", false)]
    [InlineData("[person:name = 'bob'] REPEATS 4 TIMES", false)]
    public void Repeats_counts_each_sighting(string pattern, bool matches) =>
        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run(pattern, Counted).Outcome);

    [Fact]
    public void Repeats_binds_distinct_sightings_of_one_observation()
    {
        var result = Stix.Run("[person:name = 'bob'] REPEATS 3 TIMES", Counted);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal([(0, 1, 0), (0, 1, 1), (0, 1, 2)], result.Bindings.Select(b => (b.ExpressionIndex, b.Observation, b.Instance)));
        Assert.Equal([1], result.Observations);
    }

    [Theory]
    [InlineData("[person:name='alice']", new[] { 0 })]
    [InlineData("[person:name='bob'] AND [person:name='carol']", new[] { 1, 2 })]
    [InlineData("[person:name='carol'] OR [person:name>'zelda']", new[] { 2 })]
    public void The_match_says_which_observations_it_used(string pattern, int[] observations)
    {
        var result = Stix.Run(pattern, FiveSecondsApart);

        Assert.Equal(observations, result.Observations);
    }

    [Fact]
    public void Each_bracket_is_bound_to_its_observation_in_text_order()
    {
        var pattern = Pattern.Parse("[person:name = 'carol'] AND ([person:name = 'alice'] FOLLOWEDBY [person:name = 'bob']) OR [person:name = 'zelda']");

        var result = PatternEvaluator.Evaluate(pattern, FiveSecondsApart);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal([(0, 2), (1, 0), (2, 1)], result.Bindings.Select(b => (b.ExpressionIndex, b.Observation)));
        Assert.Equal("[person:name = 'alice']", result.Bindings[1].Expression.ToString());
        Assert.Null(result.Reason);
    }

    [Fact]
    public void An_evaluator_is_reused_across_observation_lists()
    {
        var evaluator = PatternEvaluator.Create(Pattern.Parse("[person:name = 'bob'] FOLLOWEDBY [person:name = 'carol']"));

        Assert.Equal(2, evaluator.Expressions.Count);
        Assert.Equal(2, evaluator.BindingSize);
        Assert.True(evaluator.Match(FiveSecondsApart).IsMatch);
        Assert.Equal(MatchOutcome.NoMatch, evaluator.Match([FiveSecondsApart[0], FiveSecondsApart[2]]).Outcome);
        Assert.Equal(MatchOutcome.NoMatch, evaluator.Match([]).Outcome);
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
