using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Puts newly stored findings of one organisation into incidents (ADR 7): an open incident with the same key
/// whose span, widened by the grouping window, the finding overlaps; otherwise a new one. An intel match on a value
/// that is not a client address (a user agent, referer, path, hash…) goes first where its evidence points: the
/// incident of the client address its lines came from, else an incident holding a finding on the same lines (ADR 7,
/// 2026-11-28 note). Works on the caller's DbContext and does not save: the caller commits findings and incidents
/// together. A finding that matches an incident an analyst merged into another joins that other incident (ADR 12).
/// </summary>
public sealed class IncidentGrouper(BulwarkDbContext db, IOptions<IncidentPolicyOptions> options, TimeProvider time)
{
    private const int QueryChunk = 500;

    /// <summary>Files of one finding's evidence looked up among stored findings; the rest are not (a bound on the queries).</summary>
    private const int MaxFilesLookedUp = 16;

    /// <summary>Assigns each finding's <see cref="FindingRecord.IncidentId"/>; returns the incidents created or grown.</summary>
    public async Task<IReadOnlyList<Incident>> GroupAsync(Guid organisationId, IReadOnlyList<FindingRecord> findings, CancellationToken ct)
    {
        if (findings.Count == 0)
        {
            return [];
        }

        var window = options.Value.GroupingWindow;
        var now = time.GetUtcNow();
        // Time order; intel matches that follow their evidence after the rest, so the incidents the batch's other
        // findings open or grow are there to join whatever order the batch came in.
        var pending = findings
            .Select(f => new Pending(f))
            .OrderBy(p => p.FollowsEvidence)
            .ThenBy(p => p.Start)
            .ThenBy(p => p.Finding.FindingId, StringComparer.Ordinal)
            .ToList();

        var open = new Dictionary<(string Family, string GroupKey), List<Incident>>();
        var groupKeys = pending.Select(p => p.Key.GroupKey).Concat(pending.Where(p => p.FollowsEvidence).SelectMany(p => p.Addresses.Select(a => a.Address)));
        foreach (var chunk in groupKeys.Distinct(StringComparer.Ordinal).Chunk(QueryChunk))
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
        var grouped = new List<(Pending Finding, Incident Incident)>();
        foreach (var p in pending)
        {
            var (finding, key, start, end) = (p.Finding, p.Key, p.Start, p.End);
            var incident = p.FollowsEvidence ? await FollowEvidenceAsync(organisationId, p, open, grouped, window, ct) : null;
            var candidates = ListOf(open, key);
            incident ??= await ChooseAsync(organisationId, candidates, start, end, window, ct);
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

                IncidentGrouping.TakeWorse(incident, finding.Title, finding.Severity, finding.Confidence);
                incident.UpdatedAt = now;
            }

            finding.IncidentId = incident.Id;
            grouped.Add((p, incident));
            if (!changed.Contains(incident))
            {
                changed.Add(incident);
            }
        }

