namespace Bulwark.Data.Notification;

public enum DeliveryChannel
{
    Email,
    Webhook,
}

public enum DeliveryStatus
{
    Pending,
    Sent,
    DeadLetter,
    /// <summary>Dropped by deduplication or a per-recipient rate limit (the reason says which).</summary>
    Suppressed,
}

/// <summary>
/// One notice to one recipient over one channel: the outbox row. Created in the same transaction as the
/// notice, so a crash never loses it; <see cref="IdempotencyKey"/> is unique and travels with the message
/// (webhook-id, Message-ID), so a retry after a crash is recognised by the receiver.
/// </summary>
public sealed class Delivery : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid NoticeId { get; set; }

    public DeliveryChannel Channel { get; set; }

    /// <summary>Email address (encrypted elsewhere when personal) or webhook id.</summary>
    public required string Recipient { get; set; }

    public Guid? WebhookId { get; set; }

    public required string IdempotencyKey { get; set; }

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Lease taken by a worker so two workers never send the same row.</summary>
    public DateTimeOffset? LeasedUntil { get; set; }
}

/// <summary>An organisation's webhook endpoint (Standard Webhooks signing).</summary>
public sealed class Webhook : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Url { get; set; }

    /// <summary>The signing secret, encrypted with the instance key (it must be read back to sign).</summary>
    public required byte[] EncryptedSecret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }
}
