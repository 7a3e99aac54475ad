using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Notification;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Notification;

/// <summary>
/// Issues notices for a confirmed incident: one for the organisation (unless the incident is only about personal
/// accounts whose owners did not let the organisation see them) and one per affected person, each from the
/// findings that audience may see. Queues their deliveries in the same context; the caller saves.
/// </summary>
/// <remarks>
/// Uses the request's (scope's) <see cref="BulwarkDbContext"/>: resolve it and this issuer from the same scope.
/// Reads ignore the tenant filter but are limited to the incident's organisation explicitly, so a background
/// caller whose context sees no tenant still gets the incident's findings and no other organisation's.
/// Findings attached to the incident in the caller's unsaved unit of work count too.
/// </remarks>
public sealed class NoticeIssuer(BulwarkDbContext db, TimeProvider time) : INoticeIssuer
{
    /// <summary>The consent scope prefix the membership module records (<c>organisation-may-view:{accountId}</c>).</summary>
    public const string OrganisationViewConsent = "organisation-may-view:";

    public async Task IssueAsync(Incident incident, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var org = incident.OrganisationId;
        var now = time.GetUtcNow();
        var plan = await PlanAsync(incident, ct);
        if (plan.Organisation is { } content)
        {
            var notice = Add(incident, NoticeAudience.Organisation, null, WithAnalystText(incident, content), now);
            var contacts = await db.NoticeContacts.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.OrganisationId == org && c.EscalationOrder == 0).OrderBy(c => c.Email).ToListAsync(ct);
            foreach (var contact in contacts)
            {
                QueueEmail(notice, contact.Email, now);
            }

            var webhooks = await db.Webhooks.IgnoreQueryFilters().AsNoTracking()
                .Where(w => w.OrganisationId == org && w.DisabledAt == null).OrderBy(w => w.CreatedAt).ToListAsync(ct);
            foreach (var webhook in webhooks)
            {
                Queue(notice, DeliveryChannel.Webhook, webhook.Id.ToString(), webhook.Id, DeliveryKeys.Webhook(notice.Id, webhook.Id), now);
            }
        }

        if (plan.People.Count == 0)
        {
            return;
        }

