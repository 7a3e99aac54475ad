namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// A comparison expression (the inside of <c>[ … ]</c>) prepared for evaluation against one root object: as in
/// the reference matcher, AND holds when every operand holds for the same object, OR when any does, so
/// <c>[a:x = 1 AND b:y = 2]</c> over two different objects never matches.
/// </summary>
internal abstract class ComparisonNode
{
    public abstract bool Holds(Observation observation, ObservedObject root, MatchState state);
}

/// <summary>Operands joined by AND.</summary>
internal sealed class AllComparison(ComparisonNode[] operands) : ComparisonNode
{
    public override bool Holds(Observation observation, ObservedObject root, MatchState state)
    {
        foreach (var operand in operands)
        {
            if (!operand.Holds(observation, root, state))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Operands joined by OR.</summary>
internal sealed class AnyComparison(ComparisonNode[] operands) : ComparisonNode
{
    public override bool Holds(Observation observation, ObservedObject root, MatchState state)
    {
        foreach (var operand in operands)
        {
            if (operand.Holds(observation, root, state))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>path op literal</c>: some value the path reaches from the root passes the test.</summary>
internal sealed class PropertyComparisonNode(CompiledPath path, ValueTest test) : ComparisonNode
{
    public override bool Holds(Observation observation, ObservedObject root, MatchState state) =>
        string.Equals(root.Type, path.ObjectType, StringComparison.Ordinal) && path.Any(observation, root, test, state);
}

/// <summary><c>EXISTS path</c> (and Bulwark's <c>NOT EXISTS</c>: an object of the type on which it does not resolve).</summary>
internal sealed class ExistsComparisonNode(CompiledPath path, bool negated) : ComparisonNode
{
    public override bool Holds(Observation observation, ObservedObject root, MatchState state) =>
        string.Equals(root.Type, path.ObjectType, StringComparison.Ordinal) && path.Any(observation, root, null, state) != negated;
}
