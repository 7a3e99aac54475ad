using Bulwark.Core.Findings;

namespace Bulwark.Data.Incidents;

public enum IncidentStatus
{
    /// <summary>Waiting for an analyst (or the auto-confirm policy).</summary>
    Unconfirmed,
    Confirmed,
    Dismissed,

    /// <summary>An analyst merged it into another incident of the same organisation (<see cref="Incident.MergedIntoId"/>); its findings moved there.</summary>
    Merged,
}

/// <summary>
/// Findings of one organisation that belong together: same detection family and the same attacker
/// infrastructure or subject, within a time window, across its servers and its people's opted-in accounts.
/// </summary>
public sealed class Incident : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>E.g. <c>exchange.proxylogon</c>: the detection id without its last part.</summary>
    public required string Family { get; set; }

    /// <summary>What ties the findings together (client address, page, build…).</summary>
    public required string GroupKey { get; set; }

    public required string Title { get; set; }

    public Severity Severity { get; set; }

    public Confidence Confidence { get; set; }

    public IncidentStatus Status { get; set; }

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who decided: an API key id or a portal user id, or null for the auto-confirm policy.</summary>
    public Guid? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }

    /// <summary>Set when an individual's personal-account incident is involved: only they (and the org, with consent) see it.</summary>
    public Guid? PersonId { get; set; }

    /// <summary>For a <see cref="IncidentStatus.Merged"/> incident: the incident that holds its findings now.</summary>
    public Guid? MergedIntoId { get; set; }

    /// <summary>The analyst's title for the organisation's notice, replacing the generated one; null keeps it.</summary>
    public string? NoticeTitle { get; set; }

    /// <summary>The analyst's "what we saw" for the organisation's notice; null keeps the generated text.</summary>
    public string? NoticeSummary { get; set; }

    /// <summary>The analyst's "what to do" for the organisation's notice; null keeps the generated steps.</summary>
    public string? NoticeRemediation { get; set; }
}
