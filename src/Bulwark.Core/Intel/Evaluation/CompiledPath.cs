using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// An object path prepared for resolution against one root object of an observation: property steps (dictionary
/// keys), list indexes (<c>[n]</c>, <c>[*]</c> for any element) and reference following — a step named <c>*_ref</c>
/// continues in the referenced object of the same observation, <c>*_refs</c> in each one its list index selects.
/// A path that does not resolve yields no value, so every comparison on it is false (NOT included).
/// </summary>
internal sealed class CompiledPath
{
    private readonly Step[] _steps;

    public CompiledPath(ObjectPath path)
    {
        ObjectType = path.ObjectType;
        Text = path.ToString();
        _steps = new Step[path.Steps.Count];
        for (var i = 0; i < _steps.Length; i++)
        {
            var underHashes = i > 0 && path.Steps[i - 1] is PropertyStep { Name: var previous }
                && string.Equals(previous, "hashes", StringComparison.OrdinalIgnoreCase);
            _steps[i] = path.Steps[i] switch
            {
                PropertyStep p => new Step(p.Name, 0, false, p.Name.EndsWith("_ref", StringComparison.Ordinal), p.Name.EndsWith("_refs", StringComparison.Ordinal), underHashes),
                IndexStep { Index: null } => new Step(null, 0, true, false, false, false),
                IndexStep x => new Step(null, x.Index!.Value, false, false, false, false),
                _ => throw new PatternEvaluationException($"unknown path step in {path}"),
            };
        }

        IsHashValue = _steps.Length >= 2 && _steps[^1] is { Name: not null, UnderHashes: true };
    }

    public string ObjectType { get; }

    public string Text { get; }

    /// <summary>The path ends at a value of a <c>hashes</c> dictionary (compared ignoring case).</summary>
    public bool IsHashValue { get; }

    /// <summary>True when some value the path reaches from <paramref name="root"/> passes <paramref name="test"/>
    /// (with no test: when the path reaches anything at all).</summary>
    /// <remarks>Every step taken costs one step of the budget: <c>*_refs[*]</c> chains can fan out.</remarks>
    public bool Any(Observation observation, ObservedObject root, ValueTest? test, MatchState state) =>
        Walk(observation, root, default, refList: false, 0, test, state);

    private bool Walk(Observation observation, ObservedObject? item, ObservedValue value, bool refList, int index, ValueTest? test, MatchState state)
    {
        state.Step();
        if (index == _steps.Length)
        {
            return test is null || test.Test(item is not null ? ObservedValue.Dictionary(item.Properties) : value);
        }

        var step = _steps[index];
        if (step.Name is { } name)
        {
            ObservedValue next;
            if (item is not null)
            {
                if (!item.TryGet(name, step.UnderHashes, out next))
                {
                    return false;
                }
            }
            else if (!refList && value.Kind == ObservedKind.Dictionary)
            {
                if (!value.AsDictionary().TryGet(name, step.UnderHashes, out next))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }

            if (step.IsRef)
            {
                return next.Kind == ObservedKind.String && observation.TryGetObject(next.AsString(), out var target)
                    && Walk(observation, target, default, refList: false, index + 1, test, state);
            }

            if (step.IsRefs)
            {
                return next.Kind == ObservedKind.List && Walk(observation, null, next, refList: true, index + 1, test, state);
            }

            return Walk(observation, null, next, refList: false, index + 1, test, state);
        }

        if (item is not null || value.Kind != ObservedKind.List)
        {
            return false;
        }

        var items = value.AsList();
        if (!step.Any)
        {
            return step.Index >= 0 && step.Index < items.Length && Element(observation, items[step.Index], refList, index, test, state);
        }

        foreach (var element in items)
        {
            if (Element(observation, element, refList, index, test, state))
            {
                return true;
            }
        }

        return false;
    }

    private bool Element(Observation observation, in ObservedValue element, bool refList, int index, ValueTest? test, MatchState state)
    {
        if (!refList)
        {
            return Walk(observation, null, element, refList: false, index + 1, test, state);
        }

        return element.Kind == ObservedKind.String && observation.TryGetObject(element.AsString(), out var target)
            && Walk(observation, target, default, refList: false, index + 1, test, state);
    }

    private readonly record struct Step(string? Name, int Index, bool Any, bool IsRef, bool IsRefs, bool UnderHashes);
}
