using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data.Incidents;
using Bulwark.Data.Notification;
using Bulwark.Server.Notification;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Bulwark.Server.Tests;

/// <summary>
/// Notices, their email and webhook deliveries, and the outbox worker, against a real smtp4dev, a real webhook
/// endpoint and a real database of each provider. Each test uses its own organisation and addresses.
/// </summary>
public abstract class NotificationTests<THost>(THost host) : IClassFixture<THost>
    where THost : NotificationHost
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    private static readonly DateTimeOffset Seen = new(2026, 2, 27, 22, 15, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Address(string who) => $"{who}-{Guid.NewGuid():N}@member.test";

    private static FindingSpec Ssrf(Severity severity = Severity.Critical, Confidence confidence = Confidence.High, Guid? upload = null, TimeSpan? at = null) => new(
        "ProxyLogon server-side request forgery", severity, confidence, "Install the March 2021 security update KB5000871, then hunt for web shells.",
        Seen + (at ?? TimeSpan.Zero), Seen + (at ?? TimeSpan.Zero) + TimeSpan.FromHours(2), UploadId: upload);

    [Fact]
    public async Task Issuing_creates_an_organisation_notice_and_one_per_person_with_their_deliveries()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Issuer org");
        var first = await host.AddContactAsync(member, Address("soc"));
        var later = await host.AddContactAsync(member, Address("ciso"), escalationOrder: 1);
        var (hook, _) = await host.AddWebhookAsync(member, "issuer-" + Guid.NewGuid().ToString("N"));
        var (disabled, _) = await host.AddWebhookAsync(member, "issuer-off-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.NoContent, (await host.As(member.AdminToken).DeleteAsync($"/api/v1/organisations/{member.Id}/webhooks/{disabled}", Ct)).StatusCode);
        var shared = await host.AddPersonAsync(member.Id, Address("ana"), organisationMayView: true);
        var secret = await host.AddPersonAsync(member.Id, Address("ben"), organisationMayView: false);
        Guid upload1 = Guid.NewGuid(), upload2 = Guid.NewGuid();

        var incident = await host.IssueIncidentAsync(
            member.Id,
            Severity.Critical,
            Confidence.High,
            Ssrf(upload: upload1),
            new FindingSpec("Web shell written to the Exchange web folders", Severity.Critical, Confidence.High, "Remove the web shells and reset the server's credentials.",
                Seen + TimeSpan.FromHours(1), Seen + TimeSpan.FromHours(3), UploadId: upload2),
            Ssrf(Severity.High, Confidence.Medium, upload2, TimeSpan.FromMinutes(30)),
            new FindingSpec("Suspicious sign-in to a personal account", Severity.Medium, Confidence.Medium, "Change the account's password and sign out every session.",
                Seen + TimeSpan.FromHours(5), Seen + TimeSpan.FromHours(5), PersonId: shared.Id),
            new FindingSpec("Forwarding rule added to a personal mailbox", Severity.High, Confidence.High, "Remove the forwarding rule.",
                Seen + TimeSpan.FromHours(26), Seen + TimeSpan.FromHours(50), PersonId: secret.Id));

        var notices = await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == incident.Id).ToListAsync(Ct));
        Assert.Equal(3, notices.Count);
        var org = Assert.Single(notices, n => n.Audience == NoticeAudience.Organisation);
        Assert.Equal("ProxyLogon server-side request forgery", org.Title);
        Assert.Equal((Severity.Critical, Confidence.High, (string?)null, (Guid?)null), (org.Severity, org.Confidence, org.Attribution, org.PersonId));
        Assert.Equal(
            "What we saw:\n"
            + "- ProxyLogon server-side request forgery: 2 occurrences, first seen 2026-02-27 22:15 UTC, last seen 2026-02-28 00:45 UTC\n"
            + "- Web shell written to the Exchange web folders: 1 occurrence, first seen 2026-02-27 23:15 UTC, last seen 2026-02-28 01:15 UTC\n"
            + "- Suspicious sign-in to a personal account: 1 occurrence, first seen 2026-02-28 03:15 UTC, last seen 2026-02-28 03:15 UTC\n"
            + "Where: in 2 log collections from your organisation's servers; and on 1 staff member's personal account, shared with the organisation by their owners' consent.\n"
            + "When: from 2026-02-27 22:15 UTC to 2026-02-28 03:15 UTC.\n"
            + "How sure we are: high confidence: the evidence matches this attack closely. " + NoticeText.FalseAlarmLine,
            org.Summary);
        // Worst first, each step once; the unconsenting person's finding is not the organisation's business.
        Assert.Equal(
            "1. Install the March 2021 security update KB5000871, then hunt for web shells.\n"
            + "2. Remove the web shells and reset the server's credentials.\n"
            + "3. Change the account's password and sign out every session.",
            org.Remediation);

        var own = Assert.Single(notices, n => n.PersonId == secret.Id);
        Assert.Equal(NoticeAudience.Person, own.Audience);
        Assert.Equal("Your personal account: Forwarding rule added to a personal mailbox", own.Title);
        Assert.Equal(
            "What we saw: activity against a personal account you asked Bulwark to watch.\n"
            + "- Forwarding rule added to a personal mailbox: 1 occurrence\n"
            + "When: between 2026-03-01 and 2026-03-02.\n"
            + "How sure we are: high confidence: the evidence matches this attack closely. " + NoticeText.FalseAlarmLine + "\n"
            + "Only you can see this notice: your organisation is not told about your personal accounts.",
            own.Summary);
        Assert.Equal("1. Remove the forwarding rule.\n2. " + NoticeText.PersonHelpLine, own.Remediation);
        Assert.Equal(Severity.High, own.Severity);
        Assert.DoesNotContain("Suspicious sign-in", own.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("ProxyLogon", own.Summary, StringComparison.Ordinal);
        var sharedNotice = Assert.Single(notices, n => n.PersonId == shared.Id);
        Assert.EndsWith("Your organisation's security contacts can also see activity on this account, because you allowed it.", sharedNotice.Summary, StringComparison.Ordinal);

        var deliveries = await host.WithDbAsync(db => db.Deliveries.Where(d => notices.Select(n => n.Id).Contains(d.NoticeId)).ToListAsync(Ct));
        Assert.Equal(
            new[]
            {
                (org.Id, DeliveryChannel.Email, first),
                (org.Id, DeliveryChannel.Webhook, hook.ToString()),
                (sharedNotice.Id, DeliveryChannel.Email, shared.WorkEmail),
                (own.Id, DeliveryChannel.Email, secret.WorkEmail),
            }.OrderBy(x => x.ToString()),
            deliveries.Select(d => (d.NoticeId, d.Channel, d.Recipient)).OrderBy(x => x.ToString()));
        Assert.DoesNotContain(deliveries, d => d.Recipient == later);
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Pending, 0, host.Clock.GetUtcNow()), (d.Status, d.Attempts, d.NextAttemptAt)));
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.IdempotencyKey).Distinct().Count());
        Assert.Equal($"ntc_{org.Id:N}_wh_{hook:N}", Assert.Single(deliveries, d => d.Channel == DeliveryChannel.Webhook).IdempotencyKey);
        Assert.All(deliveries.Where(d => d.Channel == DeliveryChannel.Email), d => Assert.DoesNotContain("@", d.IdempotencyKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Issuing_is_part_of_the_callers_unit_of_work_and_skips_the_organisation_for_unshared_personal_incidents()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Unit of work org");
        await host.AddContactAsync(member, Address("soc"));

        var unsaved = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, save: false, Ssrf());
        Assert.Equal(0, await host.WithDbAsync(db => db.Notices.CountAsync(n => n.IncidentId == unsaved.Id, Ct)));
        Assert.Equal(0, await host.WithDbAsync(db => db.Deliveries.CountAsync(d => d.OrganisationId == member.Id, Ct)));

        var person = await host.AddPersonAsync(member.Id, Address("cleo"), organisationMayView: false);
        var personal = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.Medium, new FindingSpec(
            "Password spray against a personal account", Severity.High, Confidence.Medium, "Turn on two-step verification.", Seen, Seen, PersonId: person.Id));

        var notice = Assert.Single(await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == personal.Id).ToListAsync(Ct)));
        Assert.Equal((NoticeAudience.Person, (Guid?)person.Id), (notice.Audience, notice.PersonId));
        Assert.Equal("When: on 2026-02-27.", notice.Summary.Split('\n')[2]);
        var delivery = Assert.Single(await host.WithDbAsync(db => db.Deliveries.Where(d => d.NoticeId == notice.Id).ToListAsync(Ct)));
        Assert.Equal(person.WorkEmail, delivery.Recipient);

        // The work mailbox may be read by the organisation's IT: the email names no detail of a personal notice.
        await host.DeliverAsync();
        var email = Assert.Single(await host.Smtp.MessagesToAsync(person.WorkEmail, Ct)).Message;
        Assert.Equal($"Bulwark notice {notice.Id} (high): A security notice for you", email.Subject);
        Assert.DoesNotContain("spray", email.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("spray", email.HtmlBody, StringComparison.OrdinalIgnoreCase);

        // The visibility switch alone is not consent: once the consent is withdrawn the organisation is not told.
        var withdrawn = await host.AddPersonAsync(member.Id, Address("dan"), organisationMayView: true, consentWithdrawn: true);
        var hidden = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.Medium, new FindingSpec(
            "Password spray against a personal account", Severity.High, Confidence.Medium, "Turn on two-step verification.", Seen, Seen, PersonId: withdrawn.Id));
        Assert.Equal(
            [(NoticeAudience.Person, (Guid?)withdrawn.Id)],
            await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == hidden.Id).Select(n => new ValueTuple<NoticeAudience, Guid?>(n.Audience, n.PersonId)).ToListAsync(Ct)));
    }

    [Fact]
    public async Task Confirming_an_incident_through_the_incidents_API_issues_its_notices_in_the_same_transaction()
    {
        host.EnsureAvailable();
        Assert.IsType<NoticeIssuer>(host.Host.Services.CreateScope().ServiceProvider.GetRequiredService<INoticeIssuer>());
        var member = await host.CreateMemberAsync("Confirm org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            OrganisationId = member.Id,
            Family = "exchange.proxylogon",
            GroupKey = "203.0.113.7",
            Title = "ProxyLogon server-side request forgery",
            Severity = Severity.Critical,
            Confidence = Confidence.High,
            Status = IncidentStatus.Unconfirmed,
            FirstSeen = Seen,
            LastSeen = Seen,
            CreatedAt = host.Clock.GetUtcNow(),
            UpdatedAt = host.Clock.GetUtcNow(),
        };
        await host.WithDbAsync(async db =>
        {
            db.Incidents.Add(incident);
            db.Findings.Add(new Bulwark.Data.Ingestion.FindingRecord
            {
                Id = Guid.NewGuid(),
                OrganisationId = member.Id,
                FindingId = Guid.NewGuid().ToString("N"),
                DetectionId = "exchange.proxylogon.ssrf",
                Title = "ProxyLogon server-side request forgery",
                Severity = Severity.Critical,
                Confidence = Confidence.High,
                FirstSeen = Seen,
                LastSeen = Seen,
                Subject = "203.0.113.7",
                EvidenceCount = 1,
                EvidenceJson = "[]",
                Remediation = "Install the March 2021 security update KB5000871.",
                Source = "Bulwark built-in",
                IncidentId = incident.Id,
                ReceivedAt = host.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(0, await host.WithDbAsync(db => db.Notices.CountAsync(n => n.IncidentId == incident.Id, Ct)));

        var confirmed = await host.Operator.PostAsJsonAsync($"/api/v1/incidents/{incident.Id}/confirm", new { reason = "seen on the server" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var notice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));
        Assert.Equal(("ProxyLogon server-side request forgery", NoticeAudience.Organisation), (notice.Title, notice.Audience));
        Assert.Equal("1. Install the March 2021 security update KB5000871.", notice.Remediation);
        await host.DeliverAsync();
        Assert.Contains(notice.Id.ToString(), Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct)).Message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notice_email_is_link_free_without_attachments_and_DKIM_signed()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Email org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        var incident = await host.IssueIncidentAsync(member.Id, Severity.Critical, Confidence.High, Ssrf());
        var notice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));

        await host.DeliverAsync();

        var received = Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct));
        var message = received.Message;
        Assert.Equal($"Bulwark notice {notice.Id} (critical): ProxyLogon server-side request forgery", message.Subject);
        Assert.Equal(NotificationHost.FromAddress, message.From.Mailboxes.Single().Address);
        Assert.Equal(contact, message.To.Mailboxes.Single().Address);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal(
            "Bulwark has a new security notice for you.\n\n"
            + $"Notice id: {notice.Id}\n"
            + "Title: ProxyLogon server-side request forgery\n"
            + "Severity: critical\n\n"
            + EmailTexts.English.HowToRead + "\n\n"
            + EmailTexts.English.NeverAsks + "\n",
            message.TextBody?.ReplaceLineEndings("\n"));
        Assert.Contains($"<code>{notice.Id}</code>", message.HtmlBody, StringComparison.Ordinal);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.DoesNotContain("http", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<a", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", body, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(["text/plain", "text/html"], message.BodyParts.Select(p => p.ContentType.MimeType));
        Assert.Empty(message.Attachments);
        Assert.Equal(0, received.AttachmentCount);

        var delivery = await host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.NoticeId == notice.Id, Ct));
        Assert.Equal((DeliveryStatus.Sent, 1, (DateTimeOffset?)host.Clock.GetUtcNow(), (string?)null), (delivery.Status, delivery.Attempts, delivery.SentAt, delivery.LastError));
        Assert.Equal(NoticeEmail.MessageIdFor(delivery.IdempotencyKey, NotificationHost.DkimDomain), message.MessageId);

        var dkim = Assert.Single(message.Headers, h => h.Id == HeaderId.DkimSignature);
        Assert.Contains($"d={NotificationHost.DkimDomain};", dkim.Value, StringComparison.Ordinal);
        Assert.Contains($"s={NotificationHost.DkimSelector};", dkim.Value, StringComparison.Ordinal);
        Assert.Matches(@"h=from:to:subject:date:message-id;", dkim.Value.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal).Replace("\r\n", "", StringComparison.Ordinal).ToLowerInvariant());
        var verifier = new DkimVerifier(new TestKeyLocator(PublicKeyFactory.CreateKey(host.DkimKey.ExportSubjectPublicKeyInfo())));
        Assert.True(await verifier.VerifyAsync(message, dkim, Ct));
        message.Subject = $"Bulwark notice {notice.Id} (critical): click here to keep your account";
        Assert.False(await verifier.VerifyAsync(message, dkim, Ct));
    }

    [Fact]
    public async Task Escalation_email_tells_the_next_contact_why_in_their_language()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Escalation org");
        var first = await host.AddContactAsync(member, Address("soc"), 0, "fr");
        var second = await host.AddContactAsync(member, Address("ciso"), 1, "es-419");
        var third = await host.AddContactAsync(member, Address("director"), 2);
        var quiet = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        var incident = await host.IssueIncidentAsync(member.Id, Severity.Critical, Confidence.High, Ssrf(at: TimeSpan.FromDays(1)));
        var notice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));

        await host.DeliverAsync();
        Assert.Equal(2, (await host.Smtp.MessagesToAsync(first, Ct)).Count);
        Assert.Equal("fr", (await host.Smtp.MessagesToAsync(first, Ct))[0].Message.Body?.Headers[HeaderId.ContentLanguage]);

        host.Clock.Advance(NotificationHost.EscalationDelay - TimeSpan.FromMinutes(1));
        await host.DeliverAsync();
        Assert.Empty(await host.Smtp.MessagesToAsync(second, Ct));

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.DeliverAsync();
        var escalated = Assert.Single(await host.Smtp.MessagesToAsync(second, Ct));
        Assert.Contains(notice.Id.ToString(), escalated.Message.Subject, StringComparison.Ordinal);
        Assert.Equal("es", escalated.Message.Body?.Headers[HeaderId.ContentLanguage]);
        Assert.Contains(EmailTexts.Spanish.Escalated, escalated.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(EmailTexts.French.Escalated, (await host.Smtp.MessagesToAsync(first, Ct))[0].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, await host.WithDbAsync(db => db.Notices.Where(n => n.Id == notice.Id).Select(n => n.EscalationLevel).SingleAsync(Ct)));

        var ack = await host.As(member.AdminToken).PostAsync($"/api/v1/notices/{notice.Id}/acknowledge", null, Ct);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        host.Clock.Advance(NotificationHost.EscalationDelay * 3);
        await host.DeliverAsync();

        Assert.Empty(await host.Smtp.MessagesToAsync(third, Ct));
        Assert.Single(await host.Smtp.MessagesToAsync(second, Ct));
        Assert.Equal(0, await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == quiet.Id).Select(n => n.EscalationLevel).SingleAsync(Ct)));
    }

    [Fact]
    public async Task The_organisations_notice_is_written_in_its_first_contacts_language()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Spanish-speaking org");
        await host.AddContactAsync(member, Address("director"), 1, "en");
        await host.AddContactAsync(member, Address("soc"), 0, "es");

        var incident = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        var notice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));

        Assert.StartsWith(NoticeWords.Spanish.WhatWeSaw + "\n- ", notice.Summary, StringComparison.Ordinal);
        Assert.EndsWith(NoticeWords.Spanish.HowSure + NoticeWords.Spanish.HighConfidence + " " + NoticeWords.Spanish.FalseAlarmLine, notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_is_signed_per_Standard_Webhooks_keyed_by_the_delivery_and_free_of_personal_data()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Webhook org");
        var name = "signed-" + Guid.NewGuid().ToString("N");
        var (hook, secret) = await host.AddWebhookAsync(member, name);
        var contact = await host.AddContactAsync(member, Address("soc"));
        var incident = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.Medium, Ssrf(Severity.High, Confidence.Medium));
        var notice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));

        await host.DeliverAsync();

        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal(32, Convert.FromBase64String(secret[6..]).Length);
        var received = Assert.Single(host.Webhooks.For(name));
        var delivery = await host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.WebhookId == hook, Ct));
        Assert.True(received.SignatureValid);
        Assert.Equal(204, received.Status);
        Assert.Equal(delivery.IdempotencyKey, received.Id);
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), received.Timestamp);
        Assert.StartsWith("v1,", received.Signature, StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", received.ContentType);

        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(["type", "notice"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("notice.created", body.RootElement.GetProperty("type").GetString());
        var payload = body.RootElement.GetProperty("notice");
        Assert.Equal(["id", "title", "severity", "confidence", "organisationId", "createdAt"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal(notice.Id, payload.GetProperty("id").GetGuid());
        Assert.Equal("ProxyLogon server-side request forgery", payload.GetProperty("title").GetString());
        Assert.Equal(("high", "medium"), (payload.GetProperty("severity").GetString(), payload.GetProperty("confidence").GetString()));
        Assert.Equal(member.Id, payload.GetProperty("organisationId").GetGuid());
        Assert.Equal(notice.CreatedAt, payload.GetProperty("createdAt").GetDateTimeOffset());
        Assert.DoesNotContain(contact, received.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@", received.Body, StringComparison.Ordinal);

        // The signature is over exactly "id.timestamp.body": another body does not verify.
        Assert.False(WebhookReceiver.Verify(secret, received.Id, received.Timestamp, received.Body + " ", received.Signature));
    }

    [Fact]
    public async Task Failing_webhook_is_retried_with_exponential_backoff_and_jitter_under_the_same_id()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Retry org");
        var name = "flaky-" + Guid.NewGuid().ToString("N");
        var (hook, _) = await host.AddWebhookAsync(member, name);
        host.Webhooks.FailNext(name, 2);
        await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        host.Jitter.Value = 0.5;
        try
        {
            var t0 = host.Clock.GetUtcNow();
            await host.DeliverAsync();
            var delivery = await Delivery(hook);
            // First failure: base (1 min) plus half of the jitter's 0.5 share: 75 s.
            Assert.Equal((DeliveryStatus.Pending, 1, t0 + TimeSpan.FromSeconds(75), "HTTP 500"), (delivery.Status, delivery.Attempts, delivery.NextAttemptAt, delivery.LastError));

            host.Clock.Advance(TimeSpan.FromSeconds(74));
            await host.DeliverAsync();
            Assert.Single(host.Webhooks.For(name));

            var t1 = host.Clock.Advance(TimeSpan.FromSeconds(1));
            await host.DeliverAsync();
            delivery = await Delivery(hook);
            Assert.Equal((DeliveryStatus.Pending, 2, t1 + TimeSpan.FromSeconds(150)), (delivery.Status, delivery.Attempts, delivery.NextAttemptAt));

            var t2 = host.Clock.Advance(TimeSpan.FromSeconds(150));
            await host.DeliverAsync();
            delivery = await Delivery(hook);
            Assert.Equal((DeliveryStatus.Sent, 3, (DateTimeOffset?)t2, (string?)null), (delivery.Status, delivery.Attempts, delivery.SentAt, delivery.LastError));

            var requests = host.Webhooks.For(name);
            Assert.Equal([500, 500, 204], requests.Select(r => r.Status));
            Assert.All(requests, r => Assert.Equal((delivery.IdempotencyKey, true), (r.Id, r.SignatureValid)));
            Assert.Equal(
                new[] { t0, t1, t2 }.Select(t => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
                requests.Select(r => r.Timestamp));
        }
        finally
        {
            host.Jitter.Value = 0;
        }
    }

    [Fact]
    public async Task Webhook_failing_past_the_limit_is_dead_lettered_and_shown_in_the_delivery_log()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Dead letter org");
        var name = "down-" + Guid.NewGuid().ToString("N");
        var (hook, _) = await host.AddWebhookAsync(member, name);
        host.Webhooks.FailNext(name, 1000);
        var incident = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));

        await host.DeliverAsync();
        host.Clock.Advance(NotificationHost.BackoffBase);
        await host.DeliverAsync();
        host.Clock.Advance(NotificationHost.BackoffBase * 2);
        await host.DeliverAsync();
        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.DeliverAsync();

        Assert.Equal(3, host.Webhooks.For(name).Count);
        var delivery = await Delivery(hook);
        Assert.Equal((DeliveryStatus.DeadLetter, 3, "HTTP 500"), (delivery.Status, delivery.Attempts, delivery.LastError));

        var log = await host.As(member.AdminToken).GetFromJsonAsync<JsonElement>($"/api/v1/organisations/{member.Id}/webhooks/{hook}/deliveries", Json, Ct);
        var entry = Assert.Single(log.EnumerateArray());
        Assert.Equal("DeadLetter", entry.GetProperty("status").GetString());
        Assert.Equal(3, entry.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 500", entry.GetProperty("lastError").GetString());
        Assert.Equal(delivery.IdempotencyKey, entry.GetProperty("webhookMessageId").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("sentAt").ValueKind);
        var notice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));
        Assert.Equal(notice.Id, entry.GetProperty("noticeId").GetGuid());
    }

    [Fact]
    public async Task Same_incident_is_told_once_per_recipient_within_the_dedup_window()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Dedup org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        var name = "dedup-" + Guid.NewGuid().ToString("N");
        await host.AddWebhookAsync(member, name);
        var incident = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        await host.DeliverAsync();
        var firstSent = host.Clock.GetUtcNow();
        var firstNotice = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.IncidentId == incident.Id, Ct));

        host.Clock.Advance(TimeSpan.FromHours(23));
        await host.ReissueAsync(incident);
        await host.DeliverAsync();

        Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct));
        Assert.Single(host.Webhooks.For(name));
        var repeats = await host.WithDbAsync(db => db.Deliveries
            .Where(d => d.OrganisationId == member.Id && d.NoticeId != firstNotice.Id).ToListAsync(Ct));
        Assert.Equal(2, repeats.Count);
        Assert.All(repeats, d => Assert.Equal(
            (DeliveryStatus.Suppressed, $"duplicate: this recipient was told about the same incident at {firstSent:O} (notice {firstNotice.Id})"),
            (d.Status, d.LastError)));

        // Another incident is news, and the same one is news again once the window has passed.
        await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High, at: TimeSpan.FromDays(1)));
        host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await host.ReissueAsync(incident);
        await host.DeliverAsync();
        Assert.Equal(3, (await host.Smtp.MessagesToAsync(contact, Ct)).Count);
        Assert.Equal(3, host.Webhooks.For(name).Count);
    }

    [Fact]
    public async Task Emails_beyond_the_hourly_limit_are_held_until_the_window_allows_but_critical_ones_are_not()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Rate limit org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        for (var i = 0; i < NotificationHost.HourlyLimit + 1; i++)
        {
            await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High, at: TimeSpan.FromDays(i)));
        }

        var t0 = host.Clock.GetUtcNow();
        await host.DeliverAsync();

        Assert.Equal(NotificationHost.HourlyLimit, (await host.Smtp.MessagesToAsync(contact, Ct)).Count);
        var held = Assert.Single(await host.WithDbAsync(db => db.Deliveries.Where(d => d.Recipient == contact && d.Status == DeliveryStatus.Pending).ToListAsync(Ct)));
        var until = t0 + TimeSpan.FromHours(1);
        Assert.Equal((0, until), (held.Attempts, held.NextAttemptAt));
        Assert.Equal($"held: 3 emails already went to this recipient in the past hour; next attempt at {until:O}", held.LastError);

        await host.IssueIncidentAsync(member.Id, Severity.Critical, Confidence.High, Ssrf(at: TimeSpan.FromDays(10)));
        await host.DeliverAsync();
        Assert.Equal(NotificationHost.HourlyLimit + 1, (await host.Smtp.MessagesToAsync(contact, Ct)).Count);

        host.Clock.Advance(TimeSpan.FromMinutes(59));
        await host.DeliverAsync();
        Assert.Equal(DeliveryStatus.Pending, (await host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == held.Id, Ct))).Status);

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.DeliverAsync();
        var sent = await host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == held.Id, Ct));
        Assert.Equal((DeliveryStatus.Sent, 1, (DateTimeOffset?)until), (sent.Status, sent.Attempts, sent.SentAt));
        Assert.Equal(NotificationHost.HourlyLimit + 2, (await host.Smtp.MessagesToAsync(contact, Ct)).Count);
    }

    [Fact]
    public async Task Acknowledgement_and_feedback_are_recorded_validated_and_audited()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Feedback org");
        var incident = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.Low, Ssrf(Severity.High, Confidence.Low));
        var id = await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == incident.Id).Select(n => n.Id).SingleAsync(Ct));
        var admin = host.As(member.AdminToken);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/notices", Json, Ct);
        Assert.Equal([id], listed.EnumerateArray().Select(n => n.GetProperty("id").GetGuid()));
        Assert.StartsWith("What we saw:", listed[0].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("How sure we are: low confidence: this is possible, not established.", listed[0].GetProperty("summary").GetString(), StringComparison.Ordinal);

        var at = host.Clock.GetUtcNow();
        var ack = await (await admin.PostAsync($"/api/v1/notices/{id}/acknowledge", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal(at, ack.GetProperty("acknowledgedAt").GetDateTimeOffset());
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await (await admin.PostAsync($"/api/v1/notices/{id}/acknowledge", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal(at, again.GetProperty("acknowledgedAt").GetDateTimeOffset());

        var badKind = await admin.PostAsJsonAsync($"/api/v1/notices/{id}/feedback", new { kind = "spam", comment = "x" }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal("kind must be one of: false-alarm, this-was-me, useful, other",
            (await badKind.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors").GetProperty("kind")[0].GetString());
        var longComment = await admin.PostAsJsonAsync($"/api/v1/notices/{id}/feedback", new { kind = "other", comment = new string('a', 2001) }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, longComment.StatusCode);
        Assert.Equal("comment must be at most 2000 characters (is 2001)",
            (await longComment.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors").GetProperty("comment")[0].GetString());
        var notJson = await admin.PostAsync($"/api/v1/notices/{id}/feedback", new StringContent("{\"kind\":", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        var feedback = await admin.PostAsJsonAsync($"/api/v1/notices/{id}/feedback", new { kind = "false-alarm", comment = "  Our own penetration test.  " }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        var read = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/notices/{id}", Json, Ct);
        Assert.Equal("false-alarm", read.GetProperty("feedback").GetString());
        Assert.Equal("Our own penetration test.", read.GetProperty("feedbackComment").GetString());
        Assert.Equal(host.Clock.GetUtcNow(), read.GetProperty("feedbackAt").GetDateTimeOffset());

        var audit = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}", Json, Ct);
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "notice.acknowledge"));
        Assert.Equal(1, actions.Count(a => a == "notice.feedback"));
        Assert.True(audit.GetProperty("chainIntact").GetBoolean());
    }

    [Fact]
    public async Task Another_organisations_notices_contacts_and_webhooks_are_not_found()
    {
        host.EnsureAvailable();
        var a = await host.CreateMemberAsync("Tenant A");
        var b = await host.CreateMemberAsync("Tenant B");
        await host.AddContactAsync(a, Address("soc"));
        var (hook, _) = await host.AddWebhookAsync(a, "tenant-" + Guid.NewGuid().ToString("N"));
        var person = await host.AddPersonAsync(a.Id, Address("dana"), organisationMayView: true);
        var incident = await host.IssueIncidentAsync(a.Id, Severity.High, Confidence.High, Ssrf(Severity.High),
            new FindingSpec("Suspicious sign-in to a personal account", Severity.Medium, Confidence.Medium, "Change the password.", Seen, Seen, PersonId: person.Id));
        var notices = await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == incident.Id).ToListAsync(Ct));
        var orgNotice = notices.Single(n => n.Audience == NoticeAudience.Organisation).Id;
        var personNotice = notices.Single(n => n.Audience == NoticeAudience.Person).Id;
        var asA = host.As(a.AdminToken);
        var asB = host.As(b.AdminToken);

        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync($"/api/v1/notices/{orgNotice}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.PostAsync($"/api/v1/notices/{orgNotice}/acknowledge", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.PostAsJsonAsync($"/api/v1/notices/{orgNotice}/feedback", new { kind = "useful" }, Json, Ct)).StatusCode);
        Assert.Empty((await asB.GetFromJsonAsync<JsonElement>("/api/v1/notices", Json, Ct)).EnumerateArray());
        Assert.Empty((await asB.GetFromJsonAsync<JsonElement>($"/api/v1/notices?organisationId={a.Id}", Json, Ct)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync($"/api/v1/organisations/{a.Id}/contacts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.PostAsJsonAsync($"/api/v1/organisations/{a.Id}/contacts", new { email = Address("mole") }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync($"/api/v1/organisations/{a.Id}/webhooks", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.PostAsJsonAsync($"/api/v1/organisations/{a.Id}/webhooks", new { url = "https://hooks.example.org/x" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync($"/api/v1/organisations/{a.Id}/webhooks/{hook}/deliveries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync($"/api/v1/organisations/{b.Id}/webhooks/{hook}/deliveries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.DeleteAsync($"/api/v1/organisations/{a.Id}/webhooks/{hook}", Ct)).StatusCode);

        // A's admin sees its organisation's notice, not its staff member's personal one.
        Assert.Equal(HttpStatusCode.OK, (await asA.GetAsync($"/api/v1/notices/{orgNotice}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.GetAsync($"/api/v1/notices/{personNotice}", Ct)).StatusCode);
        Assert.Equal([orgNotice], (await asA.GetFromJsonAsync<JsonElement>("/api/v1/notices", Json, Ct)).EnumerateArray().Select(n => n.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(a.IngestToken).GetAsync("/api/v1/notices", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(null).GetAsync("/api/v1/notices", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Operator.PostAsync($"/api/v1/notices/{orgNotice}/acknowledge", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asA.GetAsync($"/api/v1/organisations/{a.Id}/webhooks/{hook}/deliveries", Ct)).StatusCode);
    }

    [Fact]
    public async Task Staff_see_every_notice_and_their_reads_are_audited()
    {
        host.EnsureAvailable();
        var a = await host.CreateMemberAsync("Staff view A");
        var b = await host.CreateMemberAsync("Staff view B");
        var incidentA = await host.IssueIncidentAsync(a.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        var incidentB = await host.IssueIncidentAsync(b.Id, Severity.Medium, Confidence.Medium, Ssrf(Severity.Medium, Confidence.Medium));
        var analyst = host.As(await host.CreateKeyAsync("analyst", "Analyst", null));

        var all = (await analyst.GetFromJsonAsync<JsonElement>("/api/v1/notices?limit=500", Json, Ct)).EnumerateArray().Select(n => n.GetProperty("incidentId").GetGuid()).ToList();
        Assert.Contains(incidentA.Id, all);
        Assert.Contains(incidentB.Id, all);
        var onlyB = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/notices?organisationId={b.Id}", Json, Ct);
        var noticeB = Assert.Single(onlyB.EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/v1/notices/{noticeB}", Ct)).StatusCode);

        var audit = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={b.Id}", Json, Ct);
        var entries = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString(), e.GetProperty("actorScope").GetString())).ToList();
        Assert.Contains(("notice.list", $"organisation/{b.Id}/notices", "Analyst"), entries);
        Assert.Contains(("notice.read", $"notice/{noticeB}", "Analyst"), entries);
        var instance = await host.Operator.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=notice.list", Json, Ct);
        Assert.Contains(instance.GetProperty("entries").EnumerateArray(), e => e.GetProperty("target").GetString() == "notices" && e.GetProperty("actorScope").GetString() == "Analyst");
    }

    [Fact]
    public async Task Lease_of_a_dead_worker_runs_out_and_the_delivery_is_then_sent_exactly_once()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Crash org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        var id = await host.WithDbAsync(db => db.Deliveries.Where(d => d.Recipient == contact).Select(d => d.Id).SingleAsync(Ct));

        // A worker leased the row and died before sending: pending, attempt not recorded, lease still running.
        var leasedUntil = host.Clock.GetUtcNow() + NotificationHost.LeaseTime;
        await host.WithDbAsync(db => db.Deliveries.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeasedUntil, leasedUntil), Ct));
        await host.DeliverAsync();
        Assert.Empty(await host.Smtp.MessagesToAsync(contact, Ct));

        host.Clock.Advance(NotificationHost.LeaseTime);
        await host.DeliverAsync();
        host.Clock.Advance(TimeSpan.FromDays(2));
        await host.DeliverAsync();

        Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct));
        var delivery = await host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == id, Ct));
        Assert.Equal((DeliveryStatus.Sent, 1, (DateTimeOffset?)null), (delivery.Status, delivery.Attempts, delivery.LeasedUntil));

        // A row already sent is never sent again, whatever its lease and schedule say.
        var other = Address("noc");
        await host.WithDbAsync(async db =>
        {
            db.Deliveries.Add(new Delivery
            {
                Id = Guid.NewGuid(),
                OrganisationId = member.Id,
                NoticeId = delivery.NoticeId,
                Channel = DeliveryChannel.Email,
                Recipient = other,
                IdempotencyKey = DeliveryKeys.Email(delivery.NoticeId, other),
                Status = DeliveryStatus.Sent,
                Attempts = 1,
                NextAttemptAt = host.Clock.GetUtcNow() - TimeSpan.FromHours(1),
                LeasedUntil = host.Clock.GetUtcNow() - TimeSpan.FromHours(1),
                CreatedAt = host.Clock.GetUtcNow() - TimeSpan.FromHours(1),
                SentAt = host.Clock.GetUtcNow() - TimeSpan.FromHours(1),
            });
            return await db.SaveChangesAsync(Ct);
        });
        await host.DeliverAsync();
        Assert.Empty(await host.Smtp.MessagesToAsync(other, Ct));
    }

    [Fact]
    public async Task A_resend_after_a_crash_between_sending_and_recording_carries_the_same_Message_ID()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Resend org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));
        await host.DeliverAsync();

        // The worker sent, then died before recording it: the row is still pending with the lease run out.
        await host.WithDbAsync(db => db.Deliveries.Where(d => d.Recipient == contact)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.Attempts, 0), Ct));
        await host.DeliverAsync();

        var received = await host.Smtp.MessagesToAsync(contact, Ct);
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].Message.MessageId, received[1].Message.MessageId);
    }

    [Fact]
    public async Task Two_workers_at_once_never_send_the_same_delivery()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Two workers org");
        var contacts = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            contacts.Add(await host.AddContactAsync(member, Address("soc" + i)));
        }

        var name = "race-" + Guid.NewGuid().ToString("N");
        await host.AddWebhookAsync(member, name);
        await host.IssueIncidentAsync(member.Id, Severity.Critical, Confidence.High, Ssrf());

        var dispatcher = host.Host.Services.GetRequiredService<DeliveryDispatcher>();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => dispatcher.RunOnceAsync(CancellationToken.None), Ct)));

        foreach (var contact in contacts)
        {
            Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct));
        }

        Assert.Single(host.Webhooks.For(name));
        var deliveries = await host.WithDbAsync(db => db.Deliveries.Where(d => d.OrganisationId == member.Id).ToListAsync(Ct));
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task Webhook_registration_takes_https_only_returns_the_secret_once_and_stores_it_encrypted()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Webhook settings org");
        var admin = host.As(member.AdminToken);
        var refused = new Dictionary<string, string>
        {
            ["http://hooks.example.org/bulwark"] = "the URL must use https",
            ["https://10.0.0.5/bulwark"] = "the URL points to a private, loopback or link-local address; webhooks go to public addresses",
            ["https://[fd00::1]/bulwark"] = "the URL points to a private, loopback or link-local address; webhooks go to public addresses",
            ["https://169.254.169.254/latest"] = "the URL points to a private, loopback or link-local address; webhooks go to public addresses",
            ["https://user:pass@hooks.example.org/x"] = "the URL must not carry a user name or password; authenticate requests with the signature instead",
            ["ftp://hooks.example.org/x"] = "an absolute https URL is required",
            ["/relative"] = "an absolute https URL is required",
        };
        foreach (var (url, problem) in refused)
        {
            var response = await admin.PostAsJsonAsync($"/api/v1/organisations/{member.Id}/webhooks", new { url }, Json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(problem, (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors").GetProperty("url")[0].GetString());
        }

        var created = await admin.PostAsJsonAsync($"/api/v1/organisations/{member.Id}/webhooks", new { url = "https://hooks.example.org/bulwark?tenant=7" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("webhook").GetProperty("id").GetGuid();
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);

        var listed = await admin.GetStringAsync($"/api/v1/organisations/{member.Id}/webhooks", Ct);
        Assert.DoesNotContain(secret[6..], listed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", listed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("https://hooks.example.org/bulwark?tenant=7", listed, StringComparison.Ordinal);

        var stored = await host.WithDbAsync(db => db.Webhooks.SingleAsync(w => w.Id == id, Ct));
        Assert.DoesNotContain(secret[6..], System.Text.Encoding.UTF8.GetString(stored.EncryptedSecret), StringComparison.Ordinal);
        Assert.Equal(secret, host.Host.Services.GetRequiredService<WebhookSecrets>().Unprotect(stored.EncryptedSecret));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(host.Server.DataDirectory, "keys"), "key-*.xml"));

        var audit = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}&action=webhook.create", Json, Ct);
        Assert.Equal($"webhook/{id}", Assert.Single(audit.GetProperty("entries").EnumerateArray()).GetProperty("target").GetString());
    }

    [Fact]
    public async Task Contacts_are_validated_normalised_and_listed_in_escalation_order()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Contacts org");
        var admin = host.As(member.AdminToken);
        var url = $"/api/v1/organisations/{member.Id}/contacts";
        var refused = new (object Body, string Field, string Problem)[]
        {
            (new { email = "not-an-address" }, "email", "a plain email address (name@example.org) of at most 320 characters is required"),
            (new { email = "Eve <eve@member.test>" }, "email", "a plain email address (name@example.org) of at most 320 characters is required"),
            (new { email = "soc@member.test", escalationOrder = 10 }, "escalationOrder", "escalationOrder must be between 0 and 9"),
            (new { email = "soc@member.test", language = "english please" }, "language", "language must be a BCP 47 tag such as en, fr or es-419"),
        };
        foreach (var (body, field, problem) in refused)
        {
            var response = await admin.PostAsJsonAsync(url, body, Json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(problem, (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors").GetProperty(field)[0].GetString());
        }

        var local = Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(url, new { email = $"CISO-{local}@Member.Test", escalationOrder = 1, language = "fr" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(url, new { email = $"soc-{local}@member.test", name = "SOC" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync(url, new { email = $"ciso-{local}@member.test" }, Json, Ct)).StatusCode);

        var listed = await admin.GetFromJsonAsync<JsonElement>(url, Json, Ct);
        Assert.Equal(
            [($"soc-{local}@member.test", 0, "en"), ($"ciso-{local}@member.test", 1, "fr")],
            listed.EnumerateArray().Select(c => (c.GetProperty("email").GetString(), c.GetProperty("escalationOrder").GetInt32(), c.GetProperty("language").GetString())));
        var removed = listed[1].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{url}/{removed}", Ct)).StatusCode);
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>(url, Json, Ct)).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Operator.GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task Bad_settings_stop_the_server_with_messages_naming_the_keys()
    {
        host.EnsureAvailable();
        await using var broken = host.Host.WithWebHostBuilder(b => b
            .UseSetting("Smtp:DkimSelector", "")
            .UseSetting("Notifications:LeaseTime", "00:00:05")
            .UseSetting("Notifications:MaxAttempts", "0"));

        var error = Assert.ThrowsAny<Exception>(() => broken.Server);

        var text = error.ToString();
        Assert.Contains("Smtp:DkimDomain, Smtp:DkimSelector and Smtp:DkimPrivateKeyPath go together: give all three or none", text, StringComparison.Ordinal);
        Assert.Contains("Notifications:LeaseTime must be at least twice Notifications:SendTimeout (00:00:10), so a slow send keeps its lease (is 00:00:05)", text, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosted_worker_delivers_on_its_own()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Hosted worker org");
        var contact = await host.AddContactAsync(member, Address("soc"));
        await using var worker = host.Host.WithWebHostBuilder(b => b
            .UseSetting("Notifications:RunWorker", "true")
            .UseSetting("Notifications:PollInterval", "00:00:00.100"));
        _ = worker.Server;

        await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High, Ssrf(Severity.High));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        Delivery? delivery = null;
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            delivery = await host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Recipient == contact, Ct));
            if (delivery.Status != DeliveryStatus.Pending)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Equal(DeliveryStatus.Sent, delivery?.Status);
        Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct));
    }

    private Task<Delivery> Delivery(Guid webhookId) => host.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.WebhookId == webhookId, Ct));

    /// <summary>Hands MimeKit's verifier the test key instead of looking it up in DNS.</summary>
    private sealed class TestKeyLocator(AsymmetricKeyParameter key) : IDkimPublicKeyLocator
    {
        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            domain == NotificationHost.DkimDomain && selector == NotificationHost.DkimSelector
                ? key
                : throw new InvalidOperationException($"no test key for {selector}._domainkey.{domain}");

        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}

public sealed class NotificationSqliteTests(SqliteNotificationHost host) : NotificationTests<SqliteNotificationHost>(host);

public sealed class NotificationPostgresTests(PostgresNotificationHost host) : NotificationTests<PostgresNotificationHost>(host);
