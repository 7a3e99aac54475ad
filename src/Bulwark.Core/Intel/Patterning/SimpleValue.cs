namespace Bulwark.Core.Intel.Patterning;

/// <summary>One (path, value) pair of a pattern that an exact-match IOC index can hold.</summary>
public sealed record SimpleValue(ObjectPath Path, PatternLiteral Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path} = {Value}";
}
