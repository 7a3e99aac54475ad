using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
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

    public static IQueryable<Incident> Incidents(BulwarkDbContext db, List<Guid>? shared) =>
        shared is null
            ? db.Incidents.AsNoTracking()
            : db.Incidents.AsNoTracking().Where(i =>
                db.Findings.Any(f => f.IncidentId == i.Id && (f.PersonId == null || shared.Contains(f.PersonId.Value)))
                || (!db.Findings.Any(f => f.IncidentId == i.Id) && (i.PersonId == null || shared.Contains(i.PersonId.Value))));
}
