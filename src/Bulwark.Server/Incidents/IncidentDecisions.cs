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
    /// An analyst's decision. Only an unconfirmed incident can be decided; the status check and the change are one
    /// conditional update inside the transaction that also stores the notices, so two analysts cannot both win.
    /// </summary>
    public async Task<(Outcome Outcome, Incident? Incident)> DecideAsync(Guid id, IncidentStatus decision, string? reason, Guid? decidedBy, CancellationToken ct)
    {
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
