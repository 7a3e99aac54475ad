using System.Globalization;
using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;

namespace Bulwark.Server.Notification;

/// <summary>What a notice says, composed from an incident and the findings its audience may see.</summary>
public sealed record NoticeContent(string Title, string Summary, string Remediation, Severity Severity, Confidence Confidence);

/// <summary>
/// Writes notices in plain language: what was seen, how sure we are, what to do now. Organisation admins get
/// exact times; an individual gets dates only and nothing about anyone else. Detection methods and sources are
/// never described, only what happened.
/// </summary>
public static class NoticeText
{
    public const string FalseAlarmLine = "This may be a false alarm. If it is, or if it was you, say so with the notice's feedback (\"false alarm\" or \"this was me\").";

    public const string PersonHelpLine = "If you need help, contact your organisation's security contact or the Access Now Digital Security Helpline.";

    public const string NoStepsYet = "An analyst will follow up with the steps to take. Until then, watch for unusual sign-ins and messages.";

    /// <summary>The organisation's notice. <paramref name="sharedAccounts"/> counts personal accounts whose owners let the organisation see them (their findings are in <paramref name="findings"/>).</summary>
    public static NoticeContent ForOrganisation(Incident incident, IReadOnlyList<FindingRecord> findings, int sharedAccounts)
    {
        var ordered = Worst(findings);
        var summary = new StringBuilder();
        summary.Append("What we saw:\n");
        if (ordered.Count == 0)
        {
            summary.Append("- ").Append(incident.Title).Append('\n');
        }

        foreach (var group in ordered.GroupBy(f => f.Title, StringComparer.Ordinal))
        {
            var items = group.ToList();
            summary.Append("- ").Append(group.Key).Append(": ").Append(Count(items.Count, "occurrence"));
            var (first, last) = Span(items, incident);
            if (first is not null)
            {
                summary.Append(", first seen ").Append(Exact(first.Value)).Append(", last seen ").Append(Exact(last!.Value));
            }

            summary.Append('\n');
        }

        var collections = ordered.Where(f => f.PersonId is null).Select(f => f.UploadId ?? Guid.Empty).Distinct().Count();
        var where = new List<string>();
        if (collections > 0)
        {
            where.Add($"in {Count(collections, "log collection")} from your organisation's servers");
        }

        if (sharedAccounts > 0)
        {
            where.Add($"on {Count(sharedAccounts, "staff member's personal account", "staff members' personal accounts")}, shared with the organisation by their owners' consent");
        }

        if (where.Count > 0)
        {
            summary.Append("Where: ").Append(string.Join("; and ", where)).Append(".\n");
        }

        var (from, to) = Span(ordered, incident);
        if (from is not null)
        {
            summary.Append("When: from ").Append(Exact(from.Value)).Append(" to ").Append(Exact(to!.Value)).Append(".\n");
        }

        summary.Append("How sure we are: ").Append(ConfidenceWords(incident.Confidence)).Append(' ').Append(FalseAlarmLine);
        return new NoticeContent(incident.Title, summary.ToString(), Steps(ordered, null), incident.Severity, incident.Confidence);
    }

    /// <summary>One person's notice: only their own findings, rough dates, no other member's data.</summary>
    public static NoticeContent ForPerson(Incident incident, IReadOnlyList<FindingRecord> ownFindings, bool organisationMayView)
    {
        var ordered = Worst(ownFindings);
        var worst = ordered.Count > 0 ? ordered[0] : null;
        var title = "Your personal account: " + (worst?.Title ?? incident.Title);
        var summary = new StringBuilder();
        summary.Append("What we saw: activity against a personal account you asked Bulwark to watch.\n");
        foreach (var group in ordered.GroupBy(f => f.Title, StringComparer.Ordinal))
        {
            summary.Append("- ").Append(group.Key).Append(": ").Append(Count(group.Count(), "occurrence")).Append('\n');
        }

        var (from, to) = Span(ordered, incident);
        if (from is not null)
        {
            var first = Day(from.Value);
            var last = Day(to!.Value);
            summary.Append("When: ").Append(first == last ? "on " + first : $"between {first} and {last}").Append(".\n");
        }

        var confidence = worst?.Confidence ?? incident.Confidence;
        summary.Append("How sure we are: ").Append(ConfidenceWords(confidence)).Append(' ').Append(FalseAlarmLine).Append('\n');
        summary.Append(organisationMayView
            ? "Your organisation's security contacts can also see activity on this account, because you allowed it."
            : "Only you can see this notice: your organisation is not told about your personal accounts.");
        return new NoticeContent(title, summary.ToString(), Steps(ordered, PersonHelpLine), worst?.Severity ?? incident.Severity, confidence);
    }

    public static string ConfidenceWords(Confidence confidence) => confidence switch
    {
        Confidence.High => "high confidence: the evidence matches this attack closely.",
        Confidence.Medium => "medium confidence: the evidence fits this attack, but it could have an innocent explanation.",
        _ => "low confidence: this is possible, not established.",
    };

    /// <summary>Remediation texts, worst finding first, each once, as numbered steps.</summary>
    private static string Steps(IReadOnlyList<FindingRecord> ordered, string? closing)
    {
        var steps = RemediationSteps.From(ordered.Select(f => f.Remediation)).ToList();
        if (steps.Count == 0)
        {
            steps.Add(NoStepsYet);
        }

        if (closing is not null)
        {
            steps.Add(closing);
        }

        return string.Join("\n", steps.Select((s, i) => $"{i + 1}. {s}"));
    }

    private static List<FindingRecord> Worst(IEnumerable<FindingRecord> findings) => findings
        .OrderByDescending(f => f.Severity)
        .ThenByDescending(f => f.Confidence)
        .ThenBy(f => f.FirstSeen ?? DateTimeOffset.MaxValue)
        .ThenBy(f => f.FindingId, StringComparer.Ordinal)
        .ToList();

    private static (DateTimeOffset? First, DateTimeOffset? Last) Span(IReadOnlyList<FindingRecord> findings, Incident incident)
    {
        var first = findings.Select(f => f.FirstSeen ?? f.LastSeen).Where(t => t is not null).Min() ?? incident.FirstSeen;
        var last = findings.Select(f => f.LastSeen ?? f.FirstSeen).Where(t => t is not null).Max() ?? incident.LastSeen ?? first;
        return first is null ? (null, null) : (first, last ?? first);
    }

    private static string Count(int n, string one, string? many = null) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many ?? one + "s");

    private static string Exact(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
