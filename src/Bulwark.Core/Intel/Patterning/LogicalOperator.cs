namespace Bulwark.Core.Intel.Patterning;

/// <summary>Joins comparisons inside one observation. AND binds tighter than OR.</summary>
public enum LogicalOperator
{
    /// <summary>Both comparisons hold for the object.</summary>
    And,

    /// <summary>Either comparison holds for the object.</summary>
    Or,
}
