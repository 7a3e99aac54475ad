using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// Evaluates a STIX 2.1 pattern over observations (STIX 2.1 §9; semantics of the OASIS reference matcher,
/// oasis-open/cti-pattern-matcher): comparisons inside one <c>[ … ]</c> hold for one object of one observation;
/// AND / OR / FOLLOWEDBY combine distinct observations; WITHIN, REPEATS and START … STOP qualify them. Built once per
/// pattern (regular expressions, sets and address ranges prepared up front), then thread-safe: one evaluator can
/// match many event windows at once. The search is bounded by <see cref="MatchLimits"/>.
/// </summary>
/// <remarks>
/// Where Bulwark differs from the reference matcher, on purpose: strings that both read as IP addresses or CIDR
/// ranges compare as addresses (<c>= '198.51.100.0/24'</c> holds for an address inside it); values under
/// <c>hashes</c> compare ignoring case and dictionary keys fall back to a case-insensitive lookup; a string that is not
/// a timestamp compared with a timestamp is a type mismatch, not an error; LIKE's <c>%</c> also spans line breaks;
/// LIKE and MATCHES do not NFC-normalise (the process runs with invariant globalization, where .NET cannot).
/// MATCHES uses .NET regular expressions (the non-backtracking engine when the expression allows, else the
/// backtracking one under a time limit): PCRE-only syntax such as possessive quantifiers (<c>a++</c>), <c>\h</c> or
/// Python's <c>(?P&lt;name&gt;…)</c> is refused when the evaluator is created.
/// </remarks>
public sealed class PatternEvaluator
{
    private readonly ObservationNode _root;
    private readonly SimpleObservation[] _expressions;

    private PatternEvaluator(Pattern pattern, MatchLimits limits, ObservationNode root, SimpleObservation[] expressions)
    {
        Pattern = pattern;
        Limits = limits;
        _root = root;
        _expressions = expressions;
    }

    /// <summary>The pattern evaluated.</summary>
    public Pattern Pattern { get; }

    /// <summary>The limits every match runs under.</summary>
    public MatchLimits Limits { get; }

    /// <summary>The bracketed observation expressions, in text order (<see cref="PatternBinding.ExpressionIndex"/>).</summary>
    public IReadOnlyList<SimpleObservation> Expressions => _expressions;

    /// <summary>The most observation instances one match can bind (each bracket one, REPEATS multiplies).</summary>
    public int BindingSize => (int)_root.Size;

    /// <summary>Prepares <paramref name="pattern"/>, or throws <see cref="PatternEvaluationException"/> saying why it cannot be evaluated.</summary>
    public static PatternEvaluator Create(Pattern pattern, MatchLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        limits ??= MatchLimits.Default;
        limits.Validate();
        var compiler = new Compiler(limits);
        var root = compiler.Compile(pattern.Expression);
        if (root.Size > limits.MaxBindingSize)
        {
            throw new PatternEvaluationException(string.Create(
                CultureInfo.InvariantCulture,
                $"one match of this pattern binds up to {root.Size} observations (REPEATS multiplies), more than the limit of {limits.MaxBindingSize}"));
        }

        return new PatternEvaluator(pattern, limits, root, [.. compiler.Expressions]);
    }

