namespace Bulwark.Data.Taxii;

/// <summary>
/// A TAXII 2.1 collection the instance shares with partner organisations (indicators, sightings). Who may read or
/// write it is decided per API key by <see cref="TaxiiGrant"/>; a key without a grant does not see it at all.
/// </summary>
public sealed class TaxiiCollection
{
    public Guid Id { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>A human-friendly name for the collection, unique on the instance when set.</summary>
    public string? Alias { get; set; }

    /// <summary>The strictest TLP marking an object may carry to be stored here; null takes any.</summary>
    public TaxiiTlp? MaxTlp { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The latest <c>date_added</c> ever given in this collection (microseconds): the next one is later, even after
    /// that object was deleted or the clock stepped back, so no client checkpoint is ever passed by a new object.
    /// </summary>
    public DateTimeOffset? LastDateAdded { get; set; }

    /// <summary>The operator key that created it.</summary>
    public Guid? CreatedBy { get; set; }
}
