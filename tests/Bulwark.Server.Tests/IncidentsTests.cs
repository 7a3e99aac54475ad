using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Notification;
using Bulwark.Server.Notification;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>Incidents: who sees them, grouping windows, analyst decisions and the auto-confirm policy.</summary>
public abstract class IncidentsTests<TServer> : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private const string AutoReason = "auto-confirmed by policy (Incidents:AutoConfirm): severity critical meets critical, confidence high meets high";

    private readonly TServer _server;

    protected IncidentsTests(TServer server)
    {
        // The fixture's own host does not scan: tests that need the worker start a host with their settings, so no
        // second worker with other settings takes their uploads.
        server.Settings["Ingestion:WorkerEnabled"] = "false";
        _server = server;
    }

    [Fact]
    public async Task Organisations_see_their_own_incidents_and_staff_see_all_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await _server.CreateMemberAsync("Incident Org A");
        var b = await _server.CreateMemberAsync("Incident Org B");
        var analyst = await _server.CreateKeyAsync("list analyst", "Analyst", null);
        await SubmitAsync(_server.As(a.IngestToken), new JsonArray(Finding("BW-1000000000000001", "192.0.2.1"), Finding("BW-1000000000000002", "/owa/auth/x.aspx", "exchange.webshell.request.known-name")), ct);
        await SubmitAsync(_server.As(b.IngestToken), new JsonArray(Finding("BW-2000000000000001", "192.0.2.1")), ct);

        var ofA = await IncidentsAsync(_server.As(a.AdminToken), "", ct);
        var ofB = await IncidentsAsync(_server.As(b.AdminToken), "", ct);
        var staff = await IncidentsAsync(_server.As(analyst), $"&organisationId={a.Id}", ct);

        Assert.Equal(2, ofA.Count);
        Assert.All(ofA, i => Assert.Equal(a.Id, i.GetProperty("organisationId").GetGuid()));
        Assert.Equal([b.Id], ofB.Select(i => i.GetProperty("organisationId").GetGuid()));
        Assert.Equal(ofA.Select(i => i.GetProperty("id").GetGuid()).Order(), staff.Select(i => i.GetProperty("id").GetGuid()).Order());
        var idOfA = ofA[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await _server.As(b.AdminToken).GetAsync($"/api/v1/incidents/{idOfA}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.As(a.IngestToken).GetAsync("/api/v1/incidents", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.As(b.AdminToken).PostAsJsonAsync($"/api/v1/incidents/{idOfA}/dismiss", new { reason = "not ours" }, Json, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.As(analyst).GetAsync($"/api/v1/incidents/{idOfA}", ct)).StatusCode);

        var audit = await _server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={a.Id}", Json, ct);
        var entries = audit.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())).ToList();
        Assert.Contains(("incident.list", "incidents"), entries);
        Assert.Contains(("incident.read", $"incident/{idOfA}"), entries);
        Assert.DoesNotContain(entries, e => e.Item1 == "incident.read" && e.Item2 != $"incident/{idOfA}");
    }

    [Fact]
    public async Task Filters_and_pages()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Filter Org");
        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(
            Finding("BW-3000000000000001", "192.0.2.31"),
            Finding("BW-3000000000000002", "192.0.2.32", severity: "medium"),
            Finding("BW-3000000000000003", "192.0.2.33", severity: "medium"),
            Finding("BW-3000000000000004", "192.0.2.34", severity: "low")), ct);
        var admin = _server.As(member.AdminToken);

        var medium = await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents?severity=Medium", Json, ct);
        var page2 = await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents?pageSize=3&page=2", Json, ct);
        var confirmed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=Confirmed", Json, ct);
        var badFilter = await admin.GetAsync("/api/v1/incidents?severity=Apocalyptic", ct);

        Assert.Equal(2, medium.GetProperty("total").GetInt32());
        Assert.Equal(["192.0.2.32", "192.0.2.33"], medium.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("groupKey").GetString()).Order());
        Assert.Equal(4, page2.GetProperty("total").GetInt32());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.Equal(0, confirmed.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
    }

    [Fact]
    public async Task Findings_join_an_incident_within_the_window_and_open_a_new_one_outside_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Window Org");
        var ingest = _server.As(member.IngestToken);

        await SubmitAsync(ingest, new JsonArray(Finding("BW-4000000000000001", "192.0.2.40", severity: "high", confidence: "medium", firstSeen: "2021-03-01T00:00:00Z", lastSeen: "2021-03-01T01:00:00Z")), ct);
        // Six days after the last: same incident, which becomes critical with this finding's title.
        var later = Finding("BW-4000000000000002", "192.0.2.40", "exchange.proxyshell", firstSeen: "2021-03-07T01:00:00Z", lastSeen: "2021-03-07T02:00:00Z");
        later["title"] = "ProxyShell";
        await SubmitAsync(ingest, new JsonArray(later), ct);
        // Eight days after that: a new incident. A posture finding whose build parses as an address is not infrastructure.
        await SubmitAsync(ingest, new JsonArray(
            Finding("BW-4000000000000003", "192.0.2.40", firstSeen: "2021-03-15T02:00:01Z", lastSeen: "2021-03-15T03:00:00Z"),
            Finding("BW-4000000000000004", "15.1.2106", "exchange.posture.missing-updates")), ct);

        var incidents = await IncidentsAsync(_server.As(member.AdminToken), "", ct);
        Assert.Equal(
            [
                ("exchange.posture", "15.1.2106", 1, "2021-03-03T06:59:11.8400000+00:00", "2021-03-03T06:59:23.2880000+00:00", "ProxyLogon server-side request forgery (CVE-2021-26855)", "Critical"),
                ("infrastructure", "192.0.2.40", 1, "2021-03-15T02:00:01.0000000+00:00", "2021-03-15T03:00:00.0000000+00:00", "ProxyLogon server-side request forgery (CVE-2021-26855)", "Critical"),
                ("infrastructure", "192.0.2.40", 2, "2021-03-01T00:00:00.0000000+00:00", "2021-03-07T02:00:00.0000000+00:00", "ProxyShell", "Critical"),
            ],
            incidents.Select(i => (
                i.GetProperty("family").GetString()!,
                i.GetProperty("groupKey").GetString()!,
                i.GetProperty("findings").GetInt32(),
                i.GetProperty("firstSeen").GetDateTimeOffset().ToString("O"),
                i.GetProperty("lastSeen").GetDateTimeOffset().ToString("O"),
                i.GetProperty("title").GetString()!,
                i.GetProperty("severity").GetString()!)).Order());
    }

    [Fact]
    public async Task A_web_shell_written_through_OAB_requested_and_found_on_disk_is_one_incident()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Web Shell Org");
        var ingest = _server.As(member.IngestToken);

        // From three sources over three submissions: the OAB generator log, the IIS log, and a scan of the disk.
        await SubmitAsync(ingest, new JsonArray(Finding("BW-6000000000000001", "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx", "exchange.proxylogon.oab-file-write", firstSeen: "2021-03-03T07:03:41Z", lastSeen: "2021-03-03T07:03:41Z")), ct);
        await SubmitAsync(ingest, new JsonArray(Finding("BW-6000000000000002", "/aspnet_client/system_web/discover.aspx", "exchange.webshell.request.known-name", firstSeen: "2021-03-03T07:10:02Z", lastSeen: "2021-03-03T07:10:09Z")), ct);
        await SubmitAsync(ingest, new JsonArray(
            Finding("BW-6000000000000003", "D:/evidence/ex01/inetpub/wwwroot/aspnet_client/system_web/Discover.aspx", "exchange.webshell.content", firstSeen: "2021-03-03T07:03:41Z", lastSeen: "2021-03-03T07:03:41Z"),
            // A probe for the same page is not that shell; a shell on another page is another incident.
            Finding("BW-6000000000000004", "/aspnet_client/system_web/discover.aspx", "exchange.webshell.probe", severity: "low", confidence: "medium", firstSeen: "2021-03-03T07:20:00Z", lastSeen: "2021-03-03T07:20:00Z"),
            Finding("BW-6000000000000005", "inetpub/wwwroot/aspnet_client/system_web/other.aspx", "exchange.webshell.content", firstSeen: "2021-03-03T07:03:41Z", lastSeen: "2021-03-03T07:03:41Z")), ct);

        var incidents = await IncidentsAsync(_server.As(member.AdminToken), "", ct);
        Assert.Equal(
            [
                ("exchange.webshell", "/aspnet_client/system_web/discover.aspx", 1, "2021-03-03T07:20:00.0000000+00:00", "2021-03-03T07:20:00.0000000+00:00"),
                ("webshell", "/aspnet_client/system_web/discover.aspx", 3, "2021-03-03T07:03:41.0000000+00:00", "2021-03-03T07:10:09.0000000+00:00"),
                ("webshell", "/aspnet_client/system_web/other.aspx", 1, "2021-03-03T07:03:41.0000000+00:00", "2021-03-03T07:03:41.0000000+00:00"),
            ],
            incidents.Select(i => (
                i.GetProperty("family").GetString()!,
                i.GetProperty("groupKey").GetString()!,
                i.GetProperty("findings").GetInt32(),
                i.GetProperty("firstSeen").GetDateTimeOffset().ToString("O"),
                i.GetProperty("lastSeen").GetDateTimeOffset().ToString("O"))).Order());
    }

    [Fact]
    public async Task Analysts_confirm_or_dismiss_once_and_confirmation_issues_notices_in_the_same_transaction()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Decision Org");
        var analyst = await _server.CreateKeyAsync("decision analyst", "Analyst", null);
        var analystId = await KeyIdAsync(_server, "decision analyst");
        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(Finding("BW-5000000000000001", "192.0.2.51"), Finding("BW-5000000000000002", "192.0.2.52")), ct);
        var incidents = await IncidentsAsync(_server.As(member.AdminToken), "", ct);
        var toConfirm = incidents.Single(i => i.GetProperty("groupKey").GetString() == "192.0.2.51").GetProperty("id").GetGuid();
        var toDismiss = incidents.Single(i => i.GetProperty("groupKey").GetString() == "192.0.2.52").GetProperty("id").GetGuid();
        var asAnalyst = _server.As(analyst);

        var confirmed = await asAnalyst.PostAsJsonAsync($"/api/v1/incidents/{toConfirm}/confirm", new { reason = "matches HAFNIUM tradecraft" }, Json, ct);
        var again = await asAnalyst.PostAsync($"/api/v1/incidents/{toConfirm}/confirm", null, ct);
        var dismissConfirmed = await asAnalyst.PostAsJsonAsync($"/api/v1/incidents/{toConfirm}/dismiss", new { reason = "changed my mind" }, Json, ct);
        var noReason = await asAnalyst.PostAsJsonAsync($"/api/v1/incidents/{toDismiss}/dismiss", new { reason = "  " }, Json, ct);
        var dismissed = await asAnalyst.PostAsJsonAsync($"/api/v1/incidents/{toDismiss}/dismiss", new { reason = "our own penetration test" }, Json, ct);
        var byAdmin = await _server.As(member.AdminToken).PostAsync($"/api/v1/incidents/{toDismiss}/confirm", null, ct);
        var missing = await asAnalyst.PostAsync($"/api/v1/incidents/{Guid.NewGuid()}/confirm", null, ct);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var view = await confirmed.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        Assert.Equal("Confirmed", view.GetProperty("status").GetString());
        Assert.Equal(analystId, view.GetProperty("decidedBy").GetGuid());
        Assert.Equal("matches HAFNIUM tradecraft", view.GetProperty("decisionReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.StartsWith("the incident is Confirmed since ", (await again.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, dismissConfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(
            "a reason of 1 to 2000 characters is required to dismiss",
            (await noReason.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal("Dismissed", (await dismissed.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The notices module's issuer ran inside the confirmation: its organisation notice committed with it; a
        // dismissal issues nothing.
        var notices = await WithDatabaseAsync(_server, db => db.Notices.Where(n => n.OrganisationId == member.Id).Select(n => new { n.IncidentId, n.Audience }).ToListAsync(ct));
        Assert.Equal([(toConfirm, NoticeAudience.Organisation)], notices.Select(n => (n.IncidentId, n.Audience)));

        var audit = await _server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}", Json, ct);
        var decisions = audit.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("incident.", StringComparison.Ordinal) && e.GetProperty("action").GetString() != "incident.list")
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString(), e.GetProperty("actorId").GetGuid()))
            .ToList();
        Assert.Equal([("incident.dismiss", $"incident/{toDismiss}", analystId), ("incident.confirm", $"incident/{toConfirm}", analystId)], decisions);
    }

    [Fact]
    public async Task A_new_finding_never_joins_a_dismissed_incident()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Dismissed Org");
        var analyst = await _server.CreateKeyAsync("dismiss analyst", "Analyst", null);
        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(Finding("BW-6000000000000001", "192.0.2.61")), ct);
        var first = (await IncidentsAsync(_server.As(member.AdminToken), "", ct)).Single().GetProperty("id").GetGuid();
        (await _server.As(analyst).PostAsJsonAsync($"/api/v1/incidents/{first}/dismiss", new { reason = "scanner we run" }, Json, ct)).EnsureSuccessStatusCode();

        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(Finding("BW-6000000000000002", "192.0.2.61")), ct);

        var incidents = await IncidentsAsync(_server.As(member.AdminToken), "", ct);
        Assert.Equal(
            [("Dismissed", 1), ("Unconfirmed", 1)],
            incidents.Select(i => (i.GetProperty("status").GetString()!, i.GetProperty("findings").GetInt32())).Order());
    }

    [Fact]
    public async Task Auto_confirm_confirms_new_and_grown_incidents_that_meet_the_policy()
    {
        var ct = TestContext.Current.CancellationToken;
        _server.EnsureAvailable();
        await using var policy = _server.WithWebHostBuilder(b => b.UseSetting("Incidents:AutoConfirm", "true"));
        var member = await CreateMemberAsync(policy, "Policy Org");
        var ingest = Client(policy, member.IngestToken);

        await SubmitAsync(ingest, new JsonArray(
            Finding("BW-7000000000000001", "192.0.2.71"),
            Finding("BW-7000000000000002", "192.0.2.72", "exchange.intel.attacker-user-agent", "high", "medium"),
            Finding("BW-7000000000000003", "192.0.2.73", severity: "critical", confidence: "medium")), ct);
        var before = await IncidentsAsync(Client(policy, member.AdminToken), "", ct);
        await SubmitAsync(ingest, new JsonArray(Finding("BW-7000000000000004", "192.0.2.72")), ct);
        var after = await IncidentsAsync(Client(policy, member.AdminToken), "", ct);

        Assert.Equal(
            [("192.0.2.71", "Confirmed"), ("192.0.2.72", "Unconfirmed"), ("192.0.2.73", "Unconfirmed")],
            before.Select(i => (i.GetProperty("groupKey").GetString()!, i.GetProperty("status").GetString()!)).Order());
        Assert.Equal(
            [("192.0.2.71", "Confirmed", AutoReason), ("192.0.2.72", "Confirmed", AutoReason), ("192.0.2.73", "Unconfirmed", null)],
            after.Select(i => (i.GetProperty("groupKey").GetString()!, i.GetProperty("status").GetString()!, i.GetProperty("decisionReason").GetString())).Order());
        Assert.All(after.Where(i => i.GetProperty("status").GetString() == "Confirmed"), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("decidedBy").ValueKind));

        var audit = await Client(policy, BulwarkServer.BootstrapToken).GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=incident.auto-confirm&organisationId={member.Id}", Json, ct);
        Assert.Equal(
            after.Where(i => i.GetProperty("status").GetString() == "Confirmed").Select(i => $"incident/{i.GetProperty("id").GetGuid()}").Order(),
            audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString()!).Order());
        Assert.All(audit.GetProperty("entries").EnumerateArray(), e => Assert.Equal("policy", e.GetProperty("actorScope").GetString()));
    }

    [Fact]
    public async Task The_scan_worker_auto_confirms_with_the_notice_issuer_in_its_own_unit_of_work()
    {
        var ct = TestContext.Current.CancellationToken;
        _server.EnsureAvailable();
        var issued = new ConcurrentQueue<(Guid Incident, IncidentStatus Status, int Findings)>();
        await using var policy = _server.WithWebHostBuilder(b => b
            .UseSetting("Incidents:AutoConfirm", "true")
            .UseSetting("Ingestion:WorkerEnabled", "true")
            .ConfigureTestServices(s => s.AddScoped<INoticeIssuer>(sp => new RecordingIssuer(sp.GetRequiredService<BulwarkDbContext>(), issued))));
        var member = await CreateMemberAsync(policy, "Worker Policy Org");
        var ingest = Client(policy, member.IngestToken);

        var id = await UploadAcceptedAsync(ingest, "exchange-server.zip", SamplesZip, ct);
        Assert.Equal("Done", (await WaitForUploadAsync(ingest, id, ct)).GetProperty("status").GetString());

        // Critical and high-confidence incidents of the samples are confirmed (13 of 16); the high/medium user
        // agent of 203.0.113.77, the medium SSRF attempt of 198.51.100.23 and the medium staged archive are not.
        var incidents = await IncidentsAsync(Client(policy, member.AdminToken), "", ct);
        var confirmed = incidents.Where(i => i.GetProperty("status").GetString() == "Confirmed").ToList();
        Assert.Equal(16, incidents.Count);
        Assert.Equal(
            IngestionUploadTests<TServer>.SampleIncidents.Count(i => i.Severity == "Critical" && i.Confidence == "High"),
            confirmed.Count);
        Assert.Equal(13, confirmed.Count);
        Assert.Equal(
            confirmed.Select(i => (i.GetProperty("id").GetGuid(), IncidentStatus.Confirmed, i.GetProperty("findings").GetInt32())).Order(),
            issued.Order());

        // What the issuer added to the worker's context committed with the findings.
        var marks = await WithDatabaseAsync(policy, db => db.Notices.Where(n => n.OrganisationId == member.Id && n.Title == RecordingIssuer.Title).CountAsync(ct));
        Assert.Equal(13, marks);
    }

    [Theory]
    [InlineData("Incidents:GroupingWindow", "-1.00:00:00", "Incidents:GroupingWindow must be more than zero and at most 366 days (e.g. 7.00:00:00)")]
    [InlineData("Incidents:GroupingWindow", "400.00:00:00", "Incidents:GroupingWindow must be more than zero and at most 366 days (e.g. 7.00:00:00)")]
    [InlineData("Ingestion:PollInterval", "00:00:00", "Ingestion:PollInterval must be between 00:00:01 and 01:00:00")]
    public void Bad_policy_settings_stop_the_server_at_start(string key, string value, string expected)
    {
        _server.EnsureAvailable();
        using var bad = _server.WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => bad.CreateClient());

        Assert.Contains(expected, error.Failures);
    }

    /// <summary>Stands in for the notices module to check the contract: called once per confirmation, inside the caller's unit of work.</summary>
    private sealed class RecordingIssuer(BulwarkDbContext db, ConcurrentQueue<(Guid, IncidentStatus, int)> issued) : INoticeIssuer
    {
        public const string Title = "recorded by the test issuer";

        public Task IssueAsync(Incident incident, CancellationToken ct)
        {
            var findings = db.ChangeTracker.Entries<Bulwark.Data.Ingestion.FindingRecord>().Count(e => e.Entity.IncidentId == incident.Id);
            issued.Enqueue((incident.Id, incident.Status, findings));
            db.Notices.Add(new Notice
            {
                Id = Guid.NewGuid(),
                OrganisationId = incident.OrganisationId,
                IncidentId = incident.Id,
                Title = Title,
                Summary = "-",
                Remediation = "-",
            });
            return Task.CompletedTask;
        }
    }
}

public sealed class IncidentsSqliteTests(SqliteServer server) : IncidentsTests<SqliteServer>(server);

public sealed class IncidentsPostgresTests(PostgresServer server) : IncidentsTests<PostgresServer>(server);