        return changed;
    }

    /// <summary>
    /// Where an intel match's evidence points (ADR 7, 2026-11-28 note), within the window: the incident of the client
    /// address most of its lines came from (on a tie, the one seen last); else an incident holding a finding of this
    /// batch or a stored one on one of its lines (file and line), the one seen last. Null when neither exists: the
    /// finding then follows its own key.
    /// </summary>
    private async Task<Incident?> FollowEvidenceAsync(
        Guid organisationId, Pending p, Dictionary<(string, string), List<Incident>> open, List<(Pending Finding, Incident Incident)> grouped, TimeSpan window, CancellationToken ct)
    {
        foreach (var tie in p.Addresses.GroupBy(a => a.Lines).OrderByDescending(g => g.Key))
        {
            var candidates = tie.SelectMany(a => ListOf(open, (IncidentGrouping.Infrastructure, a.Address))).ToList();
            if (await ChooseAsync(organisationId, candidates, p.Start, p.End, window, ct) is { } byAddress)
            {
                return byAddress;
            }
        }

        var lines = p.Lines;
        if (lines.Count == 0)
        {
            return null;
        }

        var sharing = grouped.Where(g => g.Finding.Lines.Overlaps(lines)).Select(g => g.Incident).ToList();
        var stored = await StoredIncidentsOnAsync(organisationId, lines, ct);
        return await ChooseAsync(organisationId, sharing.Concat(stored).Distinct(), p.Start, p.End, window, ct);
    }

    /// <summary>
    /// The incidents of stored findings whose evidence holds one of <paramref name="lines"/>. The database is asked
    /// only for findings whose evidence names one of the files (as the stored JSON writes it), then the lines are compared.
    /// </summary>
    private async Task<List<Incident>> StoredIncidentsOnAsync(Guid organisationId, IReadOnlySet<(string File, long Line)> lines, CancellationToken ct)
    {
        var ids = new HashSet<Guid>();
        foreach (var file in lines.Select(l => l.File).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxFilesLookedUp))
        {
            var needle = "\"file\":\"" + JsonEncodedText.Encode(file).ToString() + "\"";
            var rows = await db.Findings
                .Where(f => f.OrganisationId == organisationId && f.IncidentId != null && f.EvidenceJson.Contains(needle))
                .Select(f => new { f.IncidentId, f.EvidenceJson })
                .ToListAsync(ct);
            foreach (var row in rows)
            {
                if (row.IncidentId is { } id && !ids.Contains(id) && FindingRecords.ReadEvidence(row.EvidenceJson).Any(e => lines.Contains((e.File, e.Line))))
                {
                    ids.Add(id);
                }
            }
        }

        var incidents = new List<Incident>();
        foreach (var chunk in ids.Chunk(QueryChunk))
        {
            incidents.AddRange(await db.Incidents.Where(i => i.OrganisationId == organisationId && chunk.Contains(i.Id)).ToListAsync(ct));
        }

        return incidents;
    }

    /// <summary>
    /// ADR 7's choice among incidents a finding may join: not dismissed, its span widened by the window overlapping the
    /// finding's; an open one before a merged one, then the one seen last; a merged one stands for the incident it
    /// was merged into.
    /// </summary>
    private async Task<Incident?> ChooseAsync(Guid organisationId, IEnumerable<Incident> candidates, DateTimeOffset start, DateTimeOffset end, TimeSpan window, CancellationToken ct)
    {
        var incident = candidates
            .Where(i => i.Status != IncidentStatus.Dismissed && Overlaps(i, start, end, window))
            .OrderBy(i => i.Status == IncidentStatus.Merged)
            .ThenByDescending(i => i.LastSeen ?? i.CreatedAt)
            .FirstOrDefault();
        return incident is { Status: IncidentStatus.Merged } ? await MergedTargetAsync(organisationId, incident, ct) : incident;
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

    /// <summary>One finding to group: its key, its time span and, for an intel match that follows its evidence, what that evidence shows.</summary>
    private sealed class Pending
    {
        private IReadOnlyList<Evidence>? _evidence;
        private HashSet<(string File, long Line)>? _lines;

        public Pending(FindingRecord finding)
        {
            Finding = finding;
            Key = IncidentGrouping.KeyOf(finding.DetectionId, finding.Subject);
            Start = finding.FirstSeen ?? finding.LastSeen ?? finding.ReceivedAt;
            End = finding.LastSeen ?? Start;
            FollowsEvidence = IncidentGrouping.FollowsEvidence(finding.DetectionId, Key);
            Addresses = FollowsEvidence
                ? [.. Evidence.Select(e => IncidentGrouping.EvidenceAddress(e.Fields)).OfType<string>()
                    .GroupBy(a => a, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderBy(a => a.Key, StringComparer.Ordinal)]
                : [];
        }

        public FindingRecord Finding { get; }

        public (string Family, string GroupKey) Key { get; }

        public DateTimeOffset Start { get; }

        public DateTimeOffset End { get; }

        public bool FollowsEvidence { get; }

        /// <summary>The client addresses of its evidence lines, with how many lines each.</summary>
        public IReadOnlyList<(string Address, int Lines)> Addresses { get; }

        /// <summary>Its kept evidence, read once when needed.</summary>
        public IReadOnlyList<Evidence> Evidence => _evidence ??= FindingRecords.ReadEvidence(Finding.EvidenceJson);

        /// <summary>The places (file, line) of its evidence.</summary>
        public HashSet<(string File, long Line)> Lines => _lines ??= [.. Evidence.Select(e => (e.File, e.Line))];
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
