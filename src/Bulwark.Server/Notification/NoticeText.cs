using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Ingestion;

namespace Bulwark.Server.Notification;

/// <summary>What a notice says, composed from an incident and the findings its audience may see.</summary>
public sealed record NoticeContent(string Title, string Summary, string Remediation, Severity Severity, Confidence Confidence)
{
    /// <summary>Who may be behind it, where the intelligence's TLP lets this audience be told (null otherwise).</summary>
    public string? Attribution { get; init; }
}

/// <summary>
/// Writes notices in plain language: what was seen, how sure we are, what to do now. Organisation admins get
/// exact times; an individual gets dates only and nothing about anyone else. Detection methods and sources are
/// never described, only what happened. Actors (notifications.md §2, §6.6): the organisation is told the actor's name
/// and country only when the effective TLP of everything behind it (the finding's intelligence and the attribution's)
/// is at most AMBER+STRICT (member organisation only); TLP:RED intelligence is for its named recipients, so it never
/// names an actor here. An individual is never told an actor's name: at most "a government-backed actor" when the
/// actor is state-linked (a country), under the same TLP rule. Emails only announce a notice (id, title, severity),
/// so no actor reaches an email whatever its TLP.
/// </summary>
public static partial class NoticeText
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

        var attribution = OrganisationAttribution(ordered, w);
        if (attribution is not null)
        {
            summary.Append(w.BehindIt).Append(attribution).Append(". ").Append(w.IntelCaveat).Append('\n');
        }

        summary.Append(w.HowSure).Append(w.Confidence(incident.Confidence)).Append(' ').Append(w.FalseAlarmLine);
        return new NoticeContent(DetectionTexts.Title(incident.Title, w.Language), summary.ToString(), Steps(ordered, null, w), incident.Severity, incident.Confidence)
        {
            Attribution = attribution,
        };
    }

    /// <summary>The effective TLP up to which the member organisation may be told who is behind its findings.</summary>
    public const Tlp OrganisationMaySee = Tlp.AmberStrict;

    /// <summary>
    /// The actors behind <paramref name="findings"/> the organisation may be told of (most confident first, at most
    /// three): each actor's effective TLP is the strictest of its attributions and of the findings that carry it.
    /// </summary>
    public static string? OrganisationAttribution(IReadOnlyList<FindingRecord> findings, NoticeWords w)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(w);
        var actors = EffectiveActors(findings).Where(a => OrganisationMayBeTold(a.Tlp)).Take(3).Select(a => Describe(a.Actor, w)).ToList();
        return actors.Count == 0 ? null : string.Join("; ", actors);
    }

    /// <summary>
    /// What an individual may be told about who is behind their findings: "a government-backed actor" when an actor
    /// behind them is state-linked (a country) and its TLP allows telling anyone outside the sources' recipients; never a name.
    /// </summary>
    public static string? PersonAttribution(IReadOnlyList<FindingRecord> findings, NoticeWords w)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(w);
        return EffectiveActors(findings).Any(a => OrganisationMayBeTold(a.Tlp) && a.Actor.Country is not null) ? w.GovernmentBacked : null;
    }

    /// <summary>
    /// Whether a member organisation may be told of an actor whose effective TLP (<see cref="EffectiveActors"/>) is
    /// <paramref name="effective"/>: the one rule for notices, the incidents API and the portal.
    /// </summary>
    public static bool OrganisationMayBeTold(Tlp effective) => effective <= OrganisationMaySee;

    /// <summary>
    /// Each actor of the findings once, most confident first, with its strongest confidence and the strictest TLP of
    /// every input naming it (its attributions and the findings that carry them).
    /// </summary>
    public static List<(ActorAttribution Actor, Tlp Tlp)> EffectiveActors(IEnumerable<FindingRecord> findings)
    {
        var byActor = new Dictionary<string, (ActorAttribution Actor, Tlp Tlp)>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            foreach (var a in FindingRecords.ReadAttribution(finding.AttributionJson))
            {
                var tlp = Max(a.Tlp, finding.Tlp ?? a.Tlp);
                byActor[a.ActorId] = byActor.TryGetValue(a.ActorId, out var held)
                    ? (held.Actor.Confidence >= a.Confidence ? held.Actor : a, Max(held.Tlp, tlp))
                    : (a, tlp);
            }
        }

        return [.. byActor.Values.OrderByDescending(x => x.Actor.Confidence).ThenBy(x => x.Actor.ActorId, StringComparer.Ordinal)];
    }

    /// <summary>"HAFNIUM (G0125; also known as Silk Typhoon; country CN), intelligence confidence 21/100".</summary>
    private static string Describe(ActorAttribution a, NoticeWords w)
    {
        var details = new List<string>();
        if (AttackId(a.ActorId) is { } attack)
        {
            details.Add(attack);
        }

        var aliases = a.Aliases.Where(x => !string.Equals(x, a.ActorName, StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        if (aliases.Count > 0)
        {
            details.Add(w.AlsoKnownAs + string.Join(", ", aliases));
        }

        if (a.Country is { } country)
        {
            details.Add(w.CountryLabel + country);
        }

        var text = new StringBuilder(a.ActorName);
        if (details.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", details).Append(')');
        }

        return text.Append(", ").Append(w.IntelConfidence(a.Confidence)).ToString();
    }

    /// <summary>The actor's ATT&amp;CK group id (<c>G0125</c>) when its id is one; null for other ids (a STIX intrusion set's).</summary>
    public static string? AttackId(string actorId) => AttackGroup().IsMatch(actorId) ? actorId : null;

    private static Tlp Max(Tlp a, Tlp b) => a > b ? a : b;

    [GeneratedRegex("^G[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex AttackGroup();

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
        return new NoticeContent(title, summary.ToString(), Steps(ordered, w.PersonHelpLine, w), worst?.Severity ?? incident.Severity, confidence)
        {
            Attribution = PersonAttribution(ordered, w),
        };
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
