namespace Bulwark.Core.Intel.Patterning;

/// <summary>The operator of a <see cref="PropertyComparison"/>; EXISTS is its own node.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c> (also written <c>==</c>).</summary>
    Equal,

    /// <summary><c>!=</c> (also written <c>&lt;&gt;</c>).</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>IN (…)</c>: the value is one of a set.</summary>
    In,

    /// <summary><c>LIKE</c>: SQL wildcards <c>%</c> and <c>_</c>.</summary>
    Like,

    /// <summary><c>MATCHES</c>: PCRE regular expression.</summary>
    Matches,

    /// <summary><c>ISSUBSET</c>: the address lies within a CIDR range.</summary>
    IsSubset,

    /// <summary><c>ISSUPERSET</c>: the range contains a CIDR range.</summary>
    IsSuperset,
}
