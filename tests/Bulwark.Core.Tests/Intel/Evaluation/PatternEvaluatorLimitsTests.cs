using System.Diagnostics;
using System.Text;
using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Tests.Intel.Evaluation;

/// <summary>Combinatorial patterns, hostile patterns and the limits that keep them bounded.</summary>
public sealed class PatternEvaluatorLimitsTests
{
    // Twenty sightings of one person, one second apart, ages 0 to 19 (the reference matcher's explosion test).
    private static readonly List<Observation> Twenty =
    [
        .. Enumerable.Range(0, 20).Select(i => new Observation(
            new DateTimeOffset(2004, 10, 11, 21, 44, 58, TimeSpan.Zero).AddSeconds(i),
            ("a0", new ObservedObject("person", ("name", "alice"), ("age", i))))),
    ];

    public static readonly TheoryData<string> ExplosiveButMatching =
    [
        "[person:age < 20] REPEATS 10 TIMES",
        "[person:age < 20] REPEATS 10 TIMES WITHIN 10 SECONDS",
        "[person:age < 20] REPEATS 10 TIMES START t'2004-10-11T21:40:00Z' STOP t'2004-10-11T21:50:00Z'",
        "[person:age < 20] REPEATS 10 TIMES AND [person:age < 20]",
        "[person:age < 20] REPEATS 10 TIMES OR [person:age < 20]",
        "[person:age < 20] REPEATS 10 TIMES FOLLOWEDBY [person:age < 20]",
        "[person:age < 20] REPEATS 5 TIMES REPEATS 2 TIMES",
        "[person:age < 20] REPEATS 2 TIMES REPEATS 5 TIMES",
        string.Join(" AND ", Enumerable.Repeat("[person:age < 20]", 10)),
        string.Join(" OR ", Enumerable.Repeat("[person:age < 20]", 10)),
        "([person:age < 20] FOLLOWEDBY [person:age > 5]) REPEATS 10 TIMES",
        string.Join(" FOLLOWEDBY ", Enumerable.Range(0, 20).Select(i => $"[person:age = {19 - i}] OR [person:age >= 0]")),
    ];

    [Theory]
    [MemberData(nameof(ExplosiveButMatching))]
    public void Combinatorial_patterns_find_a_match_within_the_default_budget(string pattern)
    {
        var result = Stix.Run(pattern, Twenty);

        Assert.True(result.Outcome == MatchOutcome.Match, $"{result.Outcome}: {result.Reason}");
        Assert.InRange(result.Steps, 1, 100_000);
    }

    [Fact]
    public void Ten_in_eight_seconds_is_refused_quickly_by_pruning_partial_sets()
    {
        var result = Stix.Run("[person:age < 20] REPEATS 10 TIMES WITHIN 8 SECONDS", Twenty);

        Assert.Equal(MatchOutcome.NoMatch, result.Outcome);
        Assert.InRange(result.Steps, 1, 10_000);
    }