        var personIds = plan.People.Select(p => p.PersonId).ToList();
        var people = await db.People.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.OrganisationId == org && personIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        foreach (var (personId, own) in plan.People)
        {
            var notice = Add(incident, NoticeAudience.Person, personId, own, now);
            if (people.TryGetValue(personId, out var person) && person.ErasedAt is null && !string.IsNullOrWhiteSpace(person.WorkEmail))
            {
                QueueEmail(notice, person.WorkEmail, now);
            }
        }
    }

    /// <summary>
    /// The organisation's notice as it would be generated now, before any analyst's edit (the text an analyst's
    /// confirm form starts from); null when the incident would give the organisation no notice (personal accounts
    /// whose owners keep them private). Stores nothing.
    /// </summary>
    public async Task<NoticeContent?> PreviewOrganisationAsync(Incident incident, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return (await PlanAsync(incident, ct)).Organisation;
    }

    /// <summary>
    /// The analyst's edits (ADR 12) replace the generated title, summary and steps of the organisation's notice only:
    /// a person's notice speaks of their own account alone and keeps its generated text.
    /// </summary>
    public static NoticeContent WithAnalystText(Incident incident, NoticeContent generated)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(generated);
        return generated with
        {
            Title = incident.NoticeTitle ?? generated.Title,
            Summary = incident.NoticeSummary ?? generated.Summary,
            Remediation = incident.NoticeRemediation ?? generated.Remediation,
        };
    }

    private sealed record NoticePlan(NoticeContent? Organisation, IReadOnlyList<(Guid PersonId, NoticeContent Content)> People);

    /// <summary>What each audience is told, from the findings it may see.</summary>
    private async Task<NoticePlan> PlanAsync(Incident incident, CancellationToken ct)
    {
        var org = incident.OrganisationId;
        var findings = await FindingsOfAsync(incident, ct);

        var personIds = findings.Where(f => f.PersonId is not null).Select(f => f.PersonId!.Value)
            .Append(incident.PersonId ?? Guid.Empty).Where(p => p != Guid.Empty).Distinct().ToList();
        var shared = personIds.Count == 0 ? [] : await SharedWithOrganisationAsync(org, personIds, ct);

        var orgVisible = findings.Where(f => f.PersonId is null || shared.Contains(f.PersonId.Value)).ToList();
        var personalOnly = findings.Count > 0 ? orgVisible.Count == 0 : incident.PersonId is { } p && !shared.Contains(p);
        NoticeContent? organisation = null;
        if (!personalOnly)
        {
            var sharedAccounts = orgVisible.Where(f => f.PersonId is not null).Select(f => f.PersonId).Distinct().Count();
            organisation = NoticeText.ForOrganisation(incident, orgVisible, sharedAccounts, await OrganisationLanguageAsync(org, ct));
        }

        // Each person reads their notice in their own language; the organisation's notice is written in its first
        // contact's language (the one told first; each contact's email announces it in their own).
        var languages = personIds.Count == 0 ? [] : await db.People.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.OrganisationId == org && personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Language, ct);
        var people = personIds
            .Select(personId => (personId, NoticeText.ForPerson(incident, findings.Where(f => f.PersonId == personId).ToList(), shared.Contains(personId), languages.GetValueOrDefault(personId))))
            .ToList();
        return new NoticePlan(organisation, people);
    }

    private async Task<string?> OrganisationLanguageAsync(Guid org, CancellationToken ct) =>
        await db.NoticeContacts.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.OrganisationId == org)
            .OrderBy(c => c.EscalationOrder).ThenBy(c => c.Id)
            .Select(c => c.Language)
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// The people who let their organisation see their personal accounts: a verified account with
    /// <c>OrganisationMayView</c> on, its owner not erased, and a live <c>organisation-may-view:{account}</c>
    /// consent (the membership module's rule; ADR 9). Anything less keeps the organisation out.
    /// </summary>
    private async Task<HashSet<Guid>> SharedWithOrganisationAsync(Guid org, List<Guid> personIds, CancellationToken ct)
    {
        var accounts = await db.PersonalAccounts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.OrganisationId == org && personIds.Contains(a.PersonId) && a.VerifiedAt != null && a.OrganisationMayView)
            .Where(a => db.People.IgnoreQueryFilters().Any(p => p.Id == a.PersonId && p.OrganisationId == org && p.ErasedAt == null))
            .Select(a => new { a.Id, a.PersonId })
            .ToListAsync(ct);
        if (accounts.Count == 0)
        {
            return [];
        }

        var scopes = accounts.Select(a => OrganisationViewConsent + a.Id.ToString("D")).ToList();
        var live = await db.Consents.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.OrganisationId == org && c.WithdrawnAt == null && scopes.Contains(c.Scope))
            .Select(c => new { c.PersonId, c.Scope })
            .ToListAsync(ct);
        return accounts
            .Where(a => live.Any(c => c.PersonId == a.PersonId && c.Scope == OrganisationViewConsent + a.Id.ToString("D")))
            .Select(a => a.PersonId)
            .ToHashSet();
    }

    /// <summary>The incident's findings as the caller's unit of work sees them: saved rows, overlaid with tracked changes.</summary>
    private async Task<List<FindingRecord>> FindingsOfAsync(Incident incident, CancellationToken ct)
    {
        var saved = await db.Findings.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.OrganisationId == incident.OrganisationId && f.IncidentId == incident.Id).ToListAsync(ct);
        var tracked = db.ChangeTracker.Entries<FindingRecord>().Where(e => e.State != EntityState.Detached).ToDictionary(e => e.Entity.Id);
        var result = saved.Where(f => !tracked.ContainsKey(f.Id)).ToList();
        result.AddRange(tracked.Values
            .Where(e => e.State != EntityState.Deleted && e.Entity.IncidentId == incident.Id && e.Entity.OrganisationId == incident.OrganisationId)
            .Select(e => e.Entity));
        return result;
    }

    private Notice Add(Incident incident, NoticeAudience audience, Guid? personId, NoticeContent content, DateTimeOffset now)
    {
        var notice = new Notice
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = incident.OrganisationId,
            IncidentId = incident.Id,
            Audience = audience,
            PersonId = personId,
            Title = content.Title,
            Summary = content.Summary,
            Severity = content.Severity,
            Confidence = content.Confidence,
            Attribution = content.Attribution,
            Remediation = content.Remediation,
            CreatedAt = now,
        };
        db.Notices.Add(notice);
        return notice;
    }

    private void QueueEmail(Notice notice, string address, DateTimeOffset now)
    {
        var normalised = DeliveryKeys.NormaliseAddress(address);
        var key = DeliveryKeys.Email(notice.Id, normalised);
        if (!db.ChangeTracker.Entries<Delivery>().Any(e => e.Entity.IdempotencyKey == key))
        {
            Queue(notice, DeliveryChannel.Email, normalised, null, key, now);
        }
    }

    private void Queue(Notice notice, DeliveryChannel channel, string recipient, Guid? webhookId, string key, DateTimeOffset now) =>
        db.Deliveries.Add(new Delivery
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = notice.OrganisationId,
            NoticeId = notice.Id,
            Channel = channel,
            Recipient = recipient,
            WebhookId = webhookId,
            IdempotencyKey = key,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        });
}
