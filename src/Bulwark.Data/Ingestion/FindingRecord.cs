using Bulwark.Core.Findings;

namespace Bulwark.Data.Ingestion;

/// <summary>Where a stored finding came from.</summary>
public enum FindingOrigin
{
    /// <summary>Scanned by the server from an upload.</summary>
    Upload,

    /// <summary>Sent by a member's own <c>bulwark scan --submit</c>.</summary>
    Submitted,
}

/// <summary>
/// A finding as stored: the Core finding's fields plus tenancy and grouping. <see cref="FindingId"/> is the
/// finding's stable id, unique per organisation, so a resubmitted finding is recognised, not duplicated.
/// </summary>
public sealed class FindingRecord : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>Set when the finding is about a person's opted-in personal account.</summary>
    public Guid? PersonId { get; set; }

    public required string FindingId { get; set; }

    public required string DetectionId { get; set; }

    public required string Title { get; set; }

    public Severity Severity { get; set; }

    public Confidence Confidence { get; set; }

    public List<string> Cves { get; set; } = [];

    public List<string> Attack { get; set; } = [];

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    public required string Subject { get; set; }

    public int EvidenceCount { get; set; }

    /// <summary>The kept evidence as JSON (the minimum: file, line, time, matched fields).</summary>
    public required string EvidenceJson { get; set; }

    public required string Remediation { get; set; }

    public required string Source { get; set; }

    /// <summary>
    /// The actors threat intelligence attributes it to, as JSON in the scanner's report shape (an array of
    /// <c>{actor, actorId, country, confidence, tlp, aliases, indicators, sources}</c>); null when none.
    /// </summary>
    public string? AttributionJson { get; set; }

    /// <summary>The strictest TLP of the intelligence behind it (null when it uses none): who may be told what follows from it.</summary>
    public Bulwark.Core.Intel.Index.Tlp? Tlp { get; set; }

    public FindingOrigin Origin { get; set; }

    public Guid? UploadId { get; set; }

    public Guid? IncidentId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
