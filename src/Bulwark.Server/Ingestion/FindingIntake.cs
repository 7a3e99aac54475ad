using Bulwark.Data;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Audit;
using Bulwark.Server.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Stores an organisation's findings from either path (upload scan, submission): skips the ones already stored
/// (idempotent on the organisation and the finding's stable id), groups the new ones into incidents, applies the
/// auto-confirm policy, then saves once, so findings, incidents, decisions and notices commit together.
/// </summary>
public sealed class FindingIntake(BulwarkDbContext db, IncidentGrouper grouper, IncidentDecisions decisions, OrganisationLocks locks, AuditLog audit, BulwarkMetrics metrics)
{
    private const int QueryChunk = 500;
    private const int Attempts = 3;

    public sealed record Result(int Accepted, int Duplicates, int IncidentsChanged);

    /// <param name="alsoSave">Changes of the caller's to commit in the same transaction (e.g. the upload's outcome);
    /// run again if the save is retried, after the change tracker was cleared.</param>
    public async Task<Result> StoreAsync(Guid organisationId, IReadOnlyList<FindingRecord> candidates, Func<CancellationToken, Task>? alsoSave, CancellationToken ct)
    {
        using var _ = await locks.AcquireAsync(organisationId, ct);
        for (var attempt = 1; ; attempt++)
        {
            // Other instances on the same PostgreSQL database wait here too, before anything is read (ADR 7).
            await using var transaction = await OrganisationLocks.BeginLockedAsync(db, organisationId, ct);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in candidates.Select(c => c.FindingId).Distinct(StringComparer.Ordinal).Chunk(QueryChunk))
            {
                seen.UnionWith(await db.Findings
                    .Where(f => f.OrganisationId == organisationId && chunk.Contains(f.FindingId))
                    .Select(f => f.FindingId)
                    .ToListAsync(ct));
            }

            var fresh = new List<FindingRecord>();
            foreach (var candidate in candidates)
            {
                if (seen.Add(candidate.FindingId))
                {
                    candidate.IncidentId = null;
                    fresh.Add(candidate);
                }
            }

            db.Findings.AddRange(fresh);
            var changed = await grouper.GroupAsync(organisationId, fresh, ct);
            var confirmed = await decisions.ApplyPolicyAsync(changed, ct);
            if (alsoSave is not null)
            {
                await alsoSave(ct);
            }

            var adding = BulwarkMetrics.Adding(db);
            try
            {
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another instance stored some of these findings first (unique organisation + finding id): start over.
                db.ChangeTracker.Clear();
                continue;
            }

            metrics.Committed(adding);
            foreach (var origin in fresh.GroupBy(f => f.Origin))
            {
                metrics.FindingsIngested(origin.Key, origin.Count());
            }

            foreach (var incident in confirmed)
            {
                await audit.AppendAsync(null, "policy", "incident.auto-confirm", $"incident/{incident.Id}", incident.OrganisationId, ct);
            }

            return new Result(fresh.Count, candidates.Count - fresh.Count, changed.Count);
        }
    }
}
