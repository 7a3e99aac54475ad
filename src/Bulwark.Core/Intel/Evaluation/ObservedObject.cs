namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// One cyber-observable object of an <see cref="Observation"/> (<c>ipv4-addr</c>, <c>url</c>, <c>file</c>…): its type
/// and properties. <c>*_ref</c> / <c>*_refs</c> properties hold local references to other objects of the same
/// observation.
/// </summary>
public sealed class ObservedObject
{
    /// <summary>Creates an object of <paramref name="type"/> with a copy of <paramref name="properties"/>.</summary>
    public ObservedObject(string type, params ReadOnlySpan<(string Name, ObservedValue Value)> properties)
        : this(type, new ObservedDictionary(properties))
    {
    }

    /// <summary>Creates an object of <paramref name="type"/> with <paramref name="properties"/>.</summary>
    public ObservedObject(string type, ObservedDictionary properties)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(properties);
        Type = type;
        Properties = properties;
    }

    /// <summary>The STIX object type, e.g. <c>network-traffic</c>.</summary>
    public string Type { get; }

    /// <summary>The properties other than <c>type</c>.</summary>
    public ObservedDictionary Properties { get; }

    /// <summary>A property; <c>type</c> reads <see cref="Type"/> unless a property of that name exists.</summary>
    internal bool TryGet(string name, bool hashAlgorithm, out ObservedValue value)
    {
        if (Properties.TryGet(name, hashAlgorithm, out value))
        {
            return true;
        }

        if (string.Equals(name, "type", StringComparison.Ordinal))
        {
            value = ObservedValue.String(Type);
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Type + " " + Properties;
}
