using System.Text;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>A node inside the brackets of an observation.</summary>
public abstract record ComparisonExpression
{
    private protected ComparisonExpression()
    {
    }

    /// <summary>The canonical STIX text of this expression.</summary>
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    internal abstract void WriteTo(StringBuilder builder);
}

/// <summary>
/// Two or more comparisons joined by one operator. Nested composites come only from explicit parentheses.
/// </summary>
public sealed record CompositeComparison(LogicalOperator Operator, EquatableList<ComparisonExpression> Operands)
    : ComparisonExpression
{
    internal override void WriteTo(StringBuilder builder)
    {
        var keyword = Operator == LogicalOperator.And ? " AND " : " OR ";
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
                builder.Append(keyword);
            var operand = Operands[i];
            // A nested AND under OR needs no parentheses; anything else nested came from parentheses.
            var parenthesise = operand is CompositeComparison child
                && !(child.Operator == LogicalOperator.And && Operator == LogicalOperator.Or);
            if (parenthesise)
                builder.Append('(');
            operand.WriteTo(builder);
            if (parenthesise)
                builder.Append(')');
        }
    }
}

/// <summary>
/// <c>path [NOT] op literal</c>. For <see cref="ComparisonOperator.In"/> the value is a <see cref="SetLiteral"/>.
/// </summary>
public sealed record PropertyComparison(ObjectPath Path, ComparisonOperator Operator, bool Negated, PatternLiteral Value)
    : ComparisonExpression
{
    internal override void WriteTo(StringBuilder builder)
    {
        Path.WriteTo(builder);
        builder.Append(Negated ? " NOT " : " ");
        builder.Append(Operator switch
        {
            ComparisonOperator.Equal => "=",
            ComparisonOperator.NotEqual => "!=",
            ComparisonOperator.LessThan => "<",
            ComparisonOperator.LessThanOrEqual => "<=",
            ComparisonOperator.GreaterThan => ">",
            ComparisonOperator.GreaterThanOrEqual => ">=",
            ComparisonOperator.In => "IN",
            ComparisonOperator.Like => "LIKE",
            ComparisonOperator.Matches => "MATCHES",
            ComparisonOperator.IsSubset => "ISSUBSET",
            _ => "ISSUPERSET",
        });
        builder.Append(' ');
        Value.WriteTo(builder);
    }
}

/// <summary><c>[NOT] EXISTS path</c>: the property is present (absent when negated) on the object.</summary>
public sealed record ExistsComparison(ObjectPath Path, bool Negated = false) : ComparisonExpression
{
    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append(Negated ? "NOT EXISTS " : "EXISTS ");
        Path.WriteTo(builder);
    }
}
