using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Incidents at OTHER members that share an indicator with one incident: the same attacker address, the same web-shell
/// page, the same file hash, or the same subject under the same grouping rule (ADR 7 keys). For analysts, who see across
/// members (their reads are audited by the caller).
/// </summary>
public static class RelatedIncidents
{
    public const int MaxShown = 25;

    private const int MaxKeys = 200;
    private const int MaxHashes = 20;

    /// <summary>What the two incidents share, strongest first.</summary>
    public enum Link
    {
        AttackerAddress,
        WebShellPage,
        FileHash,
        Subject,
    }

    public sealed record Related(
        Guid Id,
        Guid OrganisationId,
        string OrganisationName,
        string Title,
        Severity Severity,
        Confidence Confidence,
        IncidentStatus Status,
        DateTimeOffset? LastSeen,
        Link Link,
        string Indicator);

    public static async Task<IReadOnlyList<Related>> FindAsync(BulwarkDbContext db, Incident incident, IReadOnlyList<FindingRecord> findings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(findings);
        var org = incident.OrganisationId;

        // The incident's own key and every finding's (a merged incident holds findings of several keys).
        var keys = findings.Select(f => IncidentGrouping.KeyOf(f.DetectionId, f.Subject))
            .Append((incident.Family, incident.GroupKey))
            .Distinct()
            .Take(MaxKeys)
            .ToList();
        var groupKeys = keys.Select(k => k.Item2).Distinct(StringComparer.Ordinal).ToList();
        var links = new Dictionary<Guid, (Link Link, string Indicator)>();
        var byKey = await db.Incidents.AsNoTracking()
            .Where(i => i.OrganisationId != org && i.Status != IncidentStatus.Merged && groupKeys.Contains(i.GroupKey))
            .Select(i => new { i.Id, i.Family, i.GroupKey })
            .ToListAsync(ct);
        foreach (var other in byKey.Where(o => keys.Contains((o.Family, o.GroupKey))))
        {
            Offer(links, other.Id, LinkOf(other.Family), other.GroupKey);
        }

        var hashes = findings.SelectMany(f => Hashes(f.EvidenceJson)).Distinct(StringComparer.Ordinal).Take(MaxHashes).ToList();
        foreach (var hash in hashes)
        {
            var holders = await db.Findings.AsNoTracking()
                .Where(f => f.OrganisationId != org && f.IncidentId != null && f.EvidenceJson.Contains(hash))
                .Select(f => f.IncidentId!.Value)
                .Distinct()
                .Take(MaxShown)
                .ToListAsync(ct);
            foreach (var id in holders)
            {
                Offer(links, id, Link.FileHash, hash);
            }
        }

        if (links.Count == 0)
        {
            return [];
        }

        var ids = links.Keys.ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync(ct);
        var organisationIds = incidents.Select(i => i.OrganisationId).Distinct().ToList();
        var names = await db.Organisations.AsNoTracking().Where(o => organisationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return incidents
            .Select(i => new Related(
                i.Id, i.OrganisationId, names.GetValueOrDefault(i.OrganisationId, ""), i.Title, i.Severity, i.Confidence, i.Status, i.LastSeen,
                links[i.Id].Link, links[i.Id].Indicator))
            .OrderBy(r => r.Link)
            .ThenByDescending(r => r.Severity)
            .ThenByDescending(r => r.LastSeen)
            .ThenBy(r => r.Id)
            .Take(MaxShown)
            .ToList();
    }

    private static Link LinkOf(string family) => family switch
    {
        IncidentGrouping.Infrastructure => Link.AttackerAddress,
        IncidentGrouping.WebShell => Link.WebShellPage,
        _ => Link.Subject,
    };

    private static void Offer(Dictionary<Guid, (Link Link, string Indicator)> links, Guid id, Link link, string indicator)
    {
        if (!links.TryGetValue(id, out var known) || link < known.Link)
        {
            links[id] = (link, indicator);
        }
    }

    /// <summary>The SHA-256 values in a finding's evidence (<c>fields.sha256</c>).</summary>
    private static IEnumerable<string> Hashes(string evidenceJson)
    {
        using var doc = JsonDocument.Parse(evidenceJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var found = new List<string>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Object
                && e.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object
                && fields.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String
                && sha.GetString() is { Length: 64 } value && value.All(char.IsAsciiHexDigit))
            {
                found.Add(value);
            }
        }

        return found;
    }
}
