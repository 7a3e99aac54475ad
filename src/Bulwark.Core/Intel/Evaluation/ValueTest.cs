using System.Text.RegularExpressions;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// The test one comparison applies to each value its path reaches, NOT included: as in the reference matcher, NOT
/// negates the per-value result, so <c>NOT =</c> on a list path means "some element differs", and a path that reaches
/// nothing is false either way.
/// </summary>
internal abstract class ValueTest(bool negated)
{
    protected bool Negated { get; } = negated;

    public abstract bool Test(in ObservedValue value);
}

/// <summary><c>=</c> and <c>!=</c>: values of types that do not compare are unequal.</summary>
internal sealed class EqualityTest(Literal literal, bool notEqual, bool negated, bool ignoreCase) : ValueTest(negated)
{
    public override bool Test(in ObservedValue value) =>
        (ValueRules.Equal(value, literal, ignoreCase) ?? false) ^ notEqual ^ Negated;
}

/// <summary><c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>: values of types that do not order are false, NOT or not.</summary>
internal sealed class OrderTest(Literal literal, Patterning.ComparisonOperator op, bool negated) : ValueTest(negated)
{
    public override bool Test(in ObservedValue value)
    {
        switch (ValueRules.Compare(value, literal, out var sign))
        {
            case OrderResult.Incomparable:
                return false;
            case OrderResult.Invalid:
                return Negated;
            default:
                var result = op switch
                {
                    Patterning.ComparisonOperator.LessThan => sign < 0,
                    Patterning.ComparisonOperator.LessThanOrEqual => sign <= 0,
                    Patterning.ComparisonOperator.GreaterThan => sign > 0,
                    _ => sign >= 0,
                };
                return result ^ Negated;
        }
    }
}

/// <summary><c>IN (…)</c>: equal to one of the items; plain strings are looked up in a hash set.</summary>
internal sealed class SetTest : ValueTest
{
    private readonly Literal[] _items;
    private readonly HashSet<string>? _strings;
    private readonly Literal[] _others;
    private readonly bool _ignoreCase;

    public SetTest(Literal[] items, bool negated, bool ignoreCase)
        : base(negated)
    {
        _items = items;
        _ignoreCase = ignoreCase;
        var plain = items.Where(i => i.Kind == LiteralKind.String && i.Ip is null && i.Ticks is null).ToList();
        if (plain.Count > 4)
        {
            _strings = new HashSet<string>(plain.Select(i => i.Text), ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            _others = [.. items.Except(plain)];
        }
        else
        {
            _others = items;
        }
    }

    public override bool Test(in ObservedValue value)
    {
        var items = _items;
        if (value.Kind == ObservedKind.String)
        {
            if (_strings is not null && _strings.Contains(value.AsString()))
            {
                return !Negated;
            }

            items = _others;
        }

        foreach (var item in items)
        {
            if (ValueRules.Equal(value, item, _ignoreCase) == true)
            {
                return !Negated;
            }
        }

        return Negated;
    }
}

/// <summary><c>LIKE</c>: strings, and bytes that are valid UTF-8; anything else does not match.</summary>
internal sealed class LikeTest(string pattern, bool negated) : ValueTest(negated)
{
    public override bool Test(in ObservedValue value)
    {
        var result = value.Kind switch
        {
            ObservedKind.String => LikePattern.IsMatch(value.AsString(), pattern),
            ObservedKind.Binary => System.Text.Unicode.Utf8.IsValid(value.AsBinary())
                && LikePattern.IsMatch(System.Text.Encoding.UTF8.GetString(value.AsBinary()), pattern),
            _ => false,
        };
        return result ^ Negated;
    }
}

/// <summary>
/// <c>MATCHES</c>: a regular expression searched (not anchored) in strings, and in bytes read as Latin-1 when the
/// expression itself has no character above U+00FF.
/// </summary>
internal sealed class RegexTest(Regex regex, bool binary, bool negated) : ValueTest(negated)
{
    public override bool Test(in ObservedValue value)
    {
        var result = value.Kind switch
        {
            ObservedKind.String => regex.IsMatch(value.AsString()),
            ObservedKind.Binary => binary && regex.IsMatch(ValueRules.FromLatin1(value.AsBinary())),
            _ => false,
        };
        return result ^ Negated;
    }
}

/// <summary><c>ISSUBSET</c>: the value (address or range) lies within the literal range.</summary>
internal sealed class SubsetTest(IpRange container, bool negated) : ValueTest(negated)
{
    public override bool Test(in ObservedValue value) =>
        (value.Kind == ObservedKind.String && IpRange.TryParse(value.AsString(), out var range) && container.Contains(range)) ^ Negated;
}

/// <summary><c>ISSUPERSET</c>: the value (a range) contains the literal address or range.</summary>
internal sealed class SupersetTest(IpRange containee, bool negated) : ValueTest(negated)
{
    public override bool Test(in ObservedValue value) =>
        (value.Kind == ObservedKind.String && IpRange.TryParse(value.AsString(), out var range) && range.Contains(containee)) ^ Negated;
}
