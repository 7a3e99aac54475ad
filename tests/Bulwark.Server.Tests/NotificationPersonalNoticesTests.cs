using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data.Notification;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>An individual reads, acknowledges and answers their own notices with their person token, and nobody else's.</summary>
public abstract class NotificationPersonalNoticesTests<THost>(THost host) : IClassFixture<THost>
    where THost : NotificationHost
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_person_sees_only_their_own_notices_and_can_acknowledge_and_answer_them()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Newsroom " + Guid.NewGuid().ToString("N")[..6]);
        var dana = await host.AddPersonAsync(member.Id, $"dana-{Guid.NewGuid():N}@e2e.example.org", organisationMayView: false);
        var eli = await host.AddPersonAsync(member.Id, $"eli-{Guid.NewGuid():N}@e2e.example.org", organisationMayView: false);
        var seen = NotificationHost.Start;
        var incident = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High,
            new FindingSpec("Suspicious sign-in to a personal account", Severity.High, Confidence.High, "Change the password.", seen, seen, PersonId: dana.Id),
            new FindingSpec("Suspicious sign-in to a personal account", Severity.High, Confidence.High, "Change the password.", seen, seen, PersonId: eli.Id));
        var notices = await host.WithDbAsync(db => db.Notices.Where(n => n.IncidentId == incident.Id).ToListAsync(Ct));
        var danaNotice = notices.Single(n => n.Audience == NoticeAudience.Person && n.PersonId == dana.Id).Id;
        var eliNotice = notices.Single(n => n.Audience == NoticeAudience.Person && n.PersonId == eli.Id).Id;
        var asDana = PersonClient(dana.Id, member.Id);

        var mine = await asDana.GetFromJsonAsync<JsonElement>("/api/v1/me/notices", Json, Ct);
        Assert.Equal([danaNotice], mine.EnumerateArray().Select(n => n.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await asDana.GetAsync($"/api/v1/me/notices/{eliNotice}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asDana.PostAsync($"/api/v1/me/notices/{eliNotice}/acknowledge", null, Ct)).StatusCode);

        var ack = await asDana.PostAsync($"/api/v1/me/notices/{danaNotice}/acknowledge", null, Ct);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var feedback = await asDana.PostAsJsonAsync($"/api/v1/me/notices/{danaNotice}/feedback", new { kind = "this-was-me", comment = "I signed in from a hotel" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        var stored = await host.WithDbAsync(db => db.Notices.SingleAsync(n => n.Id == danaNotice, Ct));
        Assert.Equal((dana.Id, "this-was-me"), (stored.AcknowledgedBy!.Value, stored.Feedback));

        // A person token does not open the organisation's routes, and an org key does not open /me.
        Assert.Equal(HttpStatusCode.Unauthorized, (await asDana.GetAsync("/api/v1/notices", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(member.AdminToken).GetAsync("/api/v1/me/notices", Ct)).StatusCode);
    }

    [Fact]
    public async Task Withdrawal_erases_the_persons_findings_incidents_notices_and_deliveries()
    {
        host.EnsureAvailable();
        var member = await host.CreateMemberAsync("Clinic " + Guid.NewGuid().ToString("N")[..6]);
        await host.AddContactAsync(member, $"soc-{Guid.NewGuid():N}@e2e.example.org");
        var fay = await host.AddPersonAsync(member.Id, $"fay-{Guid.NewGuid():N}@e2e.example.org", organisationMayView: false);
        var seen = NotificationHost.Start;
        var personal = await host.IssueIncidentAsync(member.Id, Severity.High, Confidence.High,
            new FindingSpec("Suspicious sign-in to a personal account", Severity.High, Confidence.High, "Change the password.", seen, seen, PersonId: fay.Id));
        var organisational = await host.IssueIncidentAsync(member.Id, Severity.Critical, Confidence.High,
            new FindingSpec("ProxyLogon server-side request forgery (CVE-2021-26855)", Severity.Critical, Confidence.High, "Install KB5000871.", seen, seen));
        Assert.True(await host.WithDbAsync(db => db.Deliveries.AnyAsync(d => db.Notices.Any(n => n.Id == d.NoticeId && n.PersonId == fay.Id), Ct)));

        var withdraw = await PersonClient(fay.Id, member.Id).PostAsync("/api/v1/me/withdraw", null, Ct);
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);

        var left = await host.WithDbAsync(async db => (
            Findings: await db.Findings.CountAsync(f => f.PersonId == fay.Id, Ct),
            PersonalIncident: await db.Incidents.AnyAsync(i => i.Id == personal.Id, Ct),
            Notices: await db.Notices.CountAsync(n => n.PersonId == fay.Id || n.IncidentId == personal.Id, Ct),
            Deliveries: await db.Deliveries.CountAsync(d => !db.Notices.Any(n => n.Id == d.NoticeId), Ct),
            OrganisationIncident: await db.Incidents.AnyAsync(i => i.Id == organisational.Id, Ct),
            OrganisationNotices: await db.Notices.CountAsync(n => n.IncidentId == organisational.Id, Ct)));
        Assert.Equal((0, false, 0, 0, true, 1), left);
    }

    private HttpClient PersonClient(Guid personId, Guid organisationId)
    {
        var (token, _) = host.Host.Services.GetRequiredService<PersonTokens>().Issue(personId, organisationId);
        var client = host.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public sealed class NotificationPersonalNoticesSqliteTests(SqliteNotificationHost host) : NotificationPersonalNoticesTests<SqliteNotificationHost>(host);

public sealed class NotificationPersonalNoticesPostgresTests(PostgresNotificationHost host) : NotificationPersonalNoticesTests<PostgresNotificationHost>(host);
