using System.Text;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>
/// A node of the observation level of a pattern: one bracketed observation, observations joined by
/// AND / OR / FOLLOWEDBY, or an observation with qualifiers.
/// </summary>
public abstract record ObservationExpression
{
    private protected ObservationExpression()
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
/// <c>[ comparison ]</c>: every comparison inside applies to the same observed object.
/// </summary>
public sealed record SimpleObservation(ComparisonExpression Comparison) : ObservationExpression
{
    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append('[');
        Comparison.WriteTo(builder);
        builder.Append(']');
    }
}

/// <summary>
/// Two or more observations joined by one operator, left to right. Nested composites come only from explicit
/// parentheses in the source (a chain of one operator is kept flat).
/// </summary>
public sealed record CompositeObservation(ObservationOperator Operator, EquatableList<ObservationExpression> Operands)
    : ObservationExpression
{
    internal override void WriteTo(StringBuilder builder)
    {
        var keyword = Operator switch
        {
            ObservationOperator.And => " AND ",
            ObservationOperator.Or => " OR ",
            _ => " FOLLOWEDBY ",
        };
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
                builder.Append(keyword);
            var operand = Operands[i];
            var parenthesise = operand is CompositeObservation child && Precedence(child.Operator) <= Precedence(Operator);
            if (parenthesise)
                builder.Append('(');
            operand.WriteTo(builder);
            if (parenthesise)
                builder.Append(')');
        }
    }

    private static int Precedence(ObservationOperator op) => op switch
    {
        ObservationOperator.FollowedBy => 0,
        ObservationOperator.Or => 1,
        _ => 2,
    };
}

/// <summary>
/// An observation (bracketed or parenthesised) with one or more qualifiers, applied in order.
/// </summary>
public sealed record QualifiedObservation(ObservationExpression Inner, EquatableList<ObservationQualifier> Qualifiers)
    : ObservationExpression
{
    internal override void WriteTo(StringBuilder builder)
    {
        var parenthesise = Inner is not SimpleObservation;
        if (parenthesise)
            builder.Append('(');
        Inner.WriteTo(builder);
        if (parenthesise)
            builder.Append(')');
        foreach (var qualifier in Qualifiers)
        {
            builder.Append(' ');
            qualifier.WriteTo(builder);
        }
    }
}
