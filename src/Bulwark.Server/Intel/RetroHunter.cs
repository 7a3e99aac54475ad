using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Matching;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Audit;
using Bulwark.Server.Incidents;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Intel;

/// <summary>
/// When new intelligence arrives, matches it against the evidence of the findings every organisation received in the
/// last <see cref="IntelOptions.RetroHuntDays"/> days. The server keeps findings and their evidence, not logs (least
/// data kept), so only what the evidence holds can match. Each organisation's findings are read through a database
/// context of that organisation alone (query filter and row-level security), matched one upload or submission at a
/// time (<see cref="RetroHunt"/>). The findings they touch are attributed in place, and each incident holding one
/// takes its new confidence as grouping would when a finding arrives (<see cref="IncidentGrouping.TakeWorse"/>), under
/// the organisation's lock; the incidents raised then meet the auto-confirm policy as the intake's would
/// (<see cref="IncidentDecisions.ApplyPolicyAsync(Guid, IReadOnlyCollection{Guid}, CancellationToken)"/>); new intel
/// findings then go through the normal intake (idempotent on their stable ids, grouped into incidents, notices follow).
/// </summary>
public sealed partial class RetroHunter(
    TenantDatabase databases, FindingIntake intake, IncidentDecisions decisions, OrganisationLocks locks, AuditLog audit, CurrentIntel current, IOptions<IntelOptions> options,
    TimeProvider time, ILogger<RetroHunter> logger)
{
    private const int QueryChunk = 500;

    public async Task<RetroHuntOutcome?> RunAsync(IntelSet intel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intel);
        var days = options.Value.RetroHuntDays;
        if (days == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromDays(days);
        List<Guid> organisations;
        await using (var all = databases.OpenInstanceWide())
        {
            organisations = await all.Findings.Where(f => f.ReceivedAt >= since).Select(f => f.OrganisationId).Distinct().ToListAsync(ct);
        }

        var hunt = new RetroHunt(intel);
        int examined = 0, found = 0, attributed = 0, raised = 0;
        foreach (var organisation in organisations.Order())
        {
            var (seen, stored, changed, incidents) = await HuntAsync(hunt, organisation, since, now, ct);
            examined += seen;
            found += stored;
            attributed += changed;
            raised += incidents;
            if (stored + changed > 0)
            {
                await audit.AppendAsync(null, "system", "intel.retro-hunt", $"findings: {stored} new, {changed} attributed", organisation, ct);
            }
        }

        var outcome = new RetroHuntOutcome(now, since, organisations.Count, examined, found, attributed, raised);
        current.LastRetroHunt = outcome;
        LogHunted(logger, organisations.Count, examined, found, attributed, raised);
        return outcome;
    }

    private async Task<(int Examined, int Found, int Attributed, int IncidentsRaised)> HuntAsync(RetroHunt hunt, Guid organisation, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        // This organisation's context only: its query filter and, on PostgreSQL, row-level security.
        await using var db = databases.Open(organisation);
        var rows = await db.Findings.Where(f => f.ReceivedAt >= since).OrderBy(f => f.ReceivedAt).ThenBy(f => f.Id).ToListAsync(ct);
        var fresh = new List<FindingRecord>();
        var attributed = new List<(FindingRecord Row, Finding Now)>();
        // One upload (or one submission) at a time, and a person's findings apart from the organisation's: evidence
        // places are compared within a batch, and what is found about a person's account stays that person's.
        foreach (var batch in rows.GroupBy(r => (r.UploadId, Submitted: r.UploadId is null ? r.ReceivedAt.UtcTicks : 0, r.PersonId)))
        {
            var records = batch.ToList();
            var result = hunt.Hunt([.. records.Select(FindingRecords.ToFinding)]);
            var first = records[0];
            foreach (var finding in result.Found)
            {
                var record = FindingRecords.From(finding, organisation, first.Origin, first.UploadId, now);
                record.PersonId = first.PersonId;
                fresh.Add(record);
            }

            var byId = records.ToDictionary(r => r.FindingId, StringComparer.Ordinal);
            attributed.AddRange(result.Attributed.Select(f => (byId[f.Id], f)));
        }

        var raised = attributed.Count == 0 ? [] : await AttributeAsync(db, organisation, attributed, now, ct);

        // A raised incident that now meets the auto-confirm policy is confirmed as the intake would have confirmed it.
        foreach (var incident in await decisions.ApplyPolicyAsync(organisation, raised, ct))
        {
            await audit.AppendAsync(null, "policy", "incident.auto-confirm", $"incident/{incident.Id}", organisation, ct);
        }

        var stored = fresh.Count == 0 ? 0 : (await intake.StoreAsync(organisation, fresh, null, ct)).Accepted;
        return (rows.Count, stored, attributed.Count, raised.Count);
    }

    /// <summary>
    /// Writes the attribution of findings already stored and raises their incidents as grouping would have, had the
    /// finding arrived as it is now: one unit of work under the organisation's lock (grouping and decisions wait), the
    /// incident read as it is then (an analyst may have merged it since the findings were read). Dismissed and merged
    /// incidents are left as they are, as grouping leaves them. Returns the incidents that changed.
    /// </summary>
    private async Task<HashSet<Guid>> AttributeAsync(BulwarkDbContext db, Guid organisation, List<(FindingRecord Row, Finding Now)> attributed, DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await locks.AcquireAsync(organisation, ct);
        await using var transaction = await OrganisationLocks.BeginLockedAsync(db, organisation, ct);
        var incidentOf = new Dictionary<Guid, Guid>();
        foreach (var chunk in attributed.Select(a => a.Row.Id).Chunk(QueryChunk))
        {
            foreach (var row in await db.Findings.Where(f => chunk.Contains(f.Id) && f.IncidentId != null).Select(f => new { f.Id, f.IncidentId }).ToListAsync(ct))
            {
                incidentOf[row.Id] = row.IncidentId!.Value;
            }
        }

        var incidents = new Dictionary<Guid, Incident>();
        foreach (var chunk in incidentOf.Values.Distinct().Chunk(QueryChunk))
        {
            foreach (var incident in await db.Incidents
                .Where(i => chunk.Contains(i.Id) && (i.Status == IncidentStatus.Unconfirmed || i.Status == IncidentStatus.Confirmed))
                .ToListAsync(ct))
            {
                incidents[incident.Id] = incident;
            }
        }

        var raised = new HashSet<Guid>();
        foreach (var (row, finding) in attributed)
        {
            row.AttributionJson = FindingRecords.AttributionJson(finding.Attribution);
            row.Tlp = finding.Tlp;
            row.Confidence = finding.Confidence;
            if (incidentOf.TryGetValue(row.Id, out var id) && incidents.TryGetValue(id, out var incident)
                && IncidentGrouping.TakeWorse(incident, row.Title, row.Severity, row.Confidence))
            {
                incident.UpdatedAt = now;
                raised.Add(id);
            }
        }

        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return raised;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retro-hunt: {Organisations} organisations, {Examined} findings matched again, {Found} new intel findings, {Attributed} attributed, {IncidentsRaised} incidents raised")]
    private static partial void LogHunted(ILogger logger, int organisations, int examined, int found, int attributed, int incidentsRaised);
}
