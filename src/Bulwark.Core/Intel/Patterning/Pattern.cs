namespace Bulwark.Core.Intel.Patterning;

/// <summary>
/// A parsed STIX 2.1 pattern (<c>pattern_type = stix</c>): an immutable AST with structural equality whose
/// <see cref="ToString"/> is canonical and parses back to an equal pattern.
/// </summary>
public sealed record Pattern(ObservationExpression Expression)
{
    /// <summary>Parses <paramref name="text"/> or throws <see cref="PatternException"/>.</summary>
    public static Pattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PatternParser.Parse(text);
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryParse(string text, out Pattern? pattern, out PatternError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            pattern = PatternParser.Parse(text);
            error = null;
            return true;
        }
        catch (PatternException ex)
        {
            pattern = null;
            error = ex.Error;
            return false;
        }
    }

    /// <summary>
    /// For a single unqualified observation made only of <c>=</c> and <c>IN</c> comparisons joined by OR, the
    /// (path, value) pairs an exact-match IOC index can hold (IN sets expanded); otherwise <c>null</c>.
    /// </summary>
    public IReadOnlyList<SimpleValue>? SimpleValues()
    {
        if (Expression is not SimpleObservation observation)
            return null;
        var values = new List<SimpleValue>();
        return Collect(observation.Comparison, values) ? values : null;
    }

    private static bool Collect(ComparisonExpression comparison, List<SimpleValue> values)
    {
        switch (comparison)
        {
            case PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal } equal:
                values.Add(new SimpleValue(equal.Path, equal.Value));
                return true;
            case PropertyComparison { Negated: false, Operator: ComparisonOperator.In, Value: SetLiteral set } @in:
                foreach (var item in set.Items)
                    values.Add(new SimpleValue(@in.Path, item));
                return true;
            case CompositeComparison { Operator: LogicalOperator.Or } or:
                foreach (var operand in or.Operands)
                {
                    if (!Collect(operand, values))
                        return false;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>The canonical STIX text of the pattern.</summary>
    public override string ToString() => Expression.ToString();
}
