using System.Data.Common;
using System.Net.Sockets;
using System.Security.Authentication;
using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Notification;
using Bulwark.Server.Storage;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Notification;

/// <summary>
/// One pass of the outbox: escalates unacknowledged critical notices, then leases due deliveries, sends them and
/// records the outcome. A lease is a conditional update (pending, due, not leased or lease expired), so two
/// workers never hold the same row; a worker that dies mid-send leaves a lease that runs out, and the row is sent
/// again with the same idempotency key, which the receiver recognises. Outcomes are written only while the lease
/// is still this worker's.
/// </summary>
public sealed partial class DeliveryDispatcher(
    TenantDatabase databases,
    IEmailSender email,
    WebhookSender webhooks,
    IOptions<NotificationOptions> options,
    IOptions<SmtpOptions> smtp,
    TimeProvider time,
    IJitterSource jitter,
    BulwarkMetrics metrics,
    ILogger<DeliveryDispatcher> logger)
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromHours(1);

    private NotificationOptions Options => options.Value;

    /// <summary>Runs one pass; returns how many due deliveries it found (a full batch means more may be waiting).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var db = databases.OpenInstanceWide();
        await EscalateAsync(db, ct);

        var now = time.GetUtcNow();
        var due = Due(db, now);
        if (!smtp.Value.Enabled)
        {
            // Without SMTP, emails wait in the outbox (nothing is lost) until it is configured.
            due = due.Where(d => d.Channel != DeliveryChannel.Email);
        }

        var ids = await due.OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(Options.BatchSize).ToListAsync(ct);
        foreach (var id in ids)
        {
            await ProcessAsync(db, id, ct);
        }

        return ids.Count;
    }

    private static IQueryable<Delivery> Due(BulwarkDbContext db, DateTimeOffset now) =>
        db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeasedUntil == null || d.LeasedUntil <= now));

    private async Task ProcessAsync(BulwarkDbContext db, Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Whole milliseconds: both databases keep them exactly, so the lease can be compared for equality later.
        var lease = Millisecond(now + Options.LeaseTime);
        var leased = await Due(db, now).Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeasedUntil, lease), ct);
        if (leased == 0)
        {
            return;
        }

        var delivery = await db.Deliveries.AsNoTracking().FirstAsync(d => d.Id == id, ct);
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == delivery.NoticeId, ct);
        var outcome = notice is null
            ? Outcome.Suppress("the notice no longer exists")
            : await DeduplicateAsync(db, delivery, notice, now, ct)
                ?? await HoldAsync(db, delivery, notice, now, ct)
                ?? await TrySendAsync(db, delivery, notice, now, ct);
        await RecordAsync(db, delivery, lease, outcome, ct);
    }

    /// <summary>Suppresses a delivery when the recipient was already told about the same incident within the window.</summary>
    private async Task<Outcome?> DeduplicateAsync(BulwarkDbContext db, Delivery delivery, Notice notice, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Options.DedupWindow;
        var earlier = await db.Deliveries.AsNoTracking()
            .Where(d => d.Id != delivery.Id && d.Channel == delivery.Channel && d.Recipient == delivery.Recipient
                && d.Status == DeliveryStatus.Sent && d.SentAt > since)
            .Join(db.Notices.Where(n => n.IncidentId == notice.IncidentId), d => d.NoticeId, n => n.Id, (d, n) => new { d.NoticeId, d.SentAt })
            .ToListAsync(ct);
        if (earlier.Count == 0)
        {
            return null;
        }

        var first = earlier.OrderBy(e => e.SentAt).First();
        return Outcome.Suppress($"duplicate: this recipient was told about the same incident at {first.SentAt:O} (notice {first.NoticeId})");
    }

    /// <summary>Holds an email while the recipient has had the hourly maximum; critical notices are never held.</summary>
    private async Task<Outcome?> HoldAsync(BulwarkDbContext db, Delivery delivery, Notice notice, DateTimeOffset now, CancellationToken ct)
    {
        if (delivery.Channel != DeliveryChannel.Email || notice.Severity == Severity.Critical)
        {
            return null;
        }

        var since = now - RateWindow;
        var recent = await db.Deliveries.AsNoTracking()
            .Where(d => d.Channel == DeliveryChannel.Email && d.Recipient == delivery.Recipient && d.Status == DeliveryStatus.Sent && d.SentAt > since)
            .Select(d => d.SentAt!.Value)
            .ToListAsync(ct);
        var limit = Options.MaxEmailsPerRecipientPerHour;
        if (recent.Count < limit)
        {
            return null;
        }

        // The window allows one more once enough of the recent sends are an hour old.
        var until = recent.Order().ElementAt(recent.Count - limit) + RateWindow;
        return Outcome.Hold(until, $"held: {limit} emails already went to this recipient in the past hour; next attempt at {until:O}");
    }

    private async Task<Outcome> TrySendAsync(BulwarkDbContext db, Delivery delivery, Notice notice, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            return await SendAsync(db, delivery, notice, now, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not DbException)
        {
            // A shutdown mid-send is not a failure: the lease runs out and the row is sent again.
            return Outcome.Fail(Describe(e));
        }
    }

    private async Task<Outcome> SendAsync(BulwarkDbContext db, Delivery delivery, Notice notice, DateTimeOffset now, CancellationToken ct)
    {
        switch (delivery.Channel)
        {
            case DeliveryChannel.Email:
                {
                    var (language, escalated) = await RecipientAsync(db, delivery, notice, ct);
                    var message = NoticeEmail.Create(notice, delivery.Recipient, delivery.IdempotencyKey, EmailTexts.For(language), escalated, smtp.Value, now);
                    await email.SendAsync(message, ct);
                    return Outcome.Sent;
                }

            case DeliveryChannel.Webhook:
                {
                    var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId, ct);
                    if (webhook is null || webhook.DisabledAt is not null)
                    {
                        return Outcome.Suppress("the webhook was disabled or removed");
                    }

                    await webhooks.SendAsync(webhook, notice, delivery.IdempotencyKey, ct);
                    return Outcome.Sent;
                }

            default:
                return Outcome.Suppress($"unknown channel {delivery.Channel}");
        }
    }

    /// <summary>The recipient's language, and whether this email is an escalation (a contact after the first).</summary>
    private static async Task<(string? Language, bool Escalated)> RecipientAsync(BulwarkDbContext db, Delivery delivery, Notice notice, CancellationToken ct)
    {
        if (notice.Audience == NoticeAudience.Person)
        {
            var language = await db.People.AsNoTracking().Where(p => p.Id == notice.PersonId).Select(p => p.Language).FirstOrDefaultAsync(ct);
            return (language, false);
        }

        var contacts = await db.NoticeContacts.AsNoTracking()
            .Where(c => c.OrganisationId == delivery.OrganisationId)
            .Select(c => new { c.Email, c.Language, c.EscalationOrder })
            .ToListAsync(ct);
        var contact = contacts.Where(c => DeliveryKeys.NormaliseAddress(c.Email) == delivery.Recipient).OrderBy(c => c.EscalationOrder).FirstOrDefault();
        return (contact?.Language, contact is { EscalationOrder: > 0 });
    }

    private async Task RecordAsync(BulwarkDbContext db, Delivery delivery, DateTimeOffset lease, Outcome outcome, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var mine = db.Deliveries.Where(d => d.Id == delivery.Id && d.LeasedUntil == lease && d.Status == DeliveryStatus.Pending);
        int written;
        switch (outcome.Kind)
        {
            case OutcomeKind.Sent:
                written = await mine.ExecuteUpdateAsync(
                    s => s.SetProperty(d => d.Status, DeliveryStatus.Sent)
                        .SetProperty(d => d.SentAt, now)
                        .SetProperty(d => d.Attempts, delivery.Attempts + 1)
                        .SetProperty(d => d.LastError, (string?)null)
                        .SetProperty(d => d.LeasedUntil, (DateTimeOffset?)null),
                    CancellationToken.None);
                Count(written, delivery.Channel, "sent");
                LogSent(logger, delivery.Id, delivery.Channel, delivery.NoticeId, delivery.Attempts + 1);
                break;

            case OutcomeKind.Failed:
                {
                    var attempts = delivery.Attempts + 1;
                    var dead = attempts >= Options.MaxAttempts;
                    var next = dead ? delivery.NextAttemptAt : now + Backoff(attempts);
                    written = await mine.ExecuteUpdateAsync(
                        s => s.SetProperty(d => d.Status, dead ? DeliveryStatus.DeadLetter : DeliveryStatus.Pending)
                            .SetProperty(d => d.Attempts, attempts)
                            .SetProperty(d => d.NextAttemptAt, next)
                            .SetProperty(d => d.LastError, outcome.Reason)
                            .SetProperty(d => d.LeasedUntil, (DateTimeOffset?)null),
                        CancellationToken.None);
                    Count(written, delivery.Channel, dead ? "dead" : "retry");
                    if (dead)
                    {
                        LogDeadLettered(logger, delivery.Id, delivery.Channel, delivery.NoticeId, attempts, outcome.Reason!);
                    }
                    else
                    {
                        LogFailed(logger, delivery.Id, delivery.Channel, attempts, outcome.Reason!, next);
                    }

                    break;
                }

            case OutcomeKind.Suppressed:
                written = await mine.ExecuteUpdateAsync(
                    s => s.SetProperty(d => d.Status, DeliveryStatus.Suppressed)
                        .SetProperty(d => d.LastError, outcome.Reason)
                        .SetProperty(d => d.LeasedUntil, (DateTimeOffset?)null),
                    CancellationToken.None);
                LogSuppressed(logger, delivery.Id, delivery.NoticeId, outcome.Reason!);
                break;

            default:
                written = await mine.ExecuteUpdateAsync(
                    s => s.SetProperty(d => d.NextAttemptAt, outcome.Until!.Value)
                        .SetProperty(d => d.LastError, outcome.Reason)
                        .SetProperty(d => d.LeasedUntil, (DateTimeOffset?)null),
                    CancellationToken.None);
                LogHeld(logger, delivery.Id, outcome.Until!.Value);
                break;
        }

        if (written == 0)
        {
            // The lease ran out during the send and another worker took the row: it records the outcome.
            LogLeaseLost(logger, delivery.Id);
        }
    }

    /// <summary>Counts an attempt's outcome once this worker has recorded it (not when the lease was lost).</summary>
    private void Count(int written, DeliveryChannel channel, string outcome)
    {
        if (written > 0)
        {
            metrics.Delivery(channel, outcome);
        }
    }

    /// <summary>Exponential backoff after the n-th failed attempt, plus up to half again of random jitter, capped.</summary>
    internal TimeSpan Backoff(int failedAttempts)
    {
        var exponential = Options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var withJitter = exponential * (1 + (0.5 * jitter.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(withJitter, Options.MaxBackoff.TotalMilliseconds));
    }

    /// <summary>
    /// Sends a critical organisation notice that nobody acknowledged within the delay after its last email to the
    /// contacts of the next escalation order, and raises its escalation level (one transaction: both or neither).
    /// </summary>
    private async Task EscalateAsync(BulwarkDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var delay = Options.EscalationDelay;
        var dueBefore = now - delay;
        var horizon = now - TimeSpan.FromDays(30);
        var candidates = await db.Notices.AsNoTracking()
            .Where(n => n.Audience == NoticeAudience.Organisation && n.Severity == Severity.Critical && n.AcknowledgedAt == null
                && n.CreatedAt <= dueBefore && n.CreatedAt > horizon)
            .OrderBy(n => n.CreatedAt)
            .Take(100)
            .ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return;
        }

        var ids = candidates.Select(n => n.Id).ToList();
        var lastEmail = (await db.Deliveries.AsNoTracking()
                .Where(d => ids.Contains(d.NoticeId) && d.Channel == DeliveryChannel.Email)
                .Select(d => new { d.NoticeId, d.CreatedAt })
                .ToListAsync(ct))
            .GroupBy(d => d.NoticeId)
            .ToDictionary(g => g.Key, g => g.Max(d => d.CreatedAt));
        var orgs = candidates.Select(n => n.OrganisationId).Distinct().ToList();
        var contacts = await db.NoticeContacts.AsNoTracking().Where(c => orgs.Contains(c.OrganisationId)).ToListAsync(ct);

        foreach (var notice in candidates)
        {
            var since = lastEmail.TryGetValue(notice.Id, out var last) ? last : notice.CreatedAt;
            var next = contacts.Where(c => c.OrganisationId == notice.OrganisationId && c.EscalationOrder > notice.EscalationLevel).ToList();
            if (since + delay > now || next.Count == 0)
            {
                continue;
            }

            var order = next.Min(c => c.EscalationOrder);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var claimed = await db.Notices
                .Where(n => n.Id == notice.Id && n.EscalationLevel == notice.EscalationLevel && n.AcknowledgedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.EscalationLevel, order), ct);
            if (claimed == 0)
            {
                continue;
            }

            foreach (var contact in next.Where(c => c.EscalationOrder == order))
            {
                var address = DeliveryKeys.NormaliseAddress(contact.Email);
                var key = DeliveryKeys.Email(notice.Id, address);
                if (await db.Deliveries.AnyAsync(d => d.IdempotencyKey == key, ct) || db.ChangeTracker.Entries<Delivery>().Any(e => e.Entity.IdempotencyKey == key))
                {
                    continue;
                }

                db.Deliveries.Add(new Delivery
                {
                    Id = Guid.CreateVersion7(now),
                    OrganisationId = notice.OrganisationId,
                    NoticeId = notice.Id,
                    Channel = DeliveryChannel.Email,
                    Recipient = address,
                    IdempotencyKey = key,
                    Status = DeliveryStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            LogEscalated(logger, notice.Id, order);
        }
    }

    /// <summary>What went wrong, without addresses, hosts or message text that could carry them.</summary>
    internal static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } h when h.Message.Contains("private, loopback", StringComparison.Ordinal) => "refused: " + h.Message,
        HttpRequestException { InnerException: SocketException s } => $"connection failed ({s.SocketErrorCode})",
        HttpRequestException h => $"HTTP request failed ({h.HttpRequestError})",
        SmtpCommandException s => $"SMTP {(int)s.StatusCode} ({s.ErrorCode})",
        SmtpProtocolException => "SMTP protocol error",
        AuthenticationException => "authentication or TLS failed",
        ServiceNotAuthenticatedException => "SMTP authentication failed",
        SocketException s => $"connection failed ({s.SocketErrorCode})",
        TimeoutException or OperationCanceledException => "timed out",
        _ => e.GetType().Name,
    };

    private static DateTimeOffset Millisecond(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private enum OutcomeKind
    {
        Sent,
        Failed,
        Suppressed,
        Held,
    }

    private sealed record Outcome(OutcomeKind Kind, string? Reason = null, DateTimeOffset? Until = null)
    {
        public static readonly Outcome Sent = new(OutcomeKind.Sent);

        public static Outcome Fail(string reason) => new(OutcomeKind.Failed, reason);

        public static Outcome Suppress(string reason) => new(OutcomeKind.Suppressed, reason);

        public static Outcome Hold(DateTimeOffset until, string reason) => new(OutcomeKind.Held, reason, until);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {DeliveryId} ({Channel}) of notice {NoticeId} at attempt {Attempt}")]
    private static partial void LogSent(ILogger logger, Guid deliveryId, DeliveryChannel channel, Guid noticeId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Channel}) failed at attempt {Attempt}: {Error}; next attempt at {NextAttemptAt}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, DeliveryChannel channel, int attempt, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} ({Channel}) of notice {NoticeId} dead-lettered after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, Guid deliveryId, DeliveryChannel channel, Guid noticeId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} of notice {NoticeId} suppressed: {Reason}")]
    private static partial void LogSuppressed(ILogger logger, Guid deliveryId, Guid noticeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} held by the per-recipient rate limit until {Until}")]
    private static partial void LogHeld(ILogger logger, Guid deliveryId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: the lease ran out during the send; another worker records the outcome")]
    private static partial void LogLeaseLost(ILogger logger, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} is critical and unacknowledged: escalated to the contacts of order {Order}")]
    private static partial void LogEscalated(ILogger logger, Guid noticeId, int order);
}
