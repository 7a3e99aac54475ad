namespace Bulwark.Core.Intel.Patterning;

/// <summary>Joins observations. Binding, weakest first: FOLLOWEDBY, OR, AND.</summary>
public enum ObservationOperator
{
    /// <summary>All observations occur (in any order).</summary>
    And,

    /// <summary>Any observation occurs.</summary>
    Or,

    /// <summary>The left observations occur before the right ones.</summary>
    FollowedBy,
}
