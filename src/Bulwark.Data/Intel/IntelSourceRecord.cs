using Bulwark.Core.Intel.Index;

namespace Bulwark.Data.Intel;

/// <summary>
/// A threat-intelligence source the operator manages: uploaded files, a TAXII collection or a MISP feed. Instance-wide
/// (intelligence serves every member), so not organisation-owned. Polled sources keep their checkpoint here, saved
/// in the same transaction as the content it covers.
/// </summary>
public sealed class IntelSourceRecord
{
    public Guid Id { get; set; }

    /// <summary>Unique on the instance; the source id findings and evidence name (<c>name</c>, or <c>name/file</c> for uploads).</summary>
    public required string Name { get; set; }

    public IntelSourceKind Kind { get; set; }

    /// <summary>TLP given to content without its own marking (Amber unless the operator says otherwise).</summary>
    public Tlp DefaultTlp { get; set; } = Tlp.Amber;

    /// <summary>Confidence 0–100 given to indicators without their own.</summary>
    public int DefaultConfidence { get; set; } = 50;

    /// <summary>TAXII: the discovery URL (<c>…/taxii2/</c>) or an API root URL; MISP feed: the feed's base URL.</summary>
    public string? Url { get; set; }

    /// <summary>TAXII: the collection's id.</summary>
    public string? CollectionId { get; set; }

    public IntelCredentialKind CredentialKind { get; set; }

    /// <summary>HTTP Basic user name (not secret).</summary>
    public string? Username { get; set; }

    /// <summary>The password or token, encrypted with ASP.NET Core Data Protection; never returned or logged.</summary>
    public byte[]? ProtectedSecret { get; set; }

    /// <summary>Minutes between polls of a TAXII or MISP-feed source.</summary>
    public int PollMinutes { get; set; } = 60;

    public bool Enabled { get; set; } = true;

    /// <summary>TAXII: the last <c>X-TAXII-Date-Added-Last</c> taken, verbatim. MISP feed: <c>{"event uuid": timestamp}</c> as JSON.</summary>
    public string? Checkpoint { get; set; }

    public DateTimeOffset? LastPolledAt { get; set; }

    /// <summary>When a poll last completed without error.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary>Why the last poll failed (null after a good one).</summary>
    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid? CreatedBy { get; set; }

    /// <summary>When the source's settings or content last changed: every instance rebuilds its intel set when this moves.</summary>
    public DateTimeOffset ChangedAt { get; set; }
}
