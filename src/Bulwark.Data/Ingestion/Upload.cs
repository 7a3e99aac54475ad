namespace Bulwark.Data.Ingestion;

public enum UploadStatus
{
    Queued,
    Scanning,
    Done,
    Failed,
}

/// <summary>
/// A log file or archive an organisation uploaded. The bytes sit in the data directory only until scanned
/// (least data kept); the row keeps the outcome.
/// </summary>
public sealed class Upload : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The name the client gave (sanitised), used to recognise the format.</summary>
    public required string FileName { get; set; }

    public long Size { get; set; }

    /// <summary>Lower-case hex SHA-256 of the bytes received.</summary>
    public required string Sha256 { get; set; }

    public UploadStatus Status { get; set; }

    /// <summary>Why it failed, or the scan's read errors in short.</summary>
    public string? Reason { get; set; }

    public int Findings { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public Guid? ApiKeyId { get; set; }
}
