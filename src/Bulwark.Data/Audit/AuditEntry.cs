namespace Bulwark.Data.Audit;

/// <summary>
/// One append-only audit record. <see cref="Hash"/> = SHA-256 over the previous entry's hash and this entry's
/// fields, so removing or editing any entry breaks the chain from there on.
/// </summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>API key id (or user id) of whoever acted; null for the system.</summary>
    public Guid? ActorId { get; set; }

    public required string ActorScope { get; set; }

    /// <summary>E.g. "incident.read", "incident.confirm", "organisation.admit".</summary>
    public required string Action { get; set; }

    /// <summary>What was acted on, e.g. "incident/6f1…".</summary>
    public required string Target { get; set; }

    public Guid? OrganisationId { get; set; }

    public required byte[] PreviousHash { get; set; }

    public required byte[] Hash { get; set; }
}