    /// <summary>Prepares <paramref name="pattern"/>; on failure <paramref name="error"/> says why it cannot be evaluated.</summary>
    public static bool TryCreate(
        Pattern pattern,
        [NotNullWhen(true)] out PatternEvaluator? evaluator,
        [NotNullWhen(false)] out string? error,
        MatchLimits? limits = null)
    {
        try
        {
            evaluator = Create(pattern, limits);
            error = null;
            return true;
        }
        catch (PatternEvaluationException ex)
        {
            evaluator = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Prepares and evaluates in one call; a pattern that cannot be evaluated gives <see cref="MatchOutcome.Invalid"/>.</summary>
    public static PatternMatch Evaluate(Pattern pattern, IReadOnlyList<Observation> observations, MatchLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        return TryCreate(pattern, out var evaluator, out var error, limits)
            ? evaluator.Match(observations)
            : new PatternMatch(MatchOutcome.Invalid, [], error, 0);
    }

    /// <summary>
    /// Searches <paramref name="observations"/> for a match and returns the first found with its bindings; the
    /// observation indexes in the result refer to this list.
    /// </summary>
    public PatternMatch Match(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var considered = Math.Min(observations.Count, Limits.MaxObservations);
        var state = new MatchState(observations, considered, BindingSize, Limits.MaxSteps);
        try
        {
            using var bindings = _root.Bindings(state).GetEnumerator();
            if (bindings.MoveNext())
            {
                return new PatternMatch(MatchOutcome.Match, Describe(bindings.Current, state), null, state.Steps);
            }
        }
        catch (MatchLimitException)
        {
            return new PatternMatch(
                MatchOutcome.LimitReached,
                [],
                string.Create(CultureInfo.InvariantCulture, $"gave up after {Limits.MaxSteps} steps without finding a match over {considered} observation{(considered == 1 ? "" : "s")}"),
                state.Steps);
        }
        catch (RegexMatchTimeoutException ex)
        {
            return new PatternMatch(
                MatchOutcome.LimitReached,
                [],
                string.Create(CultureInfo.InvariantCulture, $"MATCHES '{Excerpt(ex.Pattern)}' ran longer than {ex.MatchTimeout.TotalMilliseconds} ms on one value"),
                state.Steps);
        }

        if (considered < observations.Count)
        {
            return new PatternMatch(
                MatchOutcome.LimitReached,
                [],
                string.Create(CultureInfo.InvariantCulture, $"no match in the first {considered} of {observations.Count} observations; the rest were not considered (limit {Limits.MaxObservations})"),
                state.Steps);
        }

        return new PatternMatch(MatchOutcome.NoMatch, [], null, state.Steps);
    }

    private List<PatternBinding> Describe(Binding binding, MatchState state)
    {
        var result = new List<PatternBinding>(binding.Slots.Length);
        foreach (var slot in binding.Slots)
        {
            var instance = Binding.InstanceOf(slot);
            var leaf = Binding.LeafOf(slot);
            var observation = state.ObservationOf(instance);
            result.Add(new PatternBinding(leaf, _expressions[leaf], observation, instance - state.InstanceBase[observation]));
        }

        result.Sort(static (a, b) => a.ExpressionIndex != b.ExpressionIndex ? a.ExpressionIndex.CompareTo(b.ExpressionIndex)
            : a.Observation != b.Observation ? a.Observation.CompareTo(b.Observation)
            : a.Instance.CompareTo(b.Instance));
        return result;
    }

    private static string Excerpt(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    /// <summary>Turns the AST into evaluation nodes, numbering the brackets in text order.</summary>
    private sealed class Compiler(MatchLimits limits)
    {
        public List<SimpleObservation> Expressions { get; } = [];

        public ObservationNode Compile(ObservationExpression expression)
        {
            switch (expression)
            {
                case SimpleObservation simple:
                    var leaf = Expressions.Count;
                    Expressions.Add(simple);
                    return new LeafNode(leaf, Compile(simple.Comparison));
                case CompositeObservation composite:
                    var operands = composite.Operands.Select(Compile).ToArray();
                    return composite.Operator switch
                    {
                        ObservationOperator.And => new AndNode(operands),
                        ObservationOperator.Or => new OrNode(operands),
                        _ => new FollowedByNode(operands),
                    };
                case QualifiedObservation qualified:
                    return new QualifiedNode(Compile(qualified.Inner), qualified.Qualifiers);
                default:
                    throw new PatternEvaluationException($"unknown observation expression {expression}");
            }
        }

        private ComparisonNode Compile(ComparisonExpression comparison) => comparison switch
        {
            CompositeComparison { Operator: LogicalOperator.And } and => new AllComparison([.. and.Operands.Select(Compile)]),
            CompositeComparison or => new AnyComparison([.. or.Operands.Select(Compile)]),
            ExistsComparison exists => new ExistsComparisonNode(new CompiledPath(exists.Path), exists.Negated),
            PropertyComparison property => CompileProperty(property),
            _ => throw new PatternEvaluationException($"unknown comparison {comparison}"),
        };

        private PropertyComparisonNode CompileProperty(PropertyComparison comparison)
        {
            var path = new CompiledPath(comparison.Path);
            var negated = comparison.Negated;
            ValueTest test = comparison.Operator switch
            {
                ComparisonOperator.Equal => new EqualityTest(Literal.From(comparison.Value), notEqual: false, negated, path.IsHashValue),
                ComparisonOperator.NotEqual => new EqualityTest(Literal.From(comparison.Value), notEqual: true, negated, path.IsHashValue),
                ComparisonOperator.In => new SetTest(Set(comparison), negated, path.IsHashValue),
                ComparisonOperator.Like => new LikeTest(Text(comparison), negated),
                ComparisonOperator.Matches => Regex(comparison),
                ComparisonOperator.IsSubset => new SubsetTest(Range(comparison), negated),
                ComparisonOperator.IsSuperset => new SupersetTest(Range(comparison), negated),
                _ => new OrderTest(Literal.From(comparison.Value), comparison.Operator, negated),
            };
            return new PropertyComparisonNode(path, test);
        }

        private static Literal[] Set(PropertyComparison comparison)
        {
            if (comparison.Value is not SetLiteral set)
            {
                throw new PatternEvaluationException($"IN needs a set of literals: {comparison}");
            }

            var items = set.Items.Select(Literal.From).ToArray();
            var kinds = items.Select(i => i.Kind == LiteralKind.Float ? LiteralKind.Integer : i.Kind).Distinct().ToList();
            if (kinds.Count > 1)
            {
                // The reference matcher refuses mixed sets too: which items would a value be compared with?
                var names = items.Select(i => Literal.Describe(i.Kind)).Distinct();
                throw new PatternEvaluationException($"the IN set of '{comparison.Path}' mixes {string.Join(", ", names)} literals; a set holds one type (integers and floats may mix)");
            }

            return items;
        }

        private static string Text(PropertyComparison comparison) => comparison.Value is StringLiteral s
            ? s.Value
            : throw new PatternEvaluationException($"{comparison.Operator} needs a string literal: {comparison}");

        private RegexTest Regex(PropertyComparison comparison)
        {
            var text = Text(comparison);
            Regex regex;
            try
            {
                // Non-backtracking first: it runs in linear time, so a hostile expression cannot stall a scan.
                regex = new Regex(text, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, limits.RegexTimeout);
            }
            catch (NotSupportedException)
            {
                // Backreferences, lookarounds, atomic groups: the backtracking engine, under the time limit.
                try
                {
                    regex = new Regex(text, RegexOptions.CultureInvariant, limits.RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    throw Invalid(comparison, text, ex);
                }
            }
            catch (ArgumentException ex)
            {
                throw Invalid(comparison, text, ex);
            }

            return new RegexTest(regex, ValueRules.ToLatin1(text) is not null, comparison.Negated);
        }

        private static PatternEvaluationException Invalid(PropertyComparison comparison, string text, ArgumentException ex)
        {
            var reason = ex is RegexParseException parse
                ? string.Create(CultureInfo.InvariantCulture, $"{parse.Error} at offset {parse.Offset}")
                : ex.Message;
            return new PatternEvaluationException($"MATCHES '{Excerpt(text)}' on '{comparison.Path}' is not a regular expression .NET accepts: {reason}", ex);
        }

        private static IpRange Range(PropertyComparison comparison)
        {
            var text = Text(comparison);
            return IpRange.TryParse(text, out var range)
                ? range
                : throw new PatternEvaluationException(
                    $"{(comparison.Operator == ComparisonOperator.IsSubset ? "ISSUBSET" : "ISSUPERSET")} on '{comparison.Path}' needs an IP address or CIDR range like '198.51.100.0/24', not '{Excerpt(text)}'");
        }
    }
}
