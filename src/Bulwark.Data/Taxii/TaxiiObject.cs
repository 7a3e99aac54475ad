namespace Bulwark.Data.Taxii;

/// <summary>
/// One version of one STIX object in a collection, kept as the JSON it was posted as. A version is
/// (<see cref="StixId"/>, <see cref="Version"/>); posting it again changes nothing. <see cref="DateAdded"/> is the
/// server's time, strictly increasing within a collection, so <c>added_after</c> checkpoints never skip or repeat.
/// </summary>
public sealed class TaxiiObject
{
    /// <summary>Row number: orders versions that share nothing else and anchors the paging cursor.</summary>
    public long Id { get; set; }

    public Guid CollectionId { get; set; }

    /// <summary>The STIX id, <c>type--UUID</c>.</summary>
    public required string StixId { get; set; }

    public required string Type { get; set; }

    public required string SpecVersion { get; set; }

    /// <summary>The object's <c>modified</c>, else its <c>created</c>, else <see cref="DateAdded"/> (microseconds).</summary>
    public DateTimeOffset Version { get; set; }

    /// <summary>When this version reached the collection (microseconds, unique within the collection).</summary>
    public DateTimeOffset DateAdded { get; set; }

    /// <summary>The object exactly as posted (validated JSON).</summary>
    public required string Json { get; set; }
}
