using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Server.Notification;
using Bulwark.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>
/// The whole loop on real components: admit an organisation, give it keys, a contact and a webhook, upload the
/// sample tree, see the incident, an analyst confirms it, the notice arrives by email (smtp4dev) and by a
/// signed webhook (a real HTTP listener), and the organisation acknowledges it.
/// </summary>
public abstract class EndToEndTests<THost>(THost host) : IClassFixture<THost>
    where THost : NotificationHost
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    [Fact]
    public async Task Upload_to_acknowledged_notice()
    {
        var ct = TestContext.Current.CancellationToken;
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Parti de bout en bout");
        var contact = await host.AddContactAsync(member, "security@e2e.example.org");
        await host.AddWebhookAsync(member, "e2e");
        var analyst = host.As(await host.CreateKeyAsync("analyst on duty", "Analyst", null));
        var admin = host.As(member.AdminToken);

        // Upload the sample Exchange server tree, as the organisation's log collector would.
        var upload = await IngestionSupport.UploadAcceptedAsync(host.As(member.IngestToken), "exchange-server.zip", IngestionSupport.SamplesZip, ct);
        var scanned = await IngestionSupport.WaitForUploadAsync(admin, upload, ct);
        Assert.Equal("Done", scanned.GetProperty("status").GetString());
        Assert.Equal(24, scanned.GetProperty("findings").GetInt32());

        // The ProxyLogon attacker's incident waits for an analyst.
        var incidents = await IngestionSupport.IncidentsAsync(admin, "", ct);
        var proxyLogon = Assert.Single(incidents, i => i.GetProperty("groupKey").GetString() == "130.255.189.21");
        Assert.Equal("Unconfirmed", proxyLogon.GetProperty("status").GetString());
        Assert.Equal("Critical", proxyLogon.GetProperty("severity").GetString());
        var incidentId = proxyLogon.GetProperty("id").GetGuid();
        Assert.Empty(await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/notices", Json, ct) ?? []);

        var confirm = await analyst.PostAsJsonAsync($"/api/v1/incidents/{incidentId}/confirm", new { reason = "ProxyLogon chain with web-shell follow-up" }, Json, ct);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);

        // One organisation notice, delivered by email and webhook.
        var notices = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/notices", Json, ct);
        var notice = Assert.Single(notices!);
        var noticeId = notice.GetProperty("id").GetGuid();
        Assert.Equal(incidentId, notice.GetProperty("incidentId").GetGuid());

        var sent = await host.Host.Services.GetRequiredService<DeliveryDispatcher>().RunOnceAsync(ct);
        Assert.Equal(2, sent);
        var email = Assert.Single(await host.Smtp.MessagesToAsync(contact, ct));
        Assert.Contains(noticeId.ToString(), email.Message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", email.Message.TextBody + email.Message.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, email.AttachmentCount);
        var hook = Assert.Single(host.Webhooks.For("e2e"));
        Assert.True(hook.SignatureValid);
        Assert.Equal(noticeId, JsonDocument.Parse(hook.Body).RootElement.GetProperty("notice").GetProperty("id").GetGuid());

        // The organisation acknowledges; the analyst's work is in an intact audit chain.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/notices/{noticeId}/acknowledge", new { }, Json, ct)).StatusCode);
        var read = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/notices/{noticeId}", Json, ct);
        Assert.Equal(JsonValueKind.String, read.GetProperty("acknowledgedAt").ValueKind);
        var audit = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}&limit=1000", Json, ct);
        Assert.True(audit.GetProperty("chainIntact").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToHashSet();
        Assert.Contains("incident.confirm", actions);
        Assert.Contains("notice.acknowledge", actions);
    }
}

public sealed class EndToEndSqliteTests(SqliteNotificationHost host) : EndToEndTests<SqliteNotificationHost>(host);

public sealed class EndToEndPostgresTests(PostgresNotificationHost host) : EndToEndTests<PostgresNotificationHost>(host);
