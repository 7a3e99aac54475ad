using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>Uploads end to end: accepted to disk, scanned by the worker into findings and incidents, bytes deleted.</summary>
public abstract class IngestionUploadTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    /// <summary>
    /// The incidents of the zipped samples tree (ADR 7): (family, group key, findings). The 24 findings of the
    /// README tour: every finding whose subject is a client address joins that address's incident whatever its
    /// detection (130.255.189.21: ProxyLogon request, SSRF, SSRF attempt, vdir reset, attacker user agent), the
    /// build's posture finding is its own incident, web shells group by the page's site-relative path however they
    /// were seen, and the rest by detection family and subject. discover.aspx written through the OAB generator
    /// (07:03) and then requested (07:10) is one incident; the files on disk carry their modification times (the
    /// checkout's, years after the logs), so each opens a second incident under its page's key.
    /// </summary>
    public static readonly (string Family, string GroupKey, int Findings, string Severity, string Confidence)[] SampleIncidents =
    [
        ("infrastructure", "130.255.189.21", 5, "Critical", "High"),
        ("infrastructure", "104.140.114.110", 3, "Critical", "High"),
        ("infrastructure", "198.51.100.77", 2, "Critical", "High"),
        ("infrastructure", "203.0.113.45", 1, "Critical", "High"),
        ("infrastructure", "203.0.113.61", 1, "Critical", "High"),
        ("infrastructure", "203.0.113.99", 1, "Critical", "High"),
        ("infrastructure", "203.0.113.77", 1, "High", "Medium"),
        ("infrastructure", "198.51.100.23", 1, "Medium", "Medium"),
        ("exchange.posture", "15.1.2106.2", 1, "Critical", "High"),
        ("exchange.proxylogon", "Set-OabVirtualDirectory -ExternalUrl", 1, "Critical", "High"),
        ("webshell", "/aspnet_client/system_web/discover.aspx", 2, "Critical", "High"),
        ("webshell", "/aspnet_client/system_web/discover.aspx", 1, "Critical", "High"),
        ("webshell", "/owa/auth/redirsuiteserverproxy.aspx", 1, "Critical", "High"),
        ("webshell", "/owa/auth/redirsuiteserverproxy.aspx", 1, "Critical", "High"),
        ("exchange.postexploit", "exchange-server.zip/Windows/Temp/lsass.dmp", 1, "Critical", "High"),
        ("exchange.postexploit", "exchange-server.zip/ProgramData/it.zip", 1, "Medium", "Low"),
    ];

    [Fact]
    public async Task Zipped_samples_upload_is_scanned_into_24_findings_and_16_incidents_and_its_bytes_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Upload Org");
        var ingest = server.As(member.IngestToken);
        var zip = SamplesZip;

        var id = await UploadAcceptedAsync(ingest, "exchange-server.zip", zip, ct);
        var upload = await WaitForUploadAsync(ingest, id, ct);

        Assert.Equal("Done", upload.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, upload.GetProperty("reason").ValueKind);
        Assert.Equal("exchange-server.zip", upload.GetProperty("fileName").GetString());
        Assert.Equal(zip.LongLength, upload.GetProperty("size").GetInt64());
        Assert.Equal(Sha256(zip), upload.GetProperty("sha256").GetString());
        Assert.Equal(24, upload.GetProperty("findings").GetInt32());
        Assert.True(await GoneAsync(Path.Combine(server.DataDirectory, "uploads", id.ToString("N"))), "the upload's bytes are deleted once its outcome is committed");

        var admin = server.As(member.AdminToken);
        var incidents = await IncidentsAsync(admin, "", ct);
        Assert.Equal(
            SampleIncidents.Order(),
            incidents.Select(i => (
                i.GetProperty("family").GetString()!,
                i.GetProperty("groupKey").GetString()!,
                i.GetProperty("findings").GetInt32(),
                i.GetProperty("severity").GetString()!,
                i.GetProperty("confidence").GetString()!)).Order());
        Assert.All(incidents, i => Assert.Equal("Unconfirmed", i.GetProperty("status").GetString()));

        // The ProxyLogon chain: span of its five findings, the worst finding's title, the evidence as Core wrote it.
        var chain = incidents.Single(i => i.GetProperty("groupKey").GetString() == "130.255.189.21");
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 6, 59, 10, TimeSpan.Zero), chain.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 6, 59, 23, 288, TimeSpan.Zero), chain.GetProperty("lastSeen").GetDateTimeOffset());
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{chain.GetProperty("id").GetGuid()}", Json, ct);
        var findings = detail.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(
            ["exchange.intel.attacker-user-agent", "exchange.proxylogon.request", "exchange.proxylogon.ssrf", "exchange.proxylogon.ssrf-attempt", "exchange.proxylogon.vdir-reset"],
            findings.Select(f => f.GetProperty("detection").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(findings.Single(f => f.GetProperty("detection").GetString() == "exchange.proxylogon.request").GetProperty("title").GetString(), chain.GetProperty("title").GetString());
        var ssrf = findings.Single(f => f.GetProperty("detection").GetString() == "exchange.proxylogon.ssrf");
        Assert.Equal(6, ssrf.GetProperty("evidenceCount").GetInt32());
        Assert.Equal("Upload", ssrf.GetProperty("origin").GetString());
        Assert.Equal(id, ssrf.GetProperty("uploadId").GetGuid());
        var first = ssrf.GetProperty("evidence")[0];
        Assert.Equal("exchange-server.zip/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", first.GetProperty("file").GetString());
        Assert.Equal(11, first.GetProperty("line").GetInt64());
        Assert.Equal("2021-03-03T06:59:11.840Z", first.GetProperty("timestamp").GetString());
        Assert.Equal("130.255.189.21", first.GetProperty("fields").GetProperty("ClientIpAddress").GetString());
        Assert.Equal(6, ssrf.GetProperty("evidence").GetArrayLength());

        // The same archive again: scanned, nothing stored twice.
        var again = await UploadAcceptedAsync(ingest, "exchange-server.zip", zip, ct);
        Assert.Equal("Done", (await WaitForUploadAsync(ingest, again, ct)).GetProperty("status").GetString());
        var after = await IncidentsAsync(admin, "", ct);
        Assert.Equal(16, after.Count);
        Assert.Equal(24, after.Sum(i => i.GetProperty("findings").GetInt32()));
        Assert.Equal(24, await WithDatabaseAsync(server, db => db.Findings.CountAsync(f => f.OrganisationId == member.Id, ct)));
    }

    [Fact]
    public async Task A_loose_log_under_a_climbing_name_is_stored_under_its_last_segment_and_recognised_by_content()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Loose Log Org");
        var ingest = server.As(member.IngestToken);
        var log = await File.ReadAllBytesAsync(Path.Combine(Samples, "inetpub", "logs", "LogFiles", "W3SVC1", "u_ex210303.log"), ct);

        var id = await UploadAcceptedAsync(ingest, "..\\../../etc/u_ex210303.log", log, ct);
        var upload = await WaitForUploadAsync(ingest, id, ct);

        // The IIS log alone: ProxyLogon requests from two addresses, the discover.aspx web shell, three attacker user
        // agents and one attacker address (what `bulwark scan u_ex210303.log` reports).
        Assert.Equal("u_ex210303.log", upload.GetProperty("fileName").GetString());
        Assert.Equal("Done", upload.GetProperty("status").GetString());
        Assert.Equal(7, upload.GetProperty("findings").GetInt32());
        var incidents = await IncidentsAsync(server.As(member.AdminToken), "", ct);
        Assert.Equal(
            [("infrastructure", "104.140.114.110", 3), ("infrastructure", "130.255.189.21", 2), ("infrastructure", "203.0.113.77", 1), ("webshell", "/aspnet_client/system_web/discover.aspx", 1)],
            incidents.Select(i => (i.GetProperty("family").GetString()!, i.GetProperty("groupKey").GetString()!, i.GetProperty("findings").GetInt32())).Order());
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("a/b/...")]
    [InlineData("\u0001\u0002")]
    public async Task A_name_with_nothing_usable_is_refused(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Bad Name Org");

        var response = await UploadAsync(server.As(member.IngestToken), name, new ByteArrayContent([1, 2, 3]), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        Assert.Equal("a file name is required, e.g. u_ex210303.log or logs.zip (the format is recognised by it)", problem.GetProperty("errors").GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task Garbage_is_scanned_and_fails_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Garbage Org");
        var ingest = server.As(member.IngestToken);
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);

        var bin = await WaitForUploadAsync(ingest, await UploadAcceptedAsync(ingest, "garbage.bin", garbage, ct), ct);
        var zip = await WaitForUploadAsync(ingest, await UploadAcceptedAsync(ingest, "logs.zip", garbage, ct), ct);
        var empty = await WaitForUploadAsync(ingest, await UploadAcceptedAsync(ingest, "notes.txt", "hello\n"u8.ToArray(), ct), ct);

        Assert.Equal("Failed", bin.GetProperty("status").GetString());
        Assert.Equal(
            "garbage.bin is not a log or archive Bulwark recognises: expected an Exchange HttpProxy, ECP server or OAB generator log, an IIS W3C log (recognised by name, folder or first lines), or a .zip, .gz, .tar, .tar.gz or .tgz archive of them",
            bin.GetProperty("reason").GetString());
        Assert.Equal(0, bin.GetProperty("findings").GetInt32());
        Assert.Equal("Failed", zip.GetProperty("status").GetString());
        Assert.StartsWith("logs.zip could not be read: 1 read error: logs.zip: not a readable archive (", zip.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(UploadScanWorker.NotRecognised("notes.txt"), empty.GetProperty("reason").GetString());
        Assert.Empty(await IncidentsAsync(server.As(member.AdminToken), "", ct));
    }

    [Fact]
    public async Task Oversized_uploads_are_refused_with_413_and_leave_nothing_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        await using var small = server.WithWebHostBuilder(b => b
            .UseSetting("Storage:MaxUploadBytes", "65536")
            .UseSetting("Ingestion:WorkerEnabled", "false"));
        var member = await CreateMemberAsync(small, "Big Upload Org");
        var ingest = Client(small, member.IngestToken);
        var uploads = Path.Combine(server.DataDirectory, "uploads");
        var before = Directory.GetDirectories(uploads).Length;

        var declared = await UploadAsync(ingest, "big.log", new ByteArrayContent(new byte[65537]), ct);
        var streamed = await UploadAsync(ingest, "big.log", new StreamContent(new UnknownLengthStream(new byte[200_000])), ct);
        var leftBehind = Directory.GetDirectories(uploads).Length - before;
        var exact = await UploadAsync(ingest, "exact.log", new ByteArrayContent(new byte[65536]), ct);

        foreach (var response in new[] { declared, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            Assert.Equal("uploads are limited to 65536 bytes (Storage:MaxUploadBytes); split the logs into several archives", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(0, leftBehind);
        Assert.Equal(HttpStatusCode.Accepted, exact.StatusCode);
        Assert.Equal(1, await WithDatabaseAsync(small, db => db.Uploads.CountAsync(u => u.OrganisationId == member.Id, ct)));
    }

    [Fact]
    public async Task An_upload_is_visible_to_its_organisation_and_to_staff_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await server.CreateMemberAsync("Upload Owner");
        var b = await server.CreateMemberAsync("Upload Neighbour");
        var analyst = await server.CreateKeyAsync("upload analyst", "Analyst", null);
        var id = await UploadAcceptedAsync(server.As(a.IngestToken), "notes.txt", "hello\n"u8.ToArray(), ct);
        await WaitForUploadAsync(server.As(a.IngestToken), id, ct);

        Assert.Equal(HttpStatusCode.OK, (await server.As(a.AdminToken).GetAsync($"/api/v1/uploads/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.As(b.IngestToken).GetAsync($"/api/v1/uploads/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.As(b.AdminToken).GetAsync($"/api/v1/uploads/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(null).GetAsync($"/api/v1/uploads/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.As(analyst).GetAsync($"/api/v1/uploads/{id}", ct)).StatusCode);

        // Staff reads are audited; staff cannot upload (an upload belongs to an organisation).
        var audit = await server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=upload.read&organisationId={a.Id}", Json, ct);
        Assert.Equal([$"upload/{id}"], audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(server.As(analyst), "x.log", new ByteArrayContent([1]), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(server.As("bwk_000000000000_nope"), "x.log", new ByteArrayContent([1]), ct)).StatusCode);
    }

    [Fact]
    public async Task Read_errors_are_summarised_in_the_reason_of_a_done_upload()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Read Error Org");
        var ingest = server.As(member.IngestToken);
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var entry = await zip.CreateEntry("W3SVC1/u_ex210303.log").OpenAsync(ct))
            {
                await entry.WriteAsync(await File.ReadAllBytesAsync(Path.Combine(Samples, "inetpub", "logs", "LogFiles", "W3SVC1", "u_ex210303.log"), ct), ct);
            }

            await using (var evil = await zip.CreateEntry("../evil.log").OpenAsync(ct))
            {
                await evil.WriteAsync("#Software: Microsoft Internet Information Services 10.0\n"u8.ToArray(), ct);
            }
        }

        var upload = await WaitForUploadAsync(ingest, await UploadAcceptedAsync(ingest, "logs.zip", buffer.ToArray(), ct), ct);

        Assert.Equal("Done", upload.GetProperty("status").GetString());
        Assert.Equal(7, upload.GetProperty("findings").GetInt32());
        Assert.Equal("1 read error: logs.zip: entry '../evil.log' climbs out of the archive (../); refused", upload.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Only_admitted_members_ingest()
    {
        var ct = TestContext.Current.CancellationToken;
        var applied = await server.As(null).PostAsJsonAsync("/api/v1/organisations/applications", new { name = "Applicant", sector = "Ngo", country = "FR" }, Json, ct);
        var org = (await applied.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("id").GetGuid();
        var ingest = server.As(await server.CreateKeyAsync("premature", "OrganisationIngest", org));

        var upload = await UploadAsync(ingest, "u_ex210303.log", new ByteArrayContent([1, 2, 3]), ct);
        var findings = await ingest.PostAsync("/api/v1/findings", JsonBody(new System.Text.Json.Nodes.JsonArray()), ct);

        foreach (var response in new[] { upload, findings })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal(
                "the organisation is Applied: only admitted members send logs and findings",
                (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("detail").GetString());
        }
    }

    /// <summary>A body sent chunked: the server learns its size only by reading it.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class IngestionUploadSqliteTests(SqliteServer server) : IngestionUploadTests<SqliteServer>(server);

public sealed class IngestionUploadPostgresTests(PostgresServer server) : IngestionUploadTests<PostgresServer>(server);
