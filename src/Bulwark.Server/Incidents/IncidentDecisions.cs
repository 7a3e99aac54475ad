using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Server.Notification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Confirms and dismisses incidents, by an analyst or by the auto-confirm policy. A confirmation hands the
/// incident to the notice issuer in the same unit of work, so the decision and its notices commit together.
/// </summary>
public sealed partial class IncidentDecisions(
    BulwarkDbContext db,
    IServiceProvider services,
    OrganisationLocks locks,
    BulwarkMetrics metrics,
    IOptions<IncidentPolicyOptions> options,
    TimeProvider time,
    ILogger<IncidentDecisions> logger)
{
    public enum Outcome
    {
        Decided,
        NotFound,
        AlreadyDecided,
    }

    public enum MergeOutcome
    {
        Merged,

        /// <summary>The incident to merge into does not exist (or the caller cannot see it).</summary>
        NotFound,

        /// <summary>The incident to merge from does not exist (or the caller cannot see it).</summary>
        SourceNotFound,

        SameIncident,

        /// <summary>The two incidents belong to different organisations: never merged.</summary>
        OtherOrganisation,

        /// <summary>One is about a person's personal accounts and the other not (or another person's): never merged.</summary>
        OtherPerson,

        /// <summary>Either incident is no longer unconfirmed.</summary>
        AlreadyDecided,
    }

    /// <summary>An analyst's edits of the organisation's notice; a null part keeps the generated text.</summary>
    public sealed record NoticeEdits(string? Title, string? Summary, string? Remediation)
    {
        public static readonly NoticeEdits None = new(null, null, null);
    }

    /// <summary>
    /// Applies the auto-confirm policy to incidents just created or grown (tracked, not yet saved); returns the
    /// ones it confirmed. The caller saves, then audits them.
    /// </summary>
    public async Task<IReadOnlyList<Incident>> ApplyPolicyAsync(IEnumerable<Incident> changed, CancellationToken ct)
    {
        var policy = options.Value;
        if (!policy.AutoConfirm)
        {
            return [];
        }

        var confirmed = new List<Incident>();
        foreach (var incident in changed)
        {
            if (incident.Status != IncidentStatus.Unconfirmed
                || incident.Severity < policy.AutoConfirmMinimumSeverity
                || incident.Confidence < policy.AutoConfirmMinimumConfidence)
            {
                continue;
            }

            var now = time.GetUtcNow();
            incident.Status = IncidentStatus.Confirmed;
            incident.DecidedBy = null;
            incident.DecidedAt = now;
            incident.UpdatedAt = now;
            incident.DecisionReason = PolicyReason(policy, incident);
            await IssueNoticesAsync(incident, ct);
            confirmed.Add(incident);
        }

        return confirmed;
    }

    /// <summary>
    /// Applies the auto-confirm policy to incidents of <paramref name="organisationId"/> that changed outside the
    /// intake (a retro-hunt's attribution raised them, with no new finding to carry them through grouping): read as they
    /// are now under the organisation's lock, then confirmed and saved with their notices in one unit of work. Returns
    /// the ones it confirmed; the caller audits them.
    /// </summary>
    public async Task<IReadOnlyList<Incident>> ApplyPolicyAsync(Guid organisationId, IReadOnlyCollection<Guid> changed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (!options.Value.AutoConfirm || changed.Count == 0)
        {
            return [];
        }

        using var _ = await locks.AcquireAsync(organisationId, ct);
        await using var transaction = await OrganisationLocks.BeginLockedAsync(db, organisationId, ct);

        // A query hands back an incident this context already tracks as it was then; those are read again.
        foreach (var entry in db.ChangeTracker.Entries<Incident>().Where(e => changed.Contains(e.Entity.Id)).ToList())
        {
            await entry.ReloadAsync(ct);
        }

        var incidents = new List<Incident>();
        foreach (var chunk in changed.Chunk(500))
        {
            incidents.AddRange(await db.Incidents.Where(i => i.OrganisationId == organisationId && chunk.Contains(i.Id)).ToListAsync(ct));
        }

        var confirmed = await ApplyPolicyAsync(incidents, ct);
        if (confirmed.Count == 0)
        {
            return confirmed;
        }

        var adding = BulwarkMetrics.Adding(db);
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        metrics.Committed(adding);
        return confirmed;
    }

    /// <summary>
    /// An analyst's decision. Only an unconfirmed incident can be decided; the status check and the change are one
    /// conditional update inside the transaction that also stores the notices, so two analysts cannot both win.
    /// </summary>
    public async Task<(Outcome Outcome, Incident? Incident)> DecideAsync(Guid id, IncidentStatus decision, string? reason, Guid? decidedBy, CancellationToken ct) =>
        await DecideAsync(id, decision, reason, NoticeEdits.None, decidedBy, ct);

    /// <summary>
    /// As above; a confirmation stores <paramref name="notice"/> (the analyst's text for the organisation's notice) on the
    /// incident in the same conditional update, so the notices issued with it carry that text.
    /// </summary>
    public async Task<(Outcome Outcome, Incident? Incident)> DecideAsync(Guid id, IncidentStatus decision, string? reason, NoticeEdits notice, Guid? decidedBy, CancellationToken ct)
    {
        if (decision is not (IncidentStatus.Confirmed or IncidentStatus.Dismissed))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "an analyst confirms or dismisses");
        }

        ArgumentNullException.ThrowIfNull(notice);
        var edits = decision == IncidentStatus.Confirmed ? notice : NoticeEdits.None;
        var organisationId = await db.Incidents.Where(i => i.Id == id).Select(i => (Guid?)i.OrganisationId).FirstOrDefaultAsync(ct);
        if (organisationId is null)
        {
            return (Outcome.NotFound, null);
        }

        using var _ = await locks.AcquireAsync(organisationId.Value, ct);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await OrganisationLocks.LockInTransactionAsync(db, organisationId.Value, ct);
        var claimed = await db.Incidents
            .Where(i => i.Id == id && i.Status == IncidentStatus.Unconfirmed)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, decision)
                    .SetProperty(i => i.DecidedBy, decidedBy)
                    .SetProperty(i => i.DecidedAt, now)
                    .SetProperty(i => i.DecisionReason, reason)
                    .SetProperty(i => i.NoticeTitle, edits.Title)
                    .SetProperty(i => i.NoticeSummary, edits.Summary)
                    .SetProperty(i => i.NoticeRemediation, edits.Remediation)
                    .SetProperty(i => i.UpdatedAt, now),
                ct);
        var incident = await db.Incidents.FirstAsync(i => i.Id == id, ct);
        if (claimed == 0)
        {
            return (Outcome.AlreadyDecided, incident);
        }

        if (decision == IncidentStatus.Confirmed)
        {
            await IssueNoticesAsync(incident, ct);
        }

        var adding = BulwarkMetrics.Adding(db);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        metrics.Committed(adding);
        return (Outcome.Decided, incident);
    }

    /// <summary>
    /// Merges <paramref name="fromId"/> into <paramref name="intoId"/> (ADR 12): both unconfirmed, of the same organisation and
    /// the same person (or none). The findings move; the span, title, severity and confidence become the worst of both; the
    /// merged incident becomes <see cref="IncidentStatus.Merged"/> with <see cref="Incident.MergedIntoId"/> and the reason
    /// "merged into {id}". Incidents merged earlier into the source follow it. One transaction under the organisation's lock;
    /// both status checks are conditional updates, so a concurrent decision on either incident wins cleanly.
    /// </summary>
    public async Task<(MergeOutcome Outcome, Incident? Into, int Moved)> MergeAsync(Guid intoId, Guid fromId, Guid? decidedBy, CancellationToken ct)
    {
        var pair = await db.Incidents.Where(i => i.Id == intoId || i.Id == fromId)
            .Select(i => new { i.Id, i.OrganisationId, i.PersonId }).ToListAsync(ct);
        var into = pair.FirstOrDefault(i => i.Id == intoId);
        var from = pair.FirstOrDefault(i => i.Id == fromId);
        if (into is null)
        {
            return (MergeOutcome.NotFound, null, 0);
        }

        if (intoId == fromId)
        {
            return (MergeOutcome.SameIncident, null, 0);
        }

        if (from is null)
        {
            return (MergeOutcome.SourceNotFound, null, 0);
        }

        if (from.OrganisationId != into.OrganisationId)
        {
            return (MergeOutcome.OtherOrganisation, null, 0);
        }

        if (from.PersonId != into.PersonId)
        {
            return (MergeOutcome.OtherPerson, null, 0);
        }

        var org = into.OrganisationId;
        using var _ = await locks.AcquireAsync(org, ct);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await OrganisationLocks.LockInTransactionAsync(db, org, ct);
        var reason = MergedReason(intoId);
        var claimed = await db.Incidents
            .Where(i => i.Id == fromId && i.OrganisationId == org && i.Status == IncidentStatus.Unconfirmed)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, IncidentStatus.Merged)
                    .SetProperty(i => i.MergedIntoId, intoId)
                    .SetProperty(i => i.DecidedBy, decidedBy)
                    .SetProperty(i => i.DecidedAt, now)
                    .SetProperty(i => i.DecisionReason, reason)
                    .SetProperty(i => i.UpdatedAt, now),
                ct);
        var target = await db.Incidents.FirstAsync(i => i.Id == intoId, ct);
        if (claimed == 0 || target.Status != IncidentStatus.Unconfirmed)
        {
            return (MergeOutcome.AlreadyDecided, target, 0);
        }

        var moved = await db.Findings.Where(f => f.IncidentId == fromId && f.OrganisationId == org)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.IncidentId, intoId), ct);
        await db.Incidents.Where(i => i.MergedIntoId == fromId && i.OrganisationId == org)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.MergedIntoId, intoId), ct);

        var findings = await db.Findings.AsNoTracking().Where(f => f.IncidentId == intoId && f.OrganisationId == org)
            .Select(f => new { f.Title, f.Severity, f.Confidence, f.FirstSeen, f.LastSeen, f.ReceivedAt }).ToListAsync(ct);
        var source = await db.Incidents.AsNoTracking().FirstAsync(i => i.Id == fromId, ct);
        target.FirstSeen = Earliest(Earliest(target.FirstSeen, source.FirstSeen), findings.Select(f => f.FirstSeen ?? f.LastSeen).Min());
        target.LastSeen = Latest(Latest(target.LastSeen, source.LastSeen), findings.Select(f => f.LastSeen ?? f.FirstSeen).Max());
        IncidentGrouping.TakeWorse(target, source.Title, source.Severity, source.Confidence);

        target.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (MergeOutcome.Merged, target, moved);
    }

    /// <summary>The reason a merged incident carries.</summary>
    public static string MergedReason(Guid intoId) => $"merged into {intoId}";

    /// <summary>
    /// The organisation's notice the built-in issuer would write for <paramref name="incident"/> now, without the
    /// analyst's edits; null when the organisation would get none. Stores nothing.
    /// </summary>
    public Task<NoticeContent?> PreviewNoticeAsync(Incident incident, CancellationToken ct) =>
        new NoticeIssuer(db, time).PreviewOrganisationAsync(incident, ct);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    public static string PolicyReason(IncidentPolicyOptions policy, Incident incident) =>
        $"auto-confirmed by policy (Incidents:AutoConfirm): severity {incident.Severity.ToText()} meets {policy.AutoConfirmMinimumSeverity.ToText()}, confidence {incident.Confidence.ToText()} meets {policy.AutoConfirmMinimumConfidence.ToText()}";

    /// <summary>
    /// The notices module implements <see cref="INoticeIssuer"/>; until it registers one, confirmations are recorded
    /// without notices (resolved here, not injected, so this module does not depend on that registration).
    /// </summary>
    private async Task IssueNoticesAsync(Incident incident, CancellationToken ct)
    {
        if (services.GetService<INoticeIssuer>() is { } issuer)
        {
            await issuer.IssueAsync(incident, ct);
        }
        else
        {
            LogNoIssuer(logger, incident.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} confirmed without notices: no INoticeIssuer is registered")]
    private static partial void LogNoIssuer(ILogger logger, Guid incidentId);
}
