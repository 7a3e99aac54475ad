using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Puts newly stored findings of one organisation into incidents (ADR 7): an open incident with the same key
/// whose span, widened by the grouping window, the finding overlaps; otherwise a new one. Works on the caller's
/// DbContext and does not save: the caller commits findings and incidents together. A finding that matches an
/// incident an analyst merged into another joins that other incident (ADR 12).
/// </summary>
public sealed class IncidentGrouper(BulwarkDbContext db, IOptions<IncidentPolicyOptions> options, TimeProvider time)
{
    private const int QueryChunk = 500;

    /// <summary>Assigns each finding's <see cref="FindingRecord.IncidentId"/>; returns the incidents created or grown.</summary>
    public async Task<IReadOnlyList<Incident>> GroupAsync(Guid organisationId, IReadOnlyList<FindingRecord> findings, CancellationToken ct)
    {
        if (findings.Count == 0)
        {
            return [];
        }

        var window = options.Value.GroupingWindow;
        var now = time.GetUtcNow();
        var pending = findings
            .Select(f =>
            {
                var start = f.FirstSeen ?? f.LastSeen ?? f.ReceivedAt;
                return (Finding: f, Key: IncidentGrouping.KeyOf(f.DetectionId, f.Subject), Start: start, End: f.LastSeen ?? start);
            })
            .OrderBy(p => p.Start)
            .ThenBy(p => p.Finding.FindingId, StringComparer.Ordinal)
            .ToList();

        var open = new Dictionary<(string Family, string GroupKey), List<Incident>>();
        foreach (var chunk in pending.Select(p => p.Key.GroupKey).Distinct(StringComparer.Ordinal).Chunk(QueryChunk))
        {
            var found = await db.Incidents
                .Where(i => i.OrganisationId == organisationId && i.Status != IncidentStatus.Dismissed && chunk.Contains(i.GroupKey))
                .ToListAsync(ct);
            foreach (var incident in found)
            {
                ListOf(open, (incident.Family, incident.GroupKey)).Add(incident);
            }
        }

        var changed = new List<Incident>();
        foreach (var (finding, key, start, end) in pending)
        {
            var candidates = ListOf(open, key);
            var incident = candidates
                .Where(i => Overlaps(i, start, end, window))
                .OrderBy(i => i.Status == IncidentStatus.Merged)
                .ThenByDescending(i => i.LastSeen ?? i.CreatedAt)
                .FirstOrDefault();
            if (incident is { Status: IncidentStatus.Merged })
            {
                incident = await MergedTargetAsync(organisationId, incident, ct);
            }

            if (incident is null)
            {
                incident = new Incident
                {
                    Id = Guid.CreateVersion7(now),
                    OrganisationId = organisationId,
                    Family = key.Family,
                    GroupKey = key.GroupKey,
                    Title = finding.Title,
                    Severity = finding.Severity,
                    Confidence = finding.Confidence,
                    Status = IncidentStatus.Unconfirmed,
                    FirstSeen = start,
                    LastSeen = end,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.Incidents.Add(incident);
                candidates.Add(incident);
            }
            else
            {
                if (start < (incident.FirstSeen ?? start))
                {
                    incident.FirstSeen = start;
                }

                if (end > (incident.LastSeen ?? end))
                {
                    incident.LastSeen = end;
                }

                // The first finding grouped keeps the title among equally bad ones.
                if (IncidentGrouping.IsWorse(finding.Severity, finding.Confidence, incident.Severity, incident.Confidence))
                {
                    incident.Title = finding.Title;
                    incident.Severity = finding.Severity;
                    incident.Confidence = finding.Confidence;
                }

                incident.UpdatedAt = now;
            }

            finding.IncidentId = incident.Id;
            if (!changed.Contains(incident))
            {
                changed.Add(incident);
            }
        }

        return changed;
    }

    /// <summary>
    /// Where a finding that matches a merged incident goes (ADR 12): the incident it was merged into, following a chain
    /// of merges; null (a new incident) when that one was dismissed since, as a dismissed incident stays closed.
    /// </summary>
    private async Task<Incident?> MergedTargetAsync(Guid organisationId, Incident merged, CancellationToken ct)
    {
        var incident = merged;
        for (var hop = 0; hop < 32 && incident is { Status: IncidentStatus.Merged, MergedIntoId: { } next }; hop++)
        {
            incident = await db.Incidents.FindAsync([next], ct);
        }

        return incident is { Status: IncidentStatus.Unconfirmed or IncidentStatus.Confirmed } && incident.OrganisationId == organisationId ? incident : null;
    }

    private static List<Incident> ListOf(Dictionary<(string, string), List<Incident>> open, (string, string) key)
    {
        if (!open.TryGetValue(key, out var list))
        {
            open[key] = list = [];
        }

        return list;
    }

    /// <summary>[start, end] meets the incident's span widened by the window on both sides (saturating at the calendar's ends).</summary>
    private static bool Overlaps(Incident incident, DateTimeOffset start, DateTimeOffset end, TimeSpan window)
    {
        var first = incident.FirstSeen ?? incident.CreatedAt;
        var last = incident.LastSeen ?? first;
        return start <= Add(last, window) && end >= Add(first, -window);
    }

    private static DateTimeOffset Add(DateTimeOffset t, TimeSpan span) =>
        span > TimeSpan.Zero && t > DateTimeOffset.MaxValue - span ? DateTimeOffset.MaxValue
        : span < TimeSpan.Zero && t < DateTimeOffset.MinValue - span ? DateTimeOffset.MinValue
        : t + span;
}
