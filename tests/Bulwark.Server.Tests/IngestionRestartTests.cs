using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
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
        // paths) and join the archive's incidents, so the incident count stays the samples' 17.
        Assert.Equal(31, await WithDatabaseAsync(second, db => db.Findings.CountAsync(f => f.OrganisationId == member.Id, ct)));
        Assert.Equal(17, (await IncidentsAsync(Client(second, member.AdminToken), "", ct)).Count);
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
