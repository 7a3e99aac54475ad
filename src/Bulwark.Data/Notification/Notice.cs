using Bulwark.Core.Findings;

namespace Bulwark.Data.Notification;

public enum NoticeAudience
{
    Organisation,
    Person,
}

/// <summary>What one audience is told about a confirmed incident. The portal copy is authoritative.</summary>
public sealed class Notice : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid IncidentId { get; set; }

    public NoticeAudience Audience { get; set; }

    /// <summary>For <see cref="NoticeAudience.Person"/>: the only person who may read it.</summary>
    public Guid? PersonId { get; set; }

    public required string Title { get; set; }

    /// <summary>What was seen, in plain language.</summary>
    public required string Summary { get; set; }

    public Severity Severity { get; set; }

    public Confidence Confidence { get; set; }

    /// <summary>Who is believed to be behind it, only where the intel's sharing rules allow.</summary>
    public string? Attribution { get; set; }

    /// <summary>What to do now.</summary>
    public required string Remediation { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public Guid? AcknowledgedBy { get; set; }

    /// <summary>E.g. "false-alarm", "this-was-me", "useful".</summary>
    public string? Feedback { get; set; }

    public string? FeedbackComment { get; set; }

    public DateTimeOffset? FeedbackAt { get; set; }

    /// <summary>Escalation step reached (0 = first contact).</summary>
    public int EscalationLevel { get; set; }
}

/// <summary>Who at an organisation receives notices by email, in escalation order.</summary>
public sealed class NoticeContact : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Email { get; set; }

    public string? Name { get; set; }

    /// <summary>0 is told first; the next is told when a critical notice is not acknowledged in time.</summary>
    public int EscalationOrder { get; set; }

    public string Language { get; set; } = "en";
}
