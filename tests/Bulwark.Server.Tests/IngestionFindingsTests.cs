using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>Findings submitted by a member's own scan: validated field by field, idempotent, isolated per organisation.</summary>
public abstract class IngestionFindingsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    [Fact]
    public async Task Valid_findings_are_stored_once_and_grouped()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Submitter");
        var ingest = server.As(member.IngestToken);
        var body = new JsonArray(
            Finding("BW-0000000000000001", "130.255.189.21"),
            Finding("BW-0000000000000002", "130.255.189.21", "exchange.intel.attacker-user-agent", "high", "medium"));

        var first = await SubmitAsync(ingest, body, ct);
        var second = await SubmitAsync(ingest, body, ct);
        var twiceInOne = await SubmitAsync(ingest, new JsonArray(Finding("BW-0000000000000003", "203.0.113.45"), Finding("BW-0000000000000003", "203.0.113.45")), ct);

        Assert.Equal((2, 0, 0), Counts(first));
        Assert.Equal((0, 2, 0), Counts(second));
        Assert.Equal((1, 1, 0), Counts(twiceInOne));
        var incidents = await IncidentsAsync(server.As(member.AdminToken), "", ct);
        Assert.Equal(
            [("infrastructure", "130.255.189.21", 2, "Critical"), ("infrastructure", "203.0.113.45", 1, "Critical")],
            incidents.Select(i => (i.GetProperty("family").GetString()!, i.GetProperty("groupKey").GetString()!, i.GetProperty("findings").GetInt32(), i.GetProperty("severity").GetString()!)).Order());
        var detail = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidents.Single(i => i.GetProperty("groupKey").GetString() == "130.255.189.21").GetProperty("id")}", Json, ct);
        var ssrf = detail.GetProperty("findings")[0];
        Assert.Equal("BW-0000000000000001", ssrf.GetProperty("findingId").GetString());
        Assert.Equal("Submitted", ssrf.GetProperty("origin").GetString());
        Assert.Equal(["CVE-2021-26855"], ssrf.GetProperty("cves").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", ssrf.GetProperty("evidence")[1].GetProperty("file").GetString());
        Assert.Equal(15, ssrf.GetProperty("evidence")[1].GetProperty("line").GetInt64());
        Assert.Equal("2021-03-03T06:59:23.288Z", ssrf.GetProperty("evidence")[1].GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Json_lines_are_accepted_and_a_broken_line_fails_the_body()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Lines Submitter");
        var ingest = server.As(member.IngestToken);
        var lines = $"{Finding("BW-00000000000000a1", "198.51.100.77").ToJsonString()}\n\n{Finding("BW-00000000000000a2", "198.51.100.78").ToJsonString()}\n";

        var ok = await ingest.PostAsync("/api/v1/findings", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"), ct);
        var broken = await ingest.PostAsync("/api/v1/findings", new StringContent(lines + "{\"id\":\n", Encoding.UTF8, "application/x-ndjson"), ct);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal((2, 0, 0), Counts(await ok.Content.ReadFromJsonAsync<JsonElement>(Json, ct)));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.StartsWith("JSON Lines: line 4 is not JSON: ", (await broken.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_findings_are_rejected_one_by_one_with_the_field_named()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Hostile Submitter");
        var manyEvidence = Finding("BW-00000000000000b3", "10.0.0.3");
        manyEvidence["evidence"] = new JsonArray([.. Enumerable.Range(0, 10_000).Select(n => (JsonNode)Evidence("a.log", n, null, "10.0.0.3"))]);
        manyEvidence["evidenceCount"] = 10_000;
        var wrongSeverity = Finding("BW-00000000000000b4", "10.0.0.4");
        wrongSeverity["severity"] = 5;
        var numericId = Finding("x", "10.0.0.5");
        numericId["id"] = 12345;
        var evidenceNotArray = Finding("BW-00000000000000b6", "10.0.0.6");
        evidenceNotArray["evidence"] = "everything";
        var nul = Finding("BW-00000000000000b7", "10.0.0.7\u0000");
        var future = Finding("BW-00000000000000b8", "10.0.0.8", lastSeen: "2999-01-01T00:00:00Z");
        var missingTitle = Finding("BW-00000000000000b9", "10.0.0.9");
        missingTitle.Remove("title");
        var hugeField = Finding("BW-00000000000000c0", "10.0.0.10");
        hugeField["evidence"]![0]!["fields"]!["UserAgent"] = new string('A', 9000);
        var badCve = Finding("BW-00000000000000c1", "10.0.0.11");
        badCve["cves"] = new JsonArray("CVE-2021-26855; DROP TABLE");
        var countTooSmall = Finding("BW-00000000000000c2", "10.0.0.12");
        countTooSmall["evidenceCount"] = 1;
        var hugeTitle = Finding("BW-00000000000000b1", "10.0.0.2");
        hugeTitle["title"] = new string('x', 1_000_000);
        var body = new JsonArray(
            Finding("BW-00000000000000b0", "10.0.0.1"),
            hugeTitle,
            manyEvidence,
            wrongSeverity,
            numericId,
            evidenceNotArray,
            null,
            "a string",
            nul,
            future,
            missingTitle,
            hugeField,
            badCve,
            countTooSmall);

        var result = await SubmitAsync(server.As(member.IngestToken), body, ct);

        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(
            [
                (1, "title: value longer than 500 characters"),
                (2, "evidence: 10000 items; at most 1000 are accepted (evidenceCount carries the true number)"),
                (3, "severity: expected a string, found a number"),
                (4, "id: expected a string, found a number"),
                (5, "evidence: required array"),
                (6, "expected a finding object, found null"),
                (7, "expected a finding object, found a string"),
                (8, "subject: value contains a NUL character"),
                (9, "lastSeen: 2999-01-01T00:00:00Z is out of range (1990 to two days from now)"),
                (10, "title: required"),
                (11, "evidence[0].fields.UserAgent: value longer than 8192 characters"),
                (12, "cves[0]: 'CVE-2021-26855; DROP TABLE' is not valid: expected CVE ids such as CVE-2021-26855"),
                (13, "evidenceCount: 1 is less than the 2 evidence items sent"),
            ],
            result.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("reason").GetString()!)));
        Assert.Single(await IncidentsAsync(server.As(member.AdminToken), "", ct));
    }

    [Theory]
    [InlineData("not json at all", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"id\":\"BW-1\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[{\"id\":", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[]", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("[]", "application/json; charset=utf-16", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_body_that_is_not_a_json_array_of_findings_gets_problem_details(string body, string contentType, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Garbage Submitter");
        var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await server.As(member.IngestToken).PostAsync("/api/v1/findings", content, ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_array_is_an_empty_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Empty Submitter");

        Assert.Equal((0, 0, 0), Counts(await SubmitAsync(server.As(member.IngestToken), new JsonArray(), ct)));
    }

    [Fact]
    public async Task Oversized_submissions_are_refused_with_413()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        await using var small = server.WithWebHostBuilder(b => b
            .UseSetting("Ingestion:MaxSubmissionBytes", "65536")
            .UseSetting("Ingestion:MaxFindingsPerSubmission", "3")
            .UseSetting("Ingestion:WorkerEnabled", "false"));
        var member = await CreateMemberAsync(small, "Big Submitter");
        var ingest = Client(small, member.IngestToken);
        var big = Finding("BW-00000000000000d1", "10.1.0.1");
        big["remediation"] = new string('r', 70_000);
        var lines = string.Join('\n', Enumerable.Range(0, 4).Select(n => Finding($"BW-00000000000000e{n}", "10.1.0.2").ToJsonString()));

        var declared = await ingest.PostAsync("/api/v1/findings", JsonBody(new JsonArray(big)), ct);
        var chunked = await ingest.PostAsync("/api/v1/findings", new StreamContent(new ChunkedJson(JsonBody(new JsonArray(big.DeepClone())).ReadAsStream(ct))) { Headers = { ContentType = new("application/json") } }, ct);
        var tooMany = await ingest.PostAsync("/api/v1/findings", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"), ct);

        foreach (var response in new[] { declared, chunked, tooMany })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal(
                "a submission holds at most 65536 bytes and 3 findings (Ingestion:MaxSubmissionBytes, Ingestion:MaxFindingsPerSubmission); send several",
                (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("detail").GetString());
        }

        Assert.Empty(await IncidentsAsync(Client(small, member.AdminToken), "", ct));
    }

    [Fact]
    public async Task Keys_decide_who_submits_and_each_organisation_keeps_its_own_findings()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await server.CreateMemberAsync("Submitter A");
        var b = await server.CreateMemberAsync("Submitter B");
        var analyst = await server.CreateKeyAsync("submit analyst", "Analyst", null);
        var body = new JsonArray(Finding("BW-00000000000000f1", "192.0.2.10"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As("bwk_000000000000_nope").PostAsync("/api/v1/findings", JsonBody(body), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(null).PostAsync("/api/v1/findings", JsonBody(body), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.As(analyst).PostAsync("/api/v1/findings", JsonBody(body), ct)).StatusCode);

        // The same finding id is a different finding in another organisation: B's copy is B's, not a duplicate of A's.
        Assert.Equal((1, 0, 0), Counts(await SubmitAsync(server.As(a.IngestToken), body, ct)));
        Assert.Equal((1, 0, 0), Counts(await SubmitAsync(server.As(b.AdminToken), body, ct)));
        var ofA = await IncidentsAsync(server.As(a.AdminToken), "", ct);
        var ofB = await IncidentsAsync(server.As(b.AdminToken), "", ct);
        Assert.Equal([a.Id], ofA.Select(i => i.GetProperty("organisationId").GetGuid()));
        Assert.Equal([b.Id], ofB.Select(i => i.GetProperty("organisationId").GetGuid()));
        Assert.NotEqual(ofA[0].GetProperty("id").GetGuid(), ofB[0].GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await server.As(b.AdminToken).GetAsync($"/api/v1/incidents/{ofA[0].GetProperty("id")}", ct)).StatusCode);
    }

    /// <summary>A body without a declared length.</summary>
    private sealed class ChunkedJson(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class IngestionFindingsSqliteTests(SqliteServer server) : IngestionFindingsTests<SqliteServer>(server);

public sealed class IngestionFindingsPostgresTests(PostgresServer server) : IngestionFindingsTests<PostgresServer>(server);
