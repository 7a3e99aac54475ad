namespace Bulwark.Core.Intel.Index;

/// <summary>
/// One indicator to add to an <see cref="IocIndexBuilder"/>. Unmarked indicators default to
/// <see cref="Tlp.Amber"/>, never Clear (intel.md §8.2).
/// </summary>
/// <param name="Kind">What the value is.</param>
/// <param name="Value">The raw value from the feed; normalised on add.</param>
/// <param name="Source">The feed or source id, e.g. a MISP feed UUID.</param>
public readonly record struct IocIndicator(IocKind Kind, string Value, string Source)
{
    public Tlp Tlp { get; init; } = Tlp.Amber;

    /// <summary>Confidence 0–100.</summary>
    public int Confidence { get; init; } = 50;

    public DateTimeOffset? ValidFrom { get; init; }

    /// <summary>Exclusive end of validity.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    /// <summary>Opaque reference back to the source object, e.g. a STIX indicator id or MISP attribute UUID.</summary>
    public string? Reference { get; init; }
}
