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
    public static string FalseAlarmLine => NoticeWords.English.FalseAlarmLine;

    public static string PersonHelpLine => NoticeWords.English.PersonHelpLine;

    public static string NoStepsYet => NoticeWords.English.NoStepsYet;

    /// <summary>The organisation's notice, in <paramref name="language"/>. <paramref name="sharedAccounts"/> counts personal accounts whose owners let the organisation see them (their findings are in <paramref name="findings"/>).</summary>
    public static NoticeContent ForOrganisation(Incident incident, IReadOnlyList<FindingRecord> findings, int sharedAccounts, string? language = null)
    {
        var w = NoticeWords.For(language);
        var ordered = Worst(findings);
        var summary = new StringBuilder();
        summary.Append(w.WhatWeSaw).Append('\n');
        if (ordered.Count == 0)
        {
            summary.Append("- ").Append(DetectionTexts.Title(incident.Title, w.Language)).Append('\n');
        }

        foreach (var group in ordered.GroupBy(f => f.Title, StringComparer.Ordinal))
        {
            var items = group.ToList();
            summary.Append("- ").Append(DetectionTexts.Title(group.Key, w.Language)).Append(": ").Append(w.Occurrences(items.Count));
            var (first, last) = Span(items, incident);
            if (first is not null)
            {
                summary.Append(w.FirstSeen).Append(Exact(first.Value)).Append(w.LastSeen).Append(Exact(last!.Value));
            }

            summary.Append('\n');
        }

        var collections = ordered.Where(f => f.PersonId is null).Select(f => f.UploadId ?? Guid.Empty).Distinct().Count();
        var where = new List<string>();
        if (collections > 0)
        {
            where.Add(w.InLogCollections(collections));
        }

        if (sharedAccounts > 0)
        {
            where.Add(w.OnSharedAccounts(sharedAccounts));
        }

        if (where.Count > 0)
        {
            summary.Append(w.Where).Append(string.Join(w.AndList, where)).Append(".\n");
        }

        var (from, to) = Span(ordered, incident);
        if (from is not null)
        {
            summary.Append(w.WhenFromTo(Exact(from.Value), Exact(to!.Value))).Append(".\n");
        }

        summary.Append(w.HowSure).Append(w.Confidence(incident.Confidence)).Append(' ').Append(w.FalseAlarmLine);
        return new NoticeContent(DetectionTexts.Title(incident.Title, w.Language), summary.ToString(), Steps(ordered, null, w), incident.Severity, incident.Confidence);
    }

    /// <summary>One person's notice, in their language: only their own findings, rough dates, no other member's data.</summary>
    public static NoticeContent ForPerson(Incident incident, IReadOnlyList<FindingRecord> ownFindings, bool organisationMayView, string? language = null)
    {
        var w = NoticeWords.For(language);
        var ordered = Worst(ownFindings);
        var worst = ordered.Count > 0 ? ordered[0] : null;
        var title = w.YourPersonalAccount + DetectionTexts.Title(worst?.Title ?? incident.Title, w.Language);
        var summary = new StringBuilder();
        summary.Append(w.PersonalWhatWeSaw).Append('\n');
        foreach (var group in ordered.GroupBy(f => f.Title, StringComparer.Ordinal))
        {
            summary.Append("- ").Append(DetectionTexts.Title(group.Key, w.Language)).Append(": ").Append(w.Occurrences(group.Count())).Append('\n');
        }

        var (from, to) = Span(ordered, incident);
        if (from is not null)
        {
            var first = Day(from.Value);
            var last = Day(to!.Value);
            summary.Append(first == last ? w.WhenOn(first) : w.WhenBetween(first, last)).Append(".\n");
        }

        var confidence = worst?.Confidence ?? incident.Confidence;
        summary.Append(w.HowSure).Append(w.Confidence(confidence)).Append(' ').Append(w.FalseAlarmLine).Append('\n');
        summary.Append(organisationMayView ? w.OrganisationMaySee : w.OnlyYou);
        return new NoticeContent(title, summary.ToString(), Steps(ordered, w.PersonHelpLine, w), worst?.Severity ?? incident.Severity, confidence);
    }

    public static string ConfidenceWords(Confidence confidence) => NoticeWords.English.Confidence(confidence);

    /// <summary>Remediation texts, worst finding first, each once, as numbered steps.</summary>
    private static string Steps(IReadOnlyList<FindingRecord> ordered, string? closing, NoticeWords w)
    {
        var steps = RemediationSteps.From(ordered.Select(f => DetectionTexts.Remediation(f.Remediation, w.Language))).ToList();
        if (steps.Count == 0)
        {
            steps.Add(w.NoStepsYet);
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

    private static string Exact(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
