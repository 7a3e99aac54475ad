namespace Bulwark.Core.Intel.Index;

/// <summary>A stored indicator, as read back from an <see cref="IocIndex"/> by entry id.</summary>
/// <param name="Id">The entry id that lookups return.</param>
/// <param name="Kind">What the value is.</param>
/// <param name="Value">The normalised value.</param>
/// <param name="Source">The source id it came from.</param>
/// <param name="Tlp">Its TLP level.</param>
/// <param name="Confidence">Confidence 0–100.</param>
/// <param name="ValidFrom">Inclusive start of validity, if any.</param>
/// <param name="ValidUntil">Exclusive end of validity, if any.</param>
/// <param name="Reference">Opaque reference, e.g. a STIX indicator id.</param>
public readonly record struct IocEntry(
    int Id,
    IocKind Kind,
    string Value,
    string Source,
    Tlp Tlp,
    int Confidence,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    string? Reference);
