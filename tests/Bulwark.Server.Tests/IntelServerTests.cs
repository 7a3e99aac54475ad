using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data.Intel;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Intel;
using Bulwark.Server.Storage;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.IngestionSupport;
using static Bulwark.Server.Tests.Support.TaxiiStix;

namespace Bulwark.Server.Tests;

/// <summary>
/// The server's intelligence end to end over real HTTP: sources an operator manages (uploaded files, Bulwark's own TAXII
/// server, a MISP feed), the intel set upload scans use, the retro-hunt of stored findings per organisation, the
/// actor in notices, and hostile requests. Every test uses values of its own, so they hold in any order.
/// </summary>
public abstract class IntelServerTests<TServer>(IntelHost<TServer> host) : IClassFixture<IntelHost<TServer>>
    where TServer : BulwarkServer, new()
{
    /// <summary>An indicator (GREEN, confidence 85) for the samples' ProxyLogon client, its intrusion set and the link; and one bad pattern.</summary>
    private const string Campaign = """
        {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
        {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","name":"ProxyLogon exploit client","pattern":"[ipv4-addr:value = '130.255.189.21']","pattern_type":"stix","valid_from":"2021-03-02T00:00:00Z","confidence":85,"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
        {"type":"indicator","spec_version":"2.1","id":"indicator--1f4d0e39-4d1a-4f4c-9a3d-3c2b0f1e2d3c","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","pattern":"[ipv4-addr:value = '130.255.189.21' AND ","pattern_type":"stix","valid_from":"2021-03-02T00:00:00Z"},
        {"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","name":"Exchange Crew","aliases":["Storm-9999"]},
        {"type":"relationship","spec_version":"2.1","id":"relationship--0a7f3b4e-55ce-4a4c-8a0e-6f1d2c3b4a59","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d"}
        ]}
        """;

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}";

    [Fact]
    public async Task An_uploaded_stix_file_counts_exactly_and_the_samples_upload_is_attributed_to_its_actor()
    {
        var ct = TestContext.Current.CancellationToken;
        var op = host.Operator;
        var before = await StatusAsync();
        var source = await CreateSourceAsync(new { name = Unique("partner-cert"), kind = "Upload", defaultTlp = "GREEN" });
        var name = source.GetProperty("name").GetString()!;

        var response = await op.PostAsync($"/api/v1/intel/sources/{Id(source)}/files?name=campaign.json", new ByteArrayContent(Encoding.UTF8.GetBytes(Campaign)), ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var upload = await Body(response);
        Assert.Equal(("campaign.json", "STIX", 1, 1, 1, 0, false), (
            upload.GetProperty("file").GetString(), upload.GetProperty("format").GetString(), upload.GetProperty("indicators").GetInt32(),
            upload.GetProperty("objects").GetInt32(), upload.GetProperty("relationships").GetInt32(), upload.GetProperty("warninglists").GetInt32(),
            upload.GetProperty("replaced").GetBoolean()));
        var problem = Assert.Single(upload.GetProperty("problems").EnumerateArray());
        Assert.Equal(
            ($"{name}/campaign.json", "objects[1].pattern (object at line 3)", "not a valid STIX pattern: pattern ends where an object path was expected (at offset 40)"),
            (problem.GetProperty("file").GetString(), problem.GetProperty("where").GetString(), problem.GetProperty("message").GetString()));
        Assert.Equal(Sha256(Encoding.UTF8.GetBytes(Campaign)), upload.GetProperty("sha256").GetString());

        var after = await StatusAsync();
        Assert.Equal(before.GetProperty("indexedValues").GetInt32() + 1, after.GetProperty("indexedValues").GetInt32());
        Assert.Equal(before.GetProperty("indicators").GetInt32() + 1, after.GetProperty("indicators").GetInt32());
        Assert.Equal(before.GetProperty("actors").GetInt32() + 1, after.GetProperty("actors").GetInt32());
        Assert.Equal(before.GetProperty("problemsTotal").GetInt32() + 1, after.GetProperty("problemsTotal").GetInt32());
        var tally = after.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal((1, 1, 1, 1, 1), (tally.GetProperty("items").GetInt32(), tally.GetProperty("indicators").GetInt32(), tally.GetProperty("objects").GetInt32(), tally.GetProperty("relationships").GetInt32(), tally.GetProperty("problems").GetInt32()));
        Assert.Contains(after.GetProperty("problems").EnumerateArray(), p => p.GetProperty("file").GetString() == $"{name}/campaign.json");

        // The upload scan matches against the new set: the client is attributed to the bundle's actor.
        var member = await Members.CreateAsync(host.As, Unique("Intel Upload Org"));
        var id = await UploadAcceptedAsync(host.As(member.IngestToken), "exchange-server.zip", SamplesZip, ct);
        var scanned = await WaitForUploadAsync(host.As(member.IngestToken), id, ct);
        Assert.Equal("Done", scanned.GetProperty("status").GetString());
        var findings = await FindingsOfAsync(member.Id);
        var match = findings.Single(f => f.DetectionId == "intel.indicator-match" && f.Subject == "130.255.189.21");
        var actor = Assert.Single(FindingRecords.ReadAttribution(match.AttributionJson));
        Assert.Equal(("Exchange Crew", 85, Tlp.Green), (actor.ActorName, actor.Confidence, actor.Tlp));
        Assert.Equal(Tlp.Green, match.Tlp);
        // The starter intelligence is in the set too: HAFNIUM's published address and user agents.
        var hafnium = findings.Single(f => f.DetectionId == "intel.indicator-match" && f.Subject == "104.140.114.110");
        Assert.Equal(("HAFNIUM", "CN", Tlp.Clear), FindingRecords.ReadAttribution(hafnium.AttributionJson).Select(a => (a.ActorName, a.Country, a.Tlp)).Single());

        // Uploading the file again hunts every recent finding with the set the scan used: the scan found it all already.
        var again = await Body(await op.PostAsync($"/api/v1/intel/sources/{Id(source)}/files?name=campaign.json", new ByteArrayContent(Encoding.UTF8.GetBytes(Campaign)), ct));
        Assert.True(again.GetProperty("replaced").GetBoolean());
        Assert.Equal((0, 0), (again.GetProperty("retroHunt").GetProperty("found").GetInt32(), again.GetProperty("retroHunt").GetProperty("attributed").GetInt32()));
        Assert.Equal(findings.Count, (await FindingsOfAsync(member.Id)).Count);

        // Confirmed, the incident's notice names both actors for the organisation (GREEN and CLEAR allow it).
        var admin = host.As(member.AdminToken);
        var incident = (await IncidentsAsync(admin, "", ct)).Single(i => i.GetProperty("groupKey").GetString() == "130.255.189.21");
        (await op.PostAsJsonAsync($"/api/v1/incidents/{Id(incident)}/confirm", new { reason = "seen" }, Json, ct)).EnsureSuccessStatusCode();
        var notice = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/notices", Json, ct)).EnumerateArray()
            .Single(n => n.GetProperty("incidentId").GetGuid() == Id(incident));
        var named = notice.GetProperty("attribution").GetString()!;
        Assert.StartsWith("Exchange Crew (also known as Storm-9999), intelligence confidence 85/100; HAFNIUM (G0125; also known as ", named, StringComparison.Ordinal);
        Assert.Contains("; country CN), intelligence confidence ", named, StringComparison.Ordinal);
        Assert.Contains("Who may be behind it: " + named + ". Threat intelligence suggests this; it does not prove it.", notice.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taxii_poll_of_bulwarks_own_server_pages_advances_the_checkpoint_and_stores_nothing_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await CollectionWithWriterAsync(Unique("Partner indicators"));
        var partner = new TaxiiClient(new HttpClient { BaseAddress = host.Address }, TaxiiCredentials.Basic("partner", token));
        var domain = Unique("owa-sync") + ".example";
        var actorId = $"intrusion-set--{Uuid(71, 1)}";
        JsonNode[] first =
        [
            Indicator($"indicator--{Uuid(71, 2)}", domain),
            Indicator($"indicator--{Uuid(71, 3)}", "b-" + domain),
            Indicator($"indicator--{Uuid(71, 4)}", "c-" + domain),
            new JsonObject { ["type"] = "intrusion-set", ["spec_version"] = "2.1", ["id"] = actorId, ["created"] = "2026-03-01T10:00:00.000Z", ["modified"] = "2026-03-01T10:00:00.000Z", ["name"] = "Lantern Typhoon" },
            new JsonObject
            {
                ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = $"relationship--{Uuid(71, 5)}", ["created"] = "2026-03-01T10:00:00.000Z",
                ["modified"] = "2026-03-01T10:00:00.000Z", ["relationship_type"] = "indicates", ["source_ref"] = $"indicator--{Uuid(71, 2)}", ["target_ref"] = actorId,
            },
        ];
        Assert.Equal(5, (await partner.AddObjectsAsync(host.ApiRoot, collection, Elements(first), ct)).SuccessCount);
        var source = await CreateSourceAsync(new
        {
            name = Unique("bulwark-taxii"),
            kind = "Taxii",
            url = host.Discovery.AbsoluteUri,
            collectionId = collection,
            credentialKind = "Basic",
            username = "partner",
            secret = token,
            defaultTlp = "amber+strict",
        });
        Assert.DoesNotContain(token, source.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("AMBER+STRICT", "Basic", "partner", true), (source.GetProperty("defaultTlp").GetString(), source.GetProperty("credentialKind").GetString(), source.GetProperty("username").GetString(), source.GetProperty("hasSecret").GetBoolean()));

        var poll = await PollAsync(source);
        var manifest = await partner.GetManifestAsync(host.ApiRoot, collection, null, ct);
        Assert.Equal((true, 5, 0, manifest.Objects[^1].DateAdded.Text), (poll.GetProperty("succeeded").GetBoolean(), poll.GetProperty("stored").GetInt32(), poll.GetProperty("removed").GetInt32(), poll.GetProperty("checkpoint").GetString()));
        Assert.Equal(JsonValueKind.Null, poll.GetProperty("error").ValueKind);

        var again = await PollAsync(source);
        Assert.Equal((true, 0, manifest.Objects[^1].DateAdded.Text), (again.GetProperty("succeeded").GetBoolean(), again.GetProperty("stored").GetInt32(), again.GetProperty("checkpoint").GetString()));

        await partner.AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator($"indicator--{Uuid(71, 6)}", "d-" + domain), Indicator($"indicator--{Uuid(71, 2)}", domain, modified: "2026-03-05T10:00:00.000Z")), ct);
        var third = await PollAsync(source);
        var last = (await partner.GetManifestAsync(host.ApiRoot, collection, new TaxiiQuery { Versions = ["all"] }, ct)).Objects.Max(m => m.DateAdded.Instant);
        Assert.Equal((2, TaxiiCheckpoint.From(last).Instant), (third.GetProperty("stored").GetInt32(), TaxiiCheckpoint.Parse(third.GetProperty("checkpoint").GetString()!).Instant));

        var view = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/intel/sources/{Id(source)}", Json, ct);
        Assert.Equal((6, 4, 1, 1), (view.GetProperty("items").GetInt32(), view.GetProperty("indicators").GetInt32(), view.GetProperty("objects").GetInt32(), view.GetProperty("relationships").GetInt32()));
        Assert.Equal(6, await WithDatabaseAsync(host.Server, db => db.IntelContents.CountAsync(c => c.SourceId == Id(source), ct)));

        var known = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/intel/match?value={Uri.EscapeDataString(domain.Replace(".", "[.]", StringComparison.Ordinal))}", Json, ct);
        var hit = Assert.Single(known.GetProperty("matches").EnumerateArray());
        Assert.Equal(("domain", domain, "AMBER+STRICT", $"indicator--{Uuid(71, 2)}"), (hit.GetProperty("kind").GetString(), hit.GetProperty("value").GetString(), hit.GetProperty("tlp").GetString(), hit.GetProperty("indicatorId").GetString()));
        Assert.Equal(("Lantern Typhoon", "CN"), hit.GetProperty("actors").EnumerateArray().Select(a => (a.GetProperty("actor").GetString(), a.GetProperty("country").GetString())).Single());
        var audit = await host.Operator.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=intel.source.poll", Json, ct);
        Assert.Equal(3, audit.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("target").GetString()!.StartsWith($"intel-source/{Id(source)} ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_misp_feed_over_http_is_polled_on_its_schedule_and_fetches_only_changed_events()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("bulwark-intel-feed-").FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests", "Bulwark.Core.Tests", "Intel", "Misp", "Fixtures", "feed")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        await using var feed = IntelFeedServer.Start(folder);
        const string ProxyLogon = "5cd567a8-ed25-47c2-89e4-a22cf2ab7495";
        const string DearCry = "7da252ea-e803-4f07-ae70-fe2ca81de1a7";
        const string Unpublished = "c370cce7-3ba1-49d9-9019-40b983bfcc7b";
        var source = await CreateSourceAsync(new { name = Unique("cert-feed"), kind = "MispFeed", url = feed.BaseUrl.AbsoluteUri, credentialKind = "Bearer", secret = "feed-token-0123", pollMinutes = 30 });
        var worker = host.Server.Services.GetRequiredService<IntelPollWorker>();

        // Due at once (never polled): the scheduled round takes it.
        await worker.PollDueAsync(ct);
        var view = await SourceAsync(source);
        Assert.Equal("Bearer feed-token-0123", feed.LastAuthorization);
        Assert.Equal((1, 1, 1, 1), (feed.Requests["manifest.json"], feed.Requests[ProxyLogon + ".json"], feed.Requests[DearCry + ".json"], feed.Requests[Unpublished + ".json"]));
        Assert.Equal(2, view.GetProperty("items").GetInt32());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("lastError").ValueKind);
        Assert.Equal(view.GetProperty("lastPolledAt").GetDateTimeOffset() + TimeSpan.FromMinutes(30), view.GetProperty("nextPollAt").GetDateTimeOffset());
        Assert.Equal(5, view.GetProperty("indicators").GetInt32());

        // Not due again for 30 minutes: the next round leaves it alone.
        await worker.PollDueAsync(ct);
        Assert.Equal(1, feed.Requests["manifest.json"]);

        // Polled now, it fetches the manifest and only the event it could not read last time.
        var again = await PollAsync(source);
        Assert.Equal((true, 0, 0), (again.GetProperty("succeeded").GetBoolean(), again.GetProperty("stored").GetInt32(), again.GetProperty("removed").GetInt32()));
        Assert.Equal((2, 1, 1, 2), (feed.Requests["manifest.json"], feed.Requests[ProxyLogon + ".json"], feed.Requests[DearCry + ".json"], feed.Requests[Unpublished + ".json"]));
        Assert.Contains(again.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains($"{Unpublished}.json is missing", StringComparison.Ordinal));

        // A newer DearCry event replaces the one held; a ProxyLogon event dropped from the manifest is removed.
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json"), ct))!.AsObject();
        manifest[DearCry]!["timestamp"] = 1615560000;
        manifest.Remove(ProxyLogon);
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), manifest.ToJsonString(), ct);
        var changed = await PollAsync(source);
        Assert.Equal((1, 1), (changed.GetProperty("stored").GetInt32(), changed.GetProperty("removed").GetInt32()));
        Assert.Equal((1, 2), (feed.Requests[ProxyLogon + ".json"], feed.Requests[DearCry + ".json"]));
        var events = await WithDatabaseAsync(host.Server, db => db.IntelContents.Where(c => c.SourceId == Id(source)).Select(c => new { c.Name, c.Version }).ToListAsync(ct));
        Assert.Equal([(DearCry, "1615560000")], events.Select(e => (e.Name, e.Version)));
        var checkpoint = await WithDatabaseAsync(host.Server, db => db.IntelSources.Where(s => s.Id == Id(source)).Select(s => s.Checkpoint).SingleAsync(ct));
        Assert.Equal($"{{\"{DearCry}\":1615560000}}", checkpoint);

        // An unreachable feed is an error on the source; the checkpoint stays.
        await feed.DisposeAsync();
        var failed = await PollAsync(source);
        Assert.False(failed.GetProperty("succeeded").GetBoolean());
        Assert.StartsWith($"{feed.BaseUrl.AbsoluteUri}manifest.json: manifest.json could not be read: ", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(checkpoint, await WithDatabaseAsync(host.Server, db => db.IntelSources.Where(s => s.Id == Id(source)).Select(s => s.Checkpoint).SingleAsync(ct)));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_retro_hunt_finds_a_new_value_in_one_organisations_evidence_once_and_nothing_in_anothers()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await Members.CreateAsync(host.As, Unique("Retro A"));
        var b = await Members.CreateAsync(host.As, Unique("Retro B"));
        const string Listed = "192.0.2.150";
        await SubmitAsync(a, Finding("BW-retro-a-1", Listed, confidence: "medium"));
        await SubmitAsync(b, Finding("BW-retro-b-1", "192.0.2.151", confidence: "medium"));

        // A finding with the value, received before the window: not matched again.
        var old = TimeProvider.System.GetUtcNow().AddDays(-40);
        await using (var db = host.Server.Services.GetRequiredService<TenantDatabase>().OpenInstanceWide())
        {
            var record = FindingRecords.From(SubmittedFinding.Read(JsonSerializer.SerializeToElement(Finding("BW-retro-old", Listed)), old, out _)!, a.Id, Data.Ingestion.FindingOrigin.Submitted, null, old);
            db.Findings.Add(record);
            await db.SaveChangesAsync(ct);
        }

        var source = await CreateSourceAsync(new { name = Unique("retro-list"), kind = "Upload" });
        var list = Encoding.UTF8.GetBytes($"# partner list\n{Listed.Replace(".", "[.]", StringComparison.Ordinal)}\n192.0.2.152\n");
        var upload = await Body(await host.Operator.PostAsync($"/api/v1/intel/sources/{Id(source)}/files?name=list.txt", new ByteArrayContent(list), ct));

        var hunt = upload.GetProperty("retroHunt");
        Assert.Equal((1, 1), (hunt.GetProperty("found").GetInt32(), hunt.GetProperty("attributed").GetInt32()));
        var ofA = await FindingsOfAsync(a.Id);
        var found = Assert.Single(ofA, f => f.DetectionId == "intel.indicator-match");
        Assert.Equal((Listed, Tlp.Amber, Data.Ingestion.FindingOrigin.Submitted), (found.Subject, found.Tlp, found.Origin));
        Assert.Contains("\"intel indicator\":\"address 192.0.2.150\"", found.EvidenceJson, StringComparison.Ordinal);
        var attributed = ofA.Single(f => f.FindingId == "BW-retro-a-1");
        Assert.Equal((Tlp.Amber, Core.Findings.Confidence.High), (attributed.Tlp, attributed.Confidence));
        Assert.Null(ofA.Single(f => f.FindingId == "BW-retro-old").Tlp);
        Assert.Equal(["BW-retro-b-1"], (await FindingsOfAsync(b.Id)).Select(f => f.FindingId));
        Assert.Null((await FindingsOfAsync(b.Id)).Single().Tlp);
        Assert.Contains((await IncidentsAsync(host.As(a.AdminToken), "", ct)).SelectMany(i => new[] { i.GetProperty("groupKey").GetString() }), k => k == Listed);

        // The same intelligence again: nothing new, nothing changed.
        var again = await Body(await host.Operator.PostAsync($"/api/v1/intel/sources/{Id(source)}/files?name=list.txt", new ByteArrayContent(list), ct));
        Assert.True(again.GetProperty("replaced").GetBoolean());
        Assert.Equal((0, 0), (again.GetProperty("retroHunt").GetProperty("found").GetInt32(), again.GetProperty("retroHunt").GetProperty("attributed").GetInt32()));
        Assert.Equal(ofA.Count, (await FindingsOfAsync(a.Id)).Count);
        var audit = await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=intel.retro-hunt&organisationId={a.Id}", Json, ct);
        Assert.Equal(["findings: 1 new, 1 attributed"], audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task Hostile_uploads_are_refused_with_the_file_and_place_and_nothing_is_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var op = host.Operator;
        var source = await CreateSourceAsync(new { name = Unique("hostile-files"), kind = "Upload" });
        var name = source.GetProperty("name").GetString()!;
        var files = $"/api/v1/intel/sources/{Id(source)}/files";

        var tooLarge = await op.PostAsync($"{files}?name=big.txt", new ByteArrayContent(new byte[IntelHost<TServer>.MaxUploadBytes + 1]), ct);
        var binary = await op.PostAsync($"{files}?name=blob.txt", new ByteArrayContent([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF]), ct);
        var truncated = await op.PostAsync($"{files}?name=cut.json", new ByteArrayContent(Encoding.UTF8.GetBytes(Campaign[..200])), ct);
        var nothing = await op.PostAsync($"{files}?name=notes.json", new ByteArrayContent("{\"hello\": \"world\"}"u8.ToArray()), ct);
        var badName = await op.PostAsync($"{files}?name=..%2Fescape.json", new ByteArrayContent(Encoding.UTF8.GetBytes(Campaign)), ct);
        var nested = await op.PostAsync($"{files}?name=deep.json", new ByteArrayContent(Encoding.UTF8.GetBytes("{\"type\":\"bundle\",\"objects\":[" + new string('[', 5000) + new string(']', 5000) + "]}")), ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal($"intel files are limited to {IntelHost<TServer>.MaxUploadBytes} bytes (Intel:MaxUploadBytes)", (await Body(tooLarge)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, binary.StatusCode);
        Assert.Equal(
            [($"{name}/blob.txt", "", "binary file: expected STIX or MISP JSON, or a text list of indicators")],
            Problems(await Body(binary)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, truncated.StatusCode);
        var cut = Problems(await Body(truncated));
        Assert.Equal([($"{name}/cut.json", "objects[0] (object at line 2)", "the file ends inside this object: truncated at byte 200; the 0 objects before it were read")], cut);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        Assert.Equal([($"{name}/notes.json", "", "JSON that is neither a STIX bundle, a MISP event, a MISP galaxy cluster file nor a MISP warninglist")], Problems(await Body(nothing)));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nested.StatusCode);
        Assert.All(Problems(await Body(nested)), p => Assert.Equal($"{name}/deep.json", p.File));
        Assert.Equal(0, (await SourceAsync(source)).GetProperty("items").GetInt32());

        // A good file is listed, and removed again with the set rebuilt without it.
        var good = "192.0.2.230\n"u8.ToArray();
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsync($"{files}?name=good.txt", new ByteArrayContent(good), ct)).StatusCode);
        var listed = await op.GetFromJsonAsync<JsonElement>(files, Json, ct);
        Assert.Equal([("good.txt", 12L, Sha256(good))], listed.EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("size").GetInt64(), f.GetProperty("sha256").GetString())));
        Assert.Single((await op.GetFromJsonAsync<JsonElement>("/api/v1/intel/match?value=192.0.2.230", Json, ct)).GetProperty("matches").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"{files}/good.txt", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.DeleteAsync($"{files}/good.txt", ct)).StatusCode);
        Assert.Empty((await op.GetFromJsonAsync<JsonElement>("/api/v1/intel/match?value=192.0.2.230", Json, ct)).GetProperty("matches").EnumerateArray());

        var taxii = await CreateSourceAsync(new { name = Unique("not-for-files"), kind = "Taxii", url = "https://taxii.example/api1/", collectionId = "c1", enabled = false });
        var wrongKind = await op.PostAsync($"/api/v1/intel/sources/{Id(taxii)}/files?name=x.txt", new ByteArrayContent("192.0.2.1"u8.ToArray()), ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Contains("is a Taxii source: files are uploaded to Upload sources", (await wrongKind.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{"name": 5, "kind": "Upload"}""", "$.name", "" },
        { """{"name": "x", "kind": "Ftp"}""", "$.kind", "" },
        { """{"name": "x", "kind": "Upload", "defaultConfidence": "high"}""", "$.defaultConfidence", "" },
        { """{"name": "x", "kind": "Taxii", "url": "https://t.example/api/", "collectionId": "c", "pollMinutes": "sixty"}""", "$.pollMinutes", "" },
        { """{"name": "x", "kind": 7}""", "kind", "one of Upload, Taxii, MispFeed" },
        { """{"name": "../x", "kind": "Upload"}""", "name", "a name of 1 to 100 letters, digits, spaces, '.', '_', '-', '(' or ')', starting with a letter or digit, is required" },
        { """{"name": "bulwark-starter", "kind": "Upload"}""", "name", "'bulwark-starter' is the starter intelligence's name" },
        { """{"name": "x", "kind": "Upload", "defaultTlp": "PURPLE"}""", "defaultTlp", "one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED" },
        { """{"name": "x", "kind": "Upload", "defaultConfidence": 101}""", "defaultConfidence", "0 to 100" },
        { """{"name": "x", "kind": "Upload", "url": "https://t.example/"}""", "url", "only for Taxii and MispFeed sources: an Upload source takes files" },
        { """{"name": "x", "kind": "Taxii", "collectionId": "c"}""", "url", "required: the TAXII discovery or API root URL, or the MISP feed's base URL" },
        { """{"name": "x", "kind": "Taxii", "url": "ftp://t.example/", "collectionId": "c"}""", "url", "an http:// or https:// URL is required" },
        { """{"name": "x", "kind": "Taxii", "url": "not a url", "collectionId": "c"}""", "url", "an absolute https:// URL is required" },
        { """{"name": "x", "kind": "Taxii", "url": "/taxii2/", "collectionId": "c"}""", "url", "an absolute https:// URL is required" },
        { """{"name": "x", "kind": "Taxii", "url": "https://user:pw@t.example/api/", "collectionId": "c"}""", "url", "the URL must not carry a user name or password: give them as username and secret" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/?key=abc"}""", "url", "the URL must not carry a query or fragment (a key in a URL ends up in logs): give credentials as username and secret" },
        { """{"name": "x", "kind": "Taxii", "url": "https://t.example/api/"}""", "collectionId", "the TAXII collection id is required: 1 to 300 characters without spaces or '/'" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/", "collectionId": "c"}""", "collectionId", "only for Taxii sources" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/", "pollMinutes": 1}""", "pollMinutes", "5 to 10080 minutes" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/", "credentialKind": "Basic", "secret": "hunter2-very-secret"}""", "username", "required with credentialKind Basic: 1 to 200 characters, without ':'" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/", "credentialKind": "Bearer"}""", "secret", "required with credentialKind Bearer: the token" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/", "secret": "hunter2-very-secret"}""", "credentialKind", "username and secret need credentialKind Basic or Bearer" },
        { """{"name": "x", "kind": "MispFeed", "url": "https://t.example/feed/", "credentialKind": "Bearer", "secret": "hunter2-very-secret\n"}""", "secret", "1 to 4096 characters on one line" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_source_requests_are_refused_naming_the_field_and_never_echo_a_secret(string body, string field, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        host.Server.EnsureAvailable();

        var response = await host.Operator.PostAsync("/api/v1/intel/sources", new StringContent(body, Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement;
        if (field.StartsWith('$'))
        {
            Assert.Contains($"Path: {field}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal([message], problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        }
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_never_returned_and_only_operators_write()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Secret = "s3cr3t-feed-token-do-not-echo";
        var source = await CreateSourceAsync(new { name = Unique("secret-feed"), kind = "MispFeed", url = "https://feed.example/misp/", credentialKind = "Bearer", secret = Secret, enabled = false });
        var list = await host.Operator.GetStringAsync("/api/v1/intel/sources", ct);
        var updated = await host.Operator.PutAsJsonAsync($"/api/v1/intel/sources/{Id(source)}", new { defaultTlp = "red", pollMinutes = 120 }, Json, ct);
        var stored = await WithDatabaseAsync(host.Server, db => db.IntelSources.SingleAsync(s => s.Id == Id(source), ct));

        Assert.DoesNotContain(Secret, source.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, list, StringComparison.Ordinal);
        var view = await Body(updated);
        Assert.DoesNotContain(Secret, view.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("RED", 120, true), (view.GetProperty("defaultTlp").GetString(), view.GetProperty("pollMinutes").GetInt32(), view.GetProperty("hasSecret").GetBoolean()));
        Assert.NotNull(stored.ProtectedSecret);
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(stored.ProtectedSecret), StringComparison.Ordinal);
        Assert.Equal((IntelCredentialKind.Bearer, Tlp.Red), (stored.CredentialKind, stored.DefaultTlp));

        // Removing the credentials removes the secret.
        var cleared = await Body(await host.Operator.PutAsJsonAsync($"/api/v1/intel/sources/{Id(source)}", new { credentialKind = "None" }, Json, ct));
        Assert.False(cleared.GetProperty("hasSecret").GetBoolean());
        Assert.Null(await WithDatabaseAsync(host.Server, db => db.IntelSources.Where(s => s.Id == Id(source)).Select(s => s.ProtectedSecret).SingleAsync(ct)));

        var analyst = host.As(await Members.CreateKeyAsync(host.As, "intel analyst", "Analyst", null));
        var member = await Members.CreateAsync(host.As, Unique("Intel Curious Org"));
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/v1/intel/status", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/v1/intel/sources", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync("/api/v1/intel/sources", new { name = "x", kind = "Upload" }, Json, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.DeleteAsync($"/api/v1/intel/sources/{Id(source)}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(member.AdminToken).GetAsync("/api/v1/intel/status", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(null).GetAsync("/api/v1/intel/match?value=192.0.2.1", ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Operator.DeleteAsync($"/api/v1/intel/sources/{Id(source)}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Operator.GetAsync($"/api/v1/intel/sources/{Id(source)}", ct)).StatusCode);
        var actions = (await host.Operator.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=1000", Json, ct)).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("target").GetString()!.StartsWith($"intel-source/{Id(source)}", StringComparison.Ordinal))
            .Select(e => e.GetProperty("action").GetString()).Reverse();
        Assert.Equal(["intel.source.create", "intel.source.update", "intel.source.update", "intel.source.delete"], actions);
    }

    [Fact]
    public async Task Match_and_actors_answer_like_the_cli()
    {
        var ct = TestContext.Current.CancellationToken;
        var op = host.Operator;

        var ip = await op.GetFromJsonAsync<JsonElement>("/api/v1/intel/match?value=104.140.114[.]110", Json, ct);
        var named = await op.GetFromJsonAsync<JsonElement>("/api/v1/intel/match?value=Silk%20Typhoon", Json, ct);
        var unknown = await op.GetFromJsonAsync<JsonElement>("/api/v1/intel/match?value=192.0.2.77", Json, ct);
        var actors = await op.GetFromJsonAsync<JsonElement>("/api/v1/intel/actors?q=typhoon&limit=5", Json, ct);
        var empty = await op.GetAsync("/api/v1/intel/match?value=", ct);
        var badLimit = await op.GetAsync("/api/v1/intel/actors?limit=0", ct);

        Assert.Equal("104.140.114.110", ip.GetProperty("value").GetString());
        var hit = ip.GetProperty("matches").EnumerateArray().First(m => m.GetProperty("source").GetString() == "bulwark-starter");
        Assert.Equal(("address", "CLEAR"), (hit.GetProperty("kind").GetString(), hit.GetProperty("tlp").GetString()));
        Assert.Contains(hit.GetProperty("actors").EnumerateArray(), a => a.GetProperty("actor").GetString() == "HAFNIUM" && a.GetProperty("country").GetString() == "CN");
        Assert.Empty(named.GetProperty("matches").EnumerateArray());
        Assert.Equal(("G0125", "HAFNIUM"), named.GetProperty("actors").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("name").GetString())).Single());
        Assert.Empty(unknown.GetProperty("matches").EnumerateArray());
        Assert.Empty(unknown.GetProperty("actors").EnumerateArray());
        Assert.Contains(actors.EnumerateArray(), a => a.GetProperty("id").GetString() == "G0125");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    private async Task<JsonElement> CreateSourceAsync(object body)
    {
        var response = await host.Operator.PostAsJsonAsync("/api/v1/intel/sources", body, Json, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await Body(response);
    }

    private async Task<JsonElement> SourceAsync(JsonElement source) =>
        await host.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/intel/sources/{Id(source)}", Json, TestContext.Current.CancellationToken);

    private async Task<JsonElement> PollAsync(JsonElement source)
    {
        var response = await host.Operator.PostAsync($"/api/v1/intel/sources/{Id(source)}/poll", null, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await Body(response);
    }

    private async Task<JsonElement> StatusAsync() =>
        await host.Operator.GetFromJsonAsync<JsonElement>("/api/v1/intel/status", Json, TestContext.Current.CancellationToken);

    private async Task SubmitAsync(Member member, JsonObject finding)
    {
        var response = await host.As(member.IngestToken).PostAsync("/api/v1/findings", new StringContent(new JsonArray(finding).ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var result = await Body(response);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
    }

    private async Task<List<Data.Ingestion.FindingRecord>> FindingsOfAsync(Guid organisation)
    {
        // Read as the organisation itself: its query filter and row-level security.
        await using var db = host.Server.Services.GetRequiredService<TenantDatabase>().Open(organisation);
        return await db.Findings.AsNoTracking().OrderBy(f => f.FindingId).ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<(string Collection, string Token)> CollectionWithWriterAsync(string title)
    {
        var ct = TestContext.Current.CancellationToken;
        var op = host.Operator;
        var collection = Id(await Body(await op.PostAsJsonAsync("/api/v1/taxii/collections", new { title }, Json, ct)));
        var key = await Body(await op.PostAsJsonAsync("/api/v1/keys", new { name = title + " partner", scope = "Partner" }, Json, ct));
        var keyId = key.GetProperty("key").GetProperty("id").GetGuid();
        (await op.PutAsJsonAsync($"/api/v1/taxii/collections/{collection}/grants/{keyId}", new { canRead = true, canWrite = true }, Json, ct)).EnsureSuccessStatusCode();
        return (collection.ToString(), key.GetProperty("token").GetString()!);
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json, TestContext.Current.CancellationToken);

    private static Guid Id(JsonElement e) => e.GetProperty("id").GetGuid();

    private static List<(string File, string Where, string Message)> Problems(JsonElement problem) =>
        [.. problem.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("file").GetString()!, p.GetProperty("where").GetString()!, p.GetProperty("message").GetString()!))];
}

public sealed class IntelServerSqliteTests(IntelHost<SqliteServer> host) : IntelServerTests<SqliteServer>(host);

public sealed class IntelServerPostgresTests(IntelHost<PostgresServer> host) : IntelServerTests<PostgresServer>(host);
