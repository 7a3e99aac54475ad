namespace Bulwark.Data.Taxii;

/// <summary>
/// The TAXII status resource of one "add objects" request: counts, and per object what was stored or refused
/// and why. Only the key that posted may read it.
/// </summary>
public sealed class TaxiiStatus
{
    public Guid Id { get; set; }

    public Guid CollectionId { get; set; }

    public Guid KeyId { get; set; }

    public DateTimeOffset RequestTimestamp { get; set; }

    public int TotalCount { get; set; }

    public int SuccessCount { get; set; }

    public int FailureCount { get; set; }

    public int PendingCount { get; set; }

    /// <summary><c>{"successes": [...], "failures": [...]}</c>: the TAXII status-details lists as JSON.</summary>
    public required string Details { get; set; }
}
