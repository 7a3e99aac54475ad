using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Notification;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Incidents;

/// <summary>
/// What an organisation may see of its incidents, for the API and the portal alike: its own systems' findings,
/// and those of people who shared their personal accounts with it (verified account, the owner's live consent:
/// <see cref="PersonalVisibility"/>). An incident is visible when one of its findings is (the rule that decides
/// whether the organisation gets a notice, <c>NoticeIssuer</c>); an incident without findings counts by its own
/// person. Staff (operator, analyst) see everything; the tenant filter still limits an organisation to itself.
/// </summary>
public static class IncidentVisibility
{
    /// <summary>The people whose personal findings the caller's organisation may see; null for staff (no limit).</summary>
    public static async Task<List<Guid>?> SharedAsync(Caller caller, PersonalVisibility visibility, CancellationToken ct) =>
        caller.IsInstanceWide ? null
        : caller.OrganisationId is { } org && org != Guid.Empty ? [.. await visibility.PeopleVisibleToAsync(org, ct)]
        : [];

    public static IQueryable<FindingRecord> Findings(BulwarkDbContext db, List<Guid>? shared) =>
        shared is null
            ? db.Findings.AsNoTracking()
            : db.Findings.AsNoTracking().Where(f => f.PersonId == null || shared.Contains(f.PersonId.Value));

    /// <summary>
    /// A finding's evidence as the caller may see it. Intelligence marked TLP:RED may reach named recipients only
    /// (notifications.md §6.6), so an organisation (<paramref name="shared"/> not null) does not see the intel fields
    /// (indicator, source, id) of a RED finding; the log lines themselves are its own and stay. Staff see everything.
    /// </summary>
    public static string Evidence(FindingRecord finding, List<Guid>? shared) =>
        shared is not null && finding.Tlp == Core.Intel.Index.Tlp.Red ? WithoutIntelFields(finding.EvidenceJson) : finding.EvidenceJson;

    /// <summary>The evidence JSON without the fields intel matching adds (<see cref="Core.Intel.Matching.IntelEvidence.IsIntelField"/>).</summary>
    public static string WithoutIntelFields(string evidenceJson)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(evidenceJson) is not System.Text.Json.Nodes.JsonArray items)
        {
            return evidenceJson;
        }

        foreach (var item in items)
        {
            if (item is System.Text.Json.Nodes.JsonObject entry && entry["fields"] is System.Text.Json.Nodes.JsonObject fields)
            {
                foreach (var name in fields.Select(p => p.Key).Where(Core.Intel.Matching.IntelEvidence.IsIntelField).ToList())
                {
                    fields.Remove(name);
                }
            }
        }

        return items.ToJsonString();
    }

    /// <summary>An actor behind an incident: its strongest attribution, the strictest TLP of every input naming it, how many findings name it.</summary>
    public sealed record IncidentActor(ActorAttribution Actor, Tlp Tlp, int Findings);

    /// <summary>A finding's actors as the caller may read them, and whether the finding names others the caller may not.</summary>
    public sealed record FindingActors(IReadOnlyList<ActorAttribution> Shown, bool Withheld);

    /// <summary>Who is behind an incident's findings, as one caller may be told (<see cref="AttributionOf"/>).</summary>
    public sealed class VisibleAttribution(IReadOnlyList<IncidentActor> actors, bool withheld, HashSet<string>? allowed)
    {
        /// <summary>The actors the caller may read, most confident first.</summary>
        public IReadOnlyList<IncidentActor> Actors { get; } = actors;

        /// <summary>True when the findings name an actor the caller may not be told of (the sources' sharing rules withhold it).</summary>
        public bool Withheld { get; } = withheld;

        /// <summary>One finding's attribution as stored, less the actors withheld from the caller.</summary>
        public FindingActors Of(FindingRecord finding)
        {
            ArgumentNullException.ThrowIfNull(finding);
            var all = FindingRecords.ReadAttribution(finding.AttributionJson);
            var shown = allowed is null ? all : [.. all.Where(a => allowed.Contains(a.ActorId))];
            return new FindingActors(shown, shown.Count < all.Count);
        }
    }

    /// <summary>
    /// The actors behind <paramref name="findings"/> (those the caller may see) as the caller may be told of them. Staff
    /// (<paramref name="shared"/> null) read every actor, TLP:RED included. An organisation reads an actor only where its
    /// notice would name it (<see cref="NoticeText.OrganisationMayBeTold"/> over <see cref="NoticeText.EffectiveActors"/>:
    /// every input naming it, attribution and findings, at most AMBER+STRICT), so the API and the portal never tell it
    /// more than its notice; an actor named by one RED input stays withheld on every finding.
    /// </summary>
    public static VisibleAttribution AttributionOf(IReadOnlyList<FindingRecord> findings, List<Guid>? shared)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var effective = NoticeText.EffectiveActors(findings);
        var shown = shared is null ? effective : effective.Where(a => NoticeText.OrganisationMayBeTold(a.Tlp)).ToList();
        var counts = findings
            .SelectMany(f => FindingRecords.ReadAttribution(f.AttributionJson).Select(a => a.ActorId).Distinct(StringComparer.Ordinal))
            .CountBy(id => id, StringComparer.Ordinal)
            .ToDictionary(StringComparer.Ordinal);
        HashSet<string>? allowed = shared is null ? null : [.. shown.Select(a => a.Actor.ActorId)];
        return new VisibleAttribution(
            [.. shown.Select(a => new IncidentActor(a.Actor, a.Tlp, counts.GetValueOrDefault(a.Actor.ActorId)))],
            shown.Count < effective.Count,
            allowed);
    }

    public static IQueryable<Incident> Incidents(BulwarkDbContext db, List<Guid>? shared) =>
        shared is null
            ? db.Incidents.AsNoTracking()
            : db.Incidents.AsNoTracking().Where(i =>
                db.Findings.Any(f => f.IncidentId == i.Id && (f.PersonId == null || shared.Contains(f.PersonId.Value)))
                || (!db.Findings.Any(f => f.IncidentId == i.Id) && (i.PersonId == null || shared.Contains(i.PersonId.Value))));
}
