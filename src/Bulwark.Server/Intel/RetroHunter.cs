using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Matching;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Audit;
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
/// time (<see cref="RetroHunt"/>); new intel findings go through the normal intake (idempotent on their stable ids,
/// grouped into incidents, notices follow) and the findings they touch are attributed in place.
/// </summary>
public sealed partial class RetroHunter(
    TenantDatabase databases, FindingIntake intake, AuditLog audit, CurrentIntel current, IOptions<IntelOptions> options, TimeProvider time, ILogger<RetroHunter> logger)
{
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
        int examined = 0, found = 0, attributed = 0;
        foreach (var organisation in organisations.Order())
        {
            var (seen, stored, changed) = await HuntAsync(hunt, organisation, since, now, ct);
            examined += seen;
            found += stored;
            attributed += changed;
            if (stored + changed > 0)
            {
                await audit.AppendAsync(null, "system", "intel.retro-hunt", $"findings: {stored} new, {changed} attributed", organisation, ct);
            }
        }

        var outcome = new RetroHuntOutcome(now, since, organisations.Count, examined, found, attributed);
        current.LastRetroHunt = outcome;
        LogHunted(logger, organisations.Count, examined, found, attributed);
        return outcome;
    }

    private async Task<(int Examined, int Found, int Attributed)> HuntAsync(RetroHunt hunt, Guid organisation, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        // This organisation's context only: its query filter and, on PostgreSQL, row-level security.
        await using var db = databases.Open(organisation);
        var rows = await db.Findings.Where(f => f.ReceivedAt >= since).OrderBy(f => f.ReceivedAt).ThenBy(f => f.Id).ToListAsync(ct);
        var fresh = new List<FindingRecord>();
        var changed = 0;
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
            foreach (var finding in result.Attributed)
            {
                var row = byId[finding.Id];
                row.AttributionJson = FindingRecords.AttributionJson(finding.Attribution);
                row.Tlp = finding.Tlp;
                row.Confidence = finding.Confidence;
                changed++;
            }
        }

        await db.SaveChangesAsync(ct);
        var stored = fresh.Count == 0 ? 0 : (await intake.StoreAsync(organisation, fresh, null, ct)).Accepted;
        return (rows.Count, stored, changed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retro-hunt: {Organisations} organisations, {Examined} findings matched again, {Found} new intel findings, {Attributed} attributed")]
    private static partial void LogHunted(ILogger logger, int organisations, int examined, int found, int attributed);
}