    [Fact]
    public void A_deep_and_of_repeats_that_cannot_match_stops_at_the_step_limit()
    {
        // 3 × 8 distinct sightings are needed and only 20 exist: the search space is C(20,8)^3.
        var pattern = string.Join(" AND ", Enumerable.Repeat("([person:age < 20] REPEATS 8 TIMES)", 3));
        var limits = new MatchLimits { MaxSteps = 200_000 };
        var clock = Stopwatch.StartNew();

        var result = Stix.Run(pattern, Twenty, limits);

        Assert.Equal(MatchOutcome.LimitReached, result.Outcome);
        Assert.Equal("gave up after 200000 steps without finding a match over 20 observations", result.Reason);
        Assert.Equal(200_001, result.Steps);
        Assert.Empty(result.Bindings);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_smaller_and_of_repeats_matches_when_enough_observations_exist()
    {
        var twelve = Enumerable.Range(0, 12).Select(i => Stix.One($"2004-10-11T21:45:{i:00}Z", "person", ("age", i))).ToList();
        var pattern = string.Join(" AND ", Enumerable.Repeat("([person:age < 20] REPEATS 4 TIMES)", 3));

        var result = Stix.Run(pattern, twelve);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal(12, result.Bindings.Count);
        Assert.Equal(Enumerable.Range(0, 12), result.Observations);
    }

    [Fact]
    public void A_thousand_and_operands_are_joined_without_exhausting_the_stack()
    {
        var many = Enumerable.Range(0, 1000).Select(i => Stix.One("2004-10-11T21:45:00Z", "person", ("age", i))).ToList();
        var pattern = string.Join(" AND ", Enumerable.Range(0, 1000).Select(i => $"[person:age = {999 - i}]"));

        // Each bracket looks through the thousand observations for its one: a million path steps, beyond the default.
        var result = Stix.Run(pattern, many, new MatchLimits { MaxSteps = 10_000_000 });

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal(1000, result.Observations.Count);
    }

    [Fact]
    public void Reference_chains_that_fan_out_are_bounded_by_the_step_limit()
    {
        // Thirty people who all know each other; five hops of knows_refs[*] are 30^5 paths.
        var everyone = ObservedValue.List([.. Enumerable.Range(0, 30).Select(i => ObservedValue.String(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        var people = Enumerable.Range(0, 30)
            .Select(i => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), new ObservedObject("person", ("name", $"p{i}"), ("knows_refs", everyone))))
            .ToArray();
        var observation = new Observation(DateTimeOffset.UnixEpoch, people);

        var limits = new MatchLimits { MaxSteps = 100_000 };

        var result = Stix.Run("[person:knows_refs[*].knows_refs[*].knows_refs[*].knows_refs[*].knows_refs[*].name = 'nobody']", [observation], limits);
        var near = Stix.Run("[person:knows_refs[*].knows_refs[*].name = 'p29']", [observation], limits);

        Assert.Equal(MatchOutcome.LimitReached, result.Outcome);
        Assert.Equal("gave up after 100000 steps without finding a match over 1 observation", result.Reason);
        Assert.Equal(MatchOutcome.Match, near.Outcome);
    }

    [Fact]
    public void Observations_beyond_the_limit_are_not_considered_and_a_miss_says_so()
    {
        var limits = new MatchLimits { MaxObservations = 5 };

        var late = Stix.Run("[person:age = 12]", Twenty, limits);
        var early = Stix.Run("[person:age = 3]", Twenty, limits);

        Assert.Equal(MatchOutcome.LimitReached, late.Outcome);
        Assert.Equal("no match in the first 5 of 20 observations; the rest were not considered (limit 5)", late.Reason);
        Assert.Equal(MatchOutcome.Match, early.Outcome);
        Assert.Equal([3], early.Observations);
    }

    [Fact]
    public void A_pattern_binding_more_observations_than_the_limit_is_refused()
    {
        var pattern = Pattern.Parse("([person:age < 20] REPEATS 100 TIMES) AND [person:age > 1] REPEATS 1000 TIMES");

        Assert.False(PatternEvaluator.TryCreate(pattern, out var evaluator, out var error));
        Assert.Null(evaluator);
        Assert.Equal("one match of this pattern binds up to 1100 observations (REPEATS multiplies), more than the limit of 1024", error);
        var thrown = Assert.Throws<PatternEvaluationException>(() => PatternEvaluator.Create(pattern));
        Assert.Equal(error, thrown.Message);
        Assert.Equal(MatchOutcome.Invalid, PatternEvaluator.Evaluate(pattern, Twenty).Outcome);
    }

    [Fact]
    public void Huge_repeat_counts_saturate_instead_of_overflowing()
    {
        var pattern = Pattern.Parse("[person:age < 20] REPEATS 9223372036854775807 TIMES REPEATS 9223372036854775807 TIMES");

        Assert.False(PatternEvaluator.TryCreate(pattern, out _, out var error));
        Assert.Equal("one match of this pattern binds up to 2147483647 observations (REPEATS multiplies), more than the limit of 1024", error);
    }

    [Fact]
    public void A_wide_or_counts_only_its_largest_branch()
    {
        var pattern = Pattern.Parse(string.Join(" OR ", Enumerable.Range(0, 5000).Select(i => $"[person:age = {i}]")));

        var evaluator = PatternEvaluator.Create(pattern);
        var result = evaluator.Match(Twenty);

        Assert.Equal(1, evaluator.BindingSize);
        Assert.Equal(5000, evaluator.Expressions.Count);
        Assert.Equal(MatchOutcome.Match, result.Outcome);
    }

    [Fact]
    public void A_long_and_chain_is_joined_as_a_balanced_tree()
    {
        var many = Enumerable.Range(0, 300).Select(i => Stix.One("2004-10-11T21:45:00Z", "person", ("age", i))).ToList();
        var pattern = string.Join(" AND ", Enumerable.Range(0, 300).Select(i => $"[person:age = {299 - i}]"));

        var result = Stix.Run(pattern, many);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal(300, result.Observations.Count);
        Assert.Equal(0, result.Bindings[0].ExpressionIndex);
        Assert.Equal(299, result.Bindings[0].Observation);
    }

    [Fact]
    public void Deeply_nested_observations_evaluate_without_exhausting_the_stack()
    {
        const int Depth = 200;
        var text = new StringBuilder();
        for (var i = 0; i < Depth; i++)
        {
            text.Append("([person:age = ").Append(i).Append("] AND ");
        }

        text.Append("[person:age = ").Append(Depth).Append(']').Append(')', Depth);
        var many = Enumerable.Range(0, Depth + 1).Select(i => Stix.One("2004-10-11T21:45:00Z", "person", ("age", i))).ToList();

        var result = Stix.Run(text.ToString(), many);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal(Depth + 1, result.Observations.Count);
    }

    [Fact]
    public void A_catastrophic_expression_runs_in_linear_time()
    {
        var observation = Stix.One("2020-01-01T00:00:00Z", "x-test", ("value", new string('a', 50_000)));
        var clock = Stopwatch.StartNew();

        var result = Stix.Run("[x-test:value MATCHES '^(a+)+b$']", [observation]);

        Assert.Equal(MatchOutcome.NoMatch, result.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_backtracking_expression_is_stopped_by_its_time_limit()
    {
        // The lookahead needs the backtracking engine, where (a+)+b on a run of a's is exponential.
        var observation = Stix.One("2020-01-01T00:00:00Z", "x-test", ("value", new string('a', 40)));
        var limits = new MatchLimits { RegexTimeout = TimeSpan.FromMilliseconds(20) };

        var result = Stix.Run("[x-test:value MATCHES '^(?=a)(a+)+b$']", [observation], limits);

        Assert.Equal(MatchOutcome.LimitReached, result.Outcome);
        Assert.Equal("MATCHES '^(?=a)(a+)+b$' ran longer than 20 ms on one value", result.Reason);
    }

    [Theory]
    [InlineData("[x-test:value MATCHES '(unclosed']", "MATCHES '(unclosed' on 'x-test:value' is not a regular expression .NET accepts: InsufficientClosingParentheses at offset 9")]
    [InlineData("[x-test:value MATCHES 'a++']", "MATCHES 'a++' on 'x-test:value' is not a regular expression .NET accepts: NestedQuantifiersNotParenthesized at offset 3")]
    [InlineData("[x-test:value MATCHES '(?P<n>a)']", "MATCHES '(?P<n>a)' on 'x-test:value' is not a regular expression .NET accepts: InvalidGroupingConstruct at offset 3")]
    [InlineData(@"[x-test:value MATCHES '\\h+']", @"MATCHES '\h+' on 'x-test:value' is not a regular expression .NET accepts: UnrecognizedEscape at offset 2")]
    [InlineData("[ipv4-addr:value ISSUBSET '198.51.100.0/33']", "ISSUBSET on 'ipv4-addr:value' needs an IP address or CIDR range like '198.51.100.0/24', not '198.51.100.0/33'")]
    [InlineData("[ipv4-addr:value ISSUPERSET 'example.com']", "ISSUPERSET on 'ipv4-addr:value' needs an IP address or CIDR range like '198.51.100.0/24', not 'example.com'")]
    [InlineData("[ipv4-addr:value ISSUBSET '1.2.3']", "ISSUBSET on 'ipv4-addr:value' needs an IP address or CIDR range like '198.51.100.0/24', not '1.2.3'")]
    public void Patterns_that_parse_but_cannot_be_evaluated_say_why(string pattern, string reason)
    {
        var result = Stix.Run(pattern, Twenty);

        Assert.Equal(MatchOutcome.Invalid, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Empty(result.Bindings);
    }

    [Fact]
    public void A_huge_in_set_is_a_hash_lookup()
    {
        var values = string.Join(", ", Enumerable.Range(0, 20_000).Select(i => $"'host{i}.example'"));
        var observation = Stix.One("2020-01-01T00:00:00Z", "domain-name", ("value", "host19999.example"));

        Stix.Matches($"[domain-name:value IN ({values})]", [observation]);
        Stix.DoesNotMatch($"[domain-name:value NOT IN ({values})]", [observation]);
    }

    [Fact]
    public void Limits_are_validated()
    {
        var pattern = Pattern.Parse("[person:age = 1]");

        Assert.Throws<ArgumentOutOfRangeException>(() => PatternEvaluator.Create(pattern, new MatchLimits { MaxSteps = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PatternEvaluator.Create(pattern, new MatchLimits { RegexTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => PatternEvaluator.Create(pattern, new MatchLimits { MaxObservations = int.MaxValue }));
    }
}
