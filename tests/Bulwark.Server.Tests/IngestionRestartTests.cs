using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Notification;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Notification;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>
/// Nothing accepted is lost: uploads accepted by one server process are scanned by the next one on the same data
/// directory and database, including an upload the first process was scanning when it stopped. The fixture only
/// lends its database and data directory; each "process" is a host of its own, started and stopped here.
/// </summary>
public abstract class IngestionRestartTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    [Fact]
    public async Task Uploads_accepted_before_a_restart_are_scanned_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        var uploads = Path.Combine(server.DataDirectory, "uploads");
        Guid queued;
        Guid interrupted;
        Member member;
        var staleOrphan = Path.Combine(uploads, Guid.NewGuid().ToString("N"));
        var freshOrphan = Path.Combine(uploads, Guid.NewGuid().ToString("N"));

        await using (var first = server.WithWebHostBuilder(b => b.UseSetting("Ingestion:WorkerEnabled", "false")))
        {
            member = await CreateMemberAsync(first, "Restart Org");
            var ingest = Client(first, member.IngestToken);
            queued = await UploadAcceptedAsync(ingest, "exchange-server.zip", SamplesZip, ct);
            interrupted = await UploadAcceptedAsync(ingest, "u_ex210303.log", await File.ReadAllBytesAsync(Path.Combine(Samples, "inetpub", "logs", "LogFiles", "W3SVC1", "u_ex210303.log"), ct), ct);

            // As if the process died while scanning the second one.
            await WithDatabaseAsync(first, db => db.Uploads.Where(u => u.Id == interrupted)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Scanning), ct));
            var status = await Client(first, member.IngestToken).GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{queued}", Json, ct);
            Assert.Equal("Queued", status.GetProperty("status").GetString());
            Assert.True(File.Exists(Path.Combine(uploads, queued.ToString("N"), "exchange-server.zip")));

            // Folders without an upload row: one left by a crash long ago, one still arriving.
            Directory.CreateDirectory(staleOrphan);
            await File.WriteAllTextAsync(Path.Combine(staleOrphan, "partial.log"), "half an upload", ct);
            File.SetLastWriteTimeUtc(Path.Combine(staleOrphan, "partial.log"), DateTime.SpecifyKind(new DateTime(2021, 3, 3), DateTimeKind.Utc));
            Directory.CreateDirectory(freshOrphan);
            await File.WriteAllTextAsync(Path.Combine(freshOrphan, "arriving.log"), "still arriving", ct);
        }

        await using var second = server.WithWebHostBuilder(b => b.UseSetting("Ingestion:WorkerEnabled", "true"));
        var client = Client(second, member.IngestToken);
        var zip = await WaitForUploadAsync(client, queued, ct);
        var log = await WaitForUploadAsync(client, interrupted, ct);

        Assert.Equal(("Done", 24), (zip.GetProperty("status").GetString(), zip.GetProperty("findings").GetInt32()));
        Assert.Equal(("Done", 7), (log.GetProperty("status").GetString(), log.GetProperty("findings").GetInt32()));
        Assert.Equal(JsonValueKind.Null, log.GetProperty("reason").ValueKind);
        Assert.False(Directory.Exists(Path.Combine(uploads, queued.ToString("N"))));
        Assert.False(Directory.Exists(Path.Combine(uploads, interrupted.ToString("N"))));
        Assert.False(Directory.Exists(staleOrphan));
        Assert.True(Directory.Exists(freshOrphan));

        // Both uploads' findings, each stored once: the IIS log's seven findings have their own ids (other evidence
        // paths) and join the archive's incidents, so the incident count stays the samples' 16.
        Assert.Equal(31, await WithDatabaseAsync(second, db => db.Findings.CountAsync(f => f.OrganisationId == member.Id, ct)));
        Assert.Equal(16, (await IncidentsAsync(Client(second, member.AdminToken), "", ct)).Count);
    }

    /// <summary>
    /// The crash test: the first process accepts an upload and holds a confirmed incident's notice in the
    /// outbox (one email leased by a send that never finished, one email and one webhook not yet tried) when it
    /// stops. The next process scans the upload and delivers each of the three exactly once, the leased email only
    /// after its lease runs out.
    /// </summary>
    [Fact]
    public async Task An_upload_and_a_pending_notice_survive_a_restart_and_nothing_is_sent_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        await using var smtp = await Smtp4Dev.StartAsync(ct);
        await using var hooks = await WebhookReceiver.StartAsync();
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var leaseTime = TimeSpan.FromMinutes(2);
        var hook = "restart-" + Guid.NewGuid().ToString("N");
        var (leasedTo, queuedTo) = ($"soc-{Guid.NewGuid():N}@restart.test", $"ciso-{Guid.NewGuid():N}@restart.test");
        Guid upload;
        Member member;
        DateTimeOffset leasedUntil;

        WebApplicationFactory<Program> Host(bool workers) => server.WithWebHostBuilder(b => b
            .UseSetting("Ingestion:WorkerEnabled", workers ? "true" : "false")
            .UseSetting("Notifications:RunWorker", workers ? "true" : "false")
            .UseSetting("Notifications:PollInterval", "00:00:00.100")
            .UseSetting("Notifications:LeaseTime", leaseTime.ToString())
            .UseSetting("Notifications:SendTimeout", "00:00:10")
            .UseSetting("Notifications:AllowLoopbackWebhooks", "true")
            .UseSetting("Smtp:Host", "127.0.0.1")
            .UseSetting("Smtp:Port", smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Smtp:Security", "None")
            .UseSetting("Smtp:From", "Bulwark notices <notices@restart.test>")
            .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));

        await using (var first = Host(workers: false))
        {
            member = await CreateMemberAsync(first, "Crash Org");
            var admin = Client(first, member.AdminToken);
            foreach (var (email, order) in new[] { (leasedTo, 0), (queuedTo, 0) })
            {
                (await admin.PostAsJsonAsync($"/api/v1/organisations/{member.Id}/contacts", new { email, name = "Security contact", escalationOrder = order, language = "en" }, Json, ct)).EnsureSuccessStatusCode();
            }

            var registered = await admin.PostAsJsonAsync($"/api/v1/organisations/{member.Id}/webhooks", new { url = hooks.UrlFor(hook) }, Json, ct);
            registered.EnsureSuccessStatusCode();
            hooks.Register(hook, (await registered.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("secret").GetString()!);

            upload = await UploadAcceptedAsync(Client(first, member.IngestToken), "exchange-server.zip", SamplesZip, ct);
            await SubmitAsync(Client(first, member.IngestToken), new System.Text.Json.Nodes.JsonArray(Finding("BW-7000000000000001", "192.0.2.70")), ct);
            var incident = Assert.Single(await IncidentsAsync(admin, "", ct)).GetProperty("id").GetGuid();
            var analyst = Client(first, await CreateKeyAsync(first, "restart analyst", "Analyst", null));
            (await analyst.PostAsJsonAsync($"/api/v1/incidents/{incident}/confirm", new { reason = "crash test" }, Json, ct)).EnsureSuccessStatusCode();

            // A delivery pass had leased the first email and was sending it when the process stopped.
            leasedUntil = clock.GetUtcNow() + leaseTime;
            Assert.Equal(1, await WithDatabaseAsync(first, db => db.Deliveries.Where(d => d.Recipient == leasedTo)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeasedUntil, leasedUntil), ct)));
            var pending = await WithDatabaseAsync(first, db => db.Deliveries.Where(d => d.OrganisationId == member.Id).ToListAsync(ct));
            Assert.Equal(
                [(DeliveryChannel.Email, DeliveryStatus.Pending, 0), (DeliveryChannel.Email, DeliveryStatus.Pending, 0), (DeliveryChannel.Webhook, DeliveryStatus.Pending, 0)],
                pending.Select(d => (d.Channel, d.Status, d.Attempts)).Order());
            Assert.Equal("Queued", (await Client(first, member.IngestToken).GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{upload}", Json, ct)).GetProperty("status").GetString());
        }

        List<Delivery> deliveries;
        await using (var second = Host(workers: true))
        {
            var scanned = await WaitForUploadAsync(Client(second, member.IngestToken), upload, ct);
            Assert.Equal(("Done", 24), (scanned.GetProperty("status").GetString(), scanned.GetProperty("findings").GetInt32()));

            // The queued email and the webhook go out; the leased email waits for its lease (the clock has not moved).
            await UntilAsync(second, member.Id, d => d.Recipient != leasedTo && d.Status == DeliveryStatus.Sent, 2, ct);
            var leased = await WithDatabaseAsync(second, db => db.Deliveries.SingleAsync(d => d.Recipient == leasedTo, ct));
            Assert.Equal((DeliveryStatus.Pending, 0, leasedUntil), (leased.Status, leased.Attempts, leased.LeasedUntil));

            clock.Advance(leaseTime);
            await UntilAsync(second, member.Id, d => d.Status == DeliveryStatus.Sent, 3, ct);
            deliveries = await WithDatabaseAsync(second, db => db.Deliveries.Where(d => d.OrganisationId == member.Id).ToListAsync(ct));
            Assert.Equal(24 + 1, await WithDatabaseAsync(second, db => db.Findings.CountAsync(f => f.OrganisationId == member.Id, ct)));
            Assert.Equal(16 + 1, (await IncidentsAsync(Client(second, member.AdminToken), "", ct)).Count);
            Assert.Single(await WithDatabaseAsync(second, db => db.Notices.Where(n => n.OrganisationId == member.Id).ToListAsync(ct)));
        }

        // The second process has stopped too, so nothing is still on its way: every recipient got exactly one copy.
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Sent, 1, (DateTimeOffset?)null), (d.Status, d.Attempts, d.LeasedUntil)));
        foreach (var to in new[] { leasedTo, queuedTo })
        {
            var email = Assert.Single(await smtp.MessagesToAsync(to, ct));
            var key = deliveries.Single(d => d.Recipient == to).IdempotencyKey;
            Assert.Equal(NoticeEmail.MessageIdFor(key, "restart.test"), email.Message.MessageId);
        }

        var received = Assert.Single(hooks.For(hook));
        Assert.Equal((deliveries.Single(d => d.Channel == DeliveryChannel.Webhook).IdempotencyKey, true), (received.Id, received.SignatureValid));
    }

    /// <summary>Polls until <paramref name="count"/> of the organisation's deliveries match (within 60 s).</summary>
    private static async Task UntilAsync(WebApplicationFactory<Program> host, Guid organisationId, System.Linq.Expressions.Expression<Func<Delivery, bool>> match, int count, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + 60_000;
        while (await WithDatabaseAsync(host, db => db.Deliveries.Where(d => d.OrganisationId == organisationId).CountAsync(match, ct)) < count)
        {
            Assert.True(Environment.TickCount64 < deadline, $"fewer than {count} deliveries matched within 60 s");
            await Task.Delay(50, ct);
        }
    }

    [Fact]
    public async Task An_upload_interrupted_twice_is_not_tried_again()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        Guid id;
        Member member;
        await using (var first = server.WithWebHostBuilder(b => b.UseSetting("Ingestion:WorkerEnabled", "false")))
        {
            member = await CreateMemberAsync(first, "Poison Org");
            id = await UploadAcceptedAsync(Client(first, member.IngestToken), "poison.log", "#Software: Microsoft Internet Information Services 10.0\n"u8.ToArray(), ct);
            await WithDatabaseAsync(first, db => db.Uploads.Where(u => u.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Scanning).SetProperty(u => u.Reason, UploadScanWorker.Interrupted), ct));
        }

        await using var second = server.WithWebHostBuilder(b => b.UseSetting("Ingestion:WorkerEnabled", "true"));
        var upload = await WaitForUploadAsync(Client(second, member.IngestToken), id, ct);

        Assert.Equal("Failed", upload.GetProperty("status").GetString());
        Assert.Equal("not scanned: the server stopped twice while scanning it", upload.GetProperty("reason").GetString());
        Assert.True(await GoneAsync(Path.Combine(server.DataDirectory, "uploads", id.ToString("N"))), "the upload's bytes are deleted once its outcome is committed");
    }
}

public sealed class IngestionRestartSqliteTests(SqliteServer server) : IngestionRestartTests<SqliteServer>(server);

public sealed class IngestionRestartPostgresTests(PostgresServer server) : IngestionRestartTests<PostgresServer>(server);
