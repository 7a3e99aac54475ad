using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Server.Tests.Support;
using static Bulwark.Server.Tests.Support.TaxiiStix;

namespace Bulwark.Server.Tests;

/// <summary>
/// Bulwark's TAXII client against Bulwark's own TAXII server over real HTTP (Kestrel): discovery, collections by
/// grant, adding objects with per-object refusals, paging, checkpoints, filters, versions, deletion.
/// </summary>
public abstract class TaxiiClientTests<TServer>(TaxiiHost<TServer> host) : IClassFixture<TaxiiHost<TServer>>
    where TServer : BulwarkServer, new()
{
    [Fact]
    public async Task Discovery_names_the_api_root_and_the_api_root_its_version_and_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, token) = await host.CreateKeyAsync("discovery partner");
        var client = host.Client(token);

        var discovery = await client.DiscoverAsync(host.Discovery, ct);
        var root = await client.GetApiRootAsync(discovery.Default!, ct);

        Assert.Equal("Bulwark TAXII", discovery.Title);
        Assert.Equal("cert@bulwark.example", discovery.Contact);
        Assert.Equal(host.ApiRoot, discovery.Default);
        Assert.Equal([host.ApiRoot], discovery.ApiRoots);
        Assert.Equal("Bulwark TAXII", root.Title);
        Assert.Equal(["application/taxii+json;version=2.1"], root.Versions);
        Assert.Equal(TaxiiHost<TServer>.MaxContentLength, root.MaxContentLength);
    }

    [Fact]
    public async Task A_key_sees_only_the_collections_it_is_granted_with_its_own_rights()
    {
        var ct = TestContext.Current.CancellationToken;
        var alias = "members-green-" + Guid.NewGuid().ToString("N")[..8];
        var readOnly = await host.CreateCollectionAsync("Members TLP:GREEN", alias);
        var readWrite = await host.CreateCollectionAsync("Sightings exchange");
        var others = await host.CreateCollectionAsync("Org X only");
        var (a, tokenA) = await host.CreateKeyAsync("partner A");
        var (b, tokenB) = await host.CreateKeyAsync("partner B");
        await host.GrantAsync(readOnly, a, canRead: true, canWrite: false);
        await host.GrantAsync(readWrite, a, canRead: true, canWrite: true);
        await host.GrantAsync(others, b, canRead: true, canWrite: false);
        var client = host.Client(tokenA);

        var seen = await client.GetCollectionsAsync(host.ApiRoot, ct);
        var one = await client.GetCollectionAsync(host.ApiRoot, readWrite, ct);
        var refused = await Assert.ThrowsAsync<TaxiiException>(() => client.GetCollectionAsync(host.ApiRoot, others, ct));
        var seenByB = await host.Client(tokenB, bearer: true).GetCollectionsAsync(host.ApiRoot, ct);

        Assert.Equal([(readOnly, true, false), (readWrite, true, true)], seen.Select(c => (c.Id, c.CanRead, c.CanWrite)));
        Assert.Equal(("Members TLP:GREEN", alias, "Members TLP:GREEN (test)"), (seen[0].Title, seen[0].Alias, seen[0].Description));
        Assert.Equal(["application/stix+json;version=2.1"], seen[0].MediaTypes);
        Assert.Equal((readWrite, "Sightings exchange", true, true), (one.Id, one.Title, one.CanRead, one.CanWrite));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(("Not found", $"no collection '{others}' is available to this key", "404"), (refused.Error!.Title, refused.Error.Description, refused.Error.HttpStatus));
        Assert.Equal($"GET {host.ApiRoot}collections/{others}/: 404 Not Found: Not found: no collection '{others}' is available to this key", refused.Message);
        Assert.Equal([others], seenByB.Select(c => c.Id));
    }

    [Fact]
    public async Task Adding_objects_stores_the_valid_ones_and_names_each_refusal_with_its_position()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Add objects");
        var client = host.Client(token);
        var i1 = Indicator($"indicator--{Uuid(3, 1)}", "owa-update.example");
        var i2 = Indicator($"indicator--{Uuid(3, 2)}", "mail-sync.example");
        var i3 = Indicator($"indicator--{Uuid(3, 3)}", "exchange-cdn.example");
        var s1 = Sighting($"sighting--{Uuid(3, 4)}", $"indicator--{Uuid(3, 1)}", 3);
        JsonNode[] posted =
        [
            i1, i2, i3, s1,
            JsonValue.Create(42),
            Indicator("indicator--NOT-A-UUID", "x.example"),
            Indicator($"malware--{Uuid(3, 6)}", "x.example"),
            new JsonObject { ["type"] = "indicator", ["spec_version"] = "2.0", ["id"] = $"indicator--{Uuid(3, 7)}", ["created"] = "2026-01-01T00:00:00Z", ["modified"] = "2026-01-01T00:00:00Z" },
            Indicator($"indicator--{Uuid(3, 8)}", "x.example", modified: "yesterday"),
            Indicator($"indicator--{Uuid(3, 9)}", "x.example", modified: "2026-01-01T00:00:00.000Z", created: "2026-02-01T00:00:00.000Z"),
            new JsonObject { ["id"] = $"indicator--{Uuid(3, 10)}" },
            new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Uuid(3, 11)}", ["objects"] = new JsonArray() },
        ];

        var status = await client.AddObjectsAsync(host.ApiRoot, collection, posted.Select(Element), ct);
        var again = await client.GetStatusAsync(host.ApiRoot, status.Id, ct);
        var stored = await client.GetObjectsAsync(host.ApiRoot, collection, null, ct);

        Assert.True(status.IsComplete);
        Assert.Equal((12, 4, 8, 0), (status.TotalCount, status.SuccessCount, status.FailureCount, status.PendingCount));
        Assert.Equal(
            [
                new TaxiiStatusDetail($"indicator--{Uuid(3, 1)}", "2026-03-01T10:00:00.000Z", null),
                new TaxiiStatusDetail($"indicator--{Uuid(3, 2)}", "2026-03-01T10:00:00.000Z", null),
                new TaxiiStatusDetail($"indicator--{Uuid(3, 3)}", "2026-03-01T10:00:00.000Z", null),
                new TaxiiStatusDetail($"sighting--{Uuid(3, 4)}", "2026-03-02T08:00:00.000Z", null),
            ],
            status.Successes);
        Assert.Equal(
            [
                new TaxiiStatusDetail("", "", "objects[4]: expected a STIX object (a JSON object), found the number 42"),
                new TaxiiStatusDetail("indicator--NOT-A-UUID", "2026-03-01T10:00:00.000Z", "objects[5]: 'id' must be \"indicator--\" and a lowercase UUID, found 'indicator--NOT-A-UUID'"),
                new TaxiiStatusDetail($"malware--{Uuid(3, 6)}", "2026-03-01T10:00:00.000Z", $"objects[6]: 'id' must be \"indicator--\" and a lowercase UUID, found 'malware--{Uuid(3, 6)}'"),
                new TaxiiStatusDetail($"indicator--{Uuid(3, 7)}", "2026-01-01T00:00:00Z", "objects[7]: 'spec_version' must be \"2.1\", found '2.0'"),
                new TaxiiStatusDetail($"indicator--{Uuid(3, 8)}", "yesterday", "objects[8]: 'modified' must be a timestamp (YYYY-MM-DDTHH:MM:SS[.sss]Z), found 'yesterday'"),
                new TaxiiStatusDetail($"indicator--{Uuid(3, 9)}", "2026-01-01T00:00:00.000Z", "objects[9]: 'modified' (2026-01-01T00:00:00.000Z) is before 'created' (2026-02-01T00:00:00.000Z)"),
                new TaxiiStatusDetail($"indicator--{Uuid(3, 10)}", "", "objects[10]: 'type' is required (a string such as \"indicator\")"),
                new TaxiiStatusDetail($"bundle--{Uuid(3, 11)}", "", "objects[11]: a bundle is not stored as an object; post the objects it holds"),
            ],
            status.Failures);
        Assert.Equal((status.Id, 4, 8), (again.Id, again.SuccessCount, again.FailureCount));
        Assert.Equal(status.Failures, again.Failures);
        Assert.Equal([Id(Element(i1)), Id(Element(i2)), Id(Element(i3)), Id(Element(s1))], stored.Objects.Select(Id));
        Assert.Equal(3, stored.Objects[3].GetProperty("count").GetInt32());
        Assert.False(stored.More);
    }

    [Fact]
    public async Task Posting_the_same_versions_again_stores_nothing_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Idempotent");
        var client = host.Client(token);
        var objects = Elements(Indicator($"indicator--{Uuid(4, 1)}", "a.example"), Indicator($"indicator--{Uuid(4, 2)}", "b.example"));
        await client.AddObjectsAsync(host.ApiRoot, collection, objects, ct);

        var again = await client.AddObjectsAsync(host.ApiRoot, collection, [objects[1], objects[0], objects[0]], ct);
        var manifest = await client.GetManifestAsync(host.ApiRoot, collection, new TaxiiQuery { Versions = ["all"] }, ct);

        Assert.Equal((3, 3, 0), (again.TotalCount, again.SuccessCount, again.FailureCount));
        Assert.All(again.Successes, s => Assert.Equal("this version is already in the collection", s.Message));
        Assert.Equal([$"indicator--{Uuid(4, 1)}", $"indicator--{Uuid(4, 2)}"], manifest.Objects.Select(m => m.Id));
    }

    [Fact]
    public async Task Paging_with_limit_2_over_5_objects_follows_next_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Paging");
        var client = host.Client(token);
        var ids = Enumerable.Range(1, 5).Select(n => $"indicator--{Uuid(5, n)}").ToList();
        await client.AddObjectsAsync(host.ApiRoot, collection, ids.Select((id, n) => Element(Indicator(id, $"p{n}.example"))), ct);

        var page1 = await client.GetObjectsAsync(host.ApiRoot, collection, new TaxiiQuery { Limit = 2 }, ct);
        var page2 = await client.GetObjectsAsync(host.ApiRoot, collection, new TaxiiQuery { Limit = 2, Next = page1.Next }, ct);
        var page3 = await client.GetObjectsAsync(host.ApiRoot, collection, new TaxiiQuery { Limit = 2, Next = page2.Next }, ct);
        var pages = new List<TaxiiPage>();
        await foreach (var page in client.ReadAllAsync(host.ApiRoot, collection, null, limit: 2, ct))
        {
            pages.Add(page);
        }

        Assert.Equal(ids[..2], page1.Objects.Select(Id));
        Assert.Equal(ids[2..4], page2.Objects.Select(Id));
        Assert.Equal(ids[4..], page3.Objects.Select(Id));
        Assert.Equal((true, true, false, (string?)null), (page1.More, page2.More, page3.More, page3.Next));
        Assert.True(page1.DateAddedFirst!.Instant < page1.DateAddedLast!.Instant);
        Assert.True(page1.DateAddedLast.Instant < page2.DateAddedFirst!.Instant);
        Assert.Equal(page3.DateAddedFirst!.Text, page3.DateAddedLast!.Text);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", page3.DateAddedLast.Text);
        Assert.Equal([2, 2, 1], pages.Select(p => p.Objects.Count));
        Assert.Equal([false, false, true], pages.Select(p => p.IsLast));
        Assert.Equal(ids, pages.SelectMany(p => p.Objects).Select(Id));
        Assert.Equal([page1.DateAddedLast.Text, page2.DateAddedLast!.Text, page3.DateAddedLast.Text], pages.Select(p => p.Checkpoint!.Text));
    }

    [Fact]
    public async Task A_checkpoint_returns_only_what_was_added_since_and_nothing_when_nothing_was()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Checkpoints");
        var client = host.Client(token);
        var first = $"indicator--{Uuid(6, 1)}";
        await client.AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator(first, "a.example"), Indicator($"indicator--{Uuid(6, 2)}", "b.example"), Indicator($"indicator--{Uuid(6, 3)}", "c.example")), ct);
        var initial = await ReadAllAsync(client, collection, null);

        await client.AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator(first, "a.example", modified: "2026-04-01T00:00:00.000Z"), Indicator($"indicator--{Uuid(6, 4)}", "d.example")), ct);
        var since = await ReadAllAsync(client, collection, TaxiiCheckpoint.Parse(initial.Checkpoint!.Text));
        var nothing = await ReadAllAsync(client, collection, since.Checkpoint);

        Assert.Equal(3, initial.Objects.Count);
        Assert.Equal([first, $"indicator--{Uuid(6, 4)}"], since.Objects.Select(Id));
        Assert.Equal("2026-04-01T00:00:00.000Z", Modified(since.Objects[0]));
        Assert.True(since.Checkpoint!.Instant > initial.Checkpoint.Instant);
        Assert.Empty(nothing.Objects);
        Assert.Equal(since.Checkpoint.Text, nothing.Checkpoint!.Text);
    }

    [Fact]
    public async Task Match_filters_select_by_id_type_version_and_spec_version()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Filters");
        var client = host.Client(token);
        var a = $"indicator--{Uuid(7, 1)}";
        var b = $"indicator--{Uuid(7, 2)}";
        var s = $"sighting--{Uuid(7, 3)}";
        await client.AddObjectsAsync(
            host.ApiRoot,
            collection,
            Elements(
                Indicator(a, "a.example", modified: "2026-03-01T10:00:00.000Z"),
                Indicator(a, "a.example", modified: "2026-03-05T00:00:00.000Z"),
                Indicator(a, "a.example", modified: "2026-03-09T00:00:00.000Z"),
                Indicator(b, "b.example"),
                Sighting(s, a, 1)),
            ct);

        async Task<List<string>> Read(TaxiiQuery query) =>
            [.. (await client.GetObjectsAsync(host.ApiRoot, collection, query, ct)).Objects.Select(o => $"{Id(o)}@{Modified(o)}")];

        Assert.Equal([$"{a}@2026-03-09T00:00:00.000Z", $"{b}@2026-03-01T10:00:00.000Z", $"{s}@2026-03-02T08:00:00.000Z"], await Read(new TaxiiQuery()));
        Assert.Equal([$"{s}@2026-03-02T08:00:00.000Z"], await Read(new TaxiiQuery { Types = ["sighting"] }));
        Assert.Equal([$"{a}@2026-03-09T00:00:00.000Z"], await Read(new TaxiiQuery { Types = ["indicator", "sighting"], Ids = [a] }));
        Assert.Equal([$"{a}@2026-03-01T10:00:00.000Z"], await Read(new TaxiiQuery { Ids = [a], Versions = ["first"] }));
        Assert.Equal(
            [$"{a}@2026-03-01T10:00:00.000Z", $"{a}@2026-03-05T00:00:00.000Z", $"{a}@2026-03-09T00:00:00.000Z"],
            await Read(new TaxiiQuery { Ids = [a], Versions = ["all"] }));
        Assert.Equal([$"{a}@2026-03-01T10:00:00.000Z", $"{a}@2026-03-09T00:00:00.000Z"], await Read(new TaxiiQuery { Ids = [a], Versions = ["first", "last"] }));
        Assert.Equal([$"{a}@2026-03-05T00:00:00.000Z"], await Read(new TaxiiQuery { Versions = ["2026-03-05T00:00:00Z"] }));
        Assert.Empty(await Read(new TaxiiQuery { SpecVersions = ["2.0"] }));
        Assert.Equal(3, (await Read(new TaxiiQuery { SpecVersions = ["2.1"] })).Count);

        var bad = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectsAsync(host.ApiRoot, collection, new TaxiiQuery { Versions = ["latest"] }, ct));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("match[version] takes last, first, all or version timestamps; 'latest' is none of them", bad.Error!.Description);
    }

    [Fact]
    public async Task Versions_object_manifest_and_delete_work_on_one_object()
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await host.CreateCollectionAsync("Versions");
        var (writerId, writer) = await host.CreateKeyAsync("versions writer");
        var (readerId, reader) = await host.CreateKeyAsync("versions reader");
        await host.GrantAsync(collection, writerId, canRead: true, canWrite: true);
        await host.GrantAsync(collection, readerId, canRead: true, canWrite: false);
        var client = host.Client(writer);
        var a = $"indicator--{Uuid(8, 1)}";
        var b = $"indicator--{Uuid(8, 2)}";
        await client.AddObjectsAsync(
            host.ApiRoot,
            collection,
            Elements(
                Indicator(a, "a.example", modified: "2026-03-01T10:00:00.000Z"),
                Indicator(b, "b.example"),
                Indicator(a, "a.example", modified: "2026-03-05T00:00:00.000Z"),
                Indicator(a, "a.example", modified: "2026-03-09T00:00:00.123456Z")),
            ct);

        var versions = await client.GetObjectVersionsAsync(host.ApiRoot, collection, a, null, ct);
        var firstTwo = await client.GetObjectVersionsAsync(host.ApiRoot, collection, a, new TaxiiQuery { Limit = 2 }, ct);
        var latest = await client.GetObjectAsync(host.ApiRoot, collection, a, null, ct);
        var all = await client.GetObjectAsync(host.ApiRoot, collection, a, new TaxiiQuery { Versions = ["all"] }, ct);
        var manifest = await client.GetManifestAsync(host.ApiRoot, collection, null, ct);

        Assert.Equal(["2026-03-01T10:00:00.000Z", "2026-03-05T00:00:00.000Z", "2026-03-09T00:00:00.123456Z"], versions.Versions);
        Assert.Equal((2, true), (firstTwo.Versions.Count, firstTwo.More));
        Assert.NotNull(firstTwo.Next);
        Assert.Equal(["2026-03-09T00:00:00.123456Z"], latest.Objects.Select(Modified));
        Assert.Equal(3, all.Objects.Count);
        Assert.Equal([(b, "2026-03-01T10:00:00.000Z"), (a, "2026-03-09T00:00:00.123456Z")], manifest.Objects.Select(m => (m.Id, m.Version)));
        Assert.All(manifest.Objects, m => Assert.Equal("application/stix+json;version=2.1", m.MediaType));
        Assert.Equal(manifest.DateAddedLast!.Text, manifest.Objects[^1].DateAdded.Text);

        var readOnly = await Assert.ThrowsAsync<TaxiiException>(() => host.Client(reader).DeleteObjectAsync(host.ApiRoot, collection, b, null, ct));
        await client.DeleteObjectAsync(host.ApiRoot, collection, a, new TaxiiQuery { Versions = ["first"] }, ct);
        var afterFirst = await client.GetObjectVersionsAsync(host.ApiRoot, collection, a, null, ct);
        await client.DeleteObjectAsync(host.ApiRoot, collection, a, null, ct);
        var gone = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectAsync(host.ApiRoot, collection, a, null, ct));
        var left = await client.GetObjectsAsync(host.ApiRoot, collection, null, ct);

        Assert.Equal((HttpStatusCode.Forbidden, "deleting needs both read and write access to the collection"), (readOnly.StatusCode, readOnly.Error!.Description));
        Assert.Equal(["2026-03-05T00:00:00.000Z", "2026-03-09T00:00:00.123456Z"], afterFirst.Versions);
        Assert.Equal((HttpStatusCode.NotFound, $"no object '{a}' in this collection"), (gone.StatusCode, gone.Error!.Description));
        Assert.Equal([b], left.Objects.Select(Id));
    }

    [Fact]
    public async Task An_object_the_collection_does_not_hold_is_the_same_404_to_read_list_versions_or_delete()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Missing object");
        var client = host.Client(token);
        await client.AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator($"indicator--{Uuid(41, 1)}", "held.example")), ct);
        var missing = $"indicator--{Uuid(41, 2)}";

        TaxiiException[] refusals =
        [
            await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectAsync(host.ApiRoot, collection, missing, null, ct)),
            await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectVersionsAsync(host.ApiRoot, collection, missing, null, ct)),
            await Assert.ThrowsAsync<TaxiiException>(() => client.DeleteObjectAsync(host.ApiRoot, collection, missing, null, ct)),
        ];

        Assert.All(refusals, e => Assert.Equal((HttpStatusCode.NotFound, $"no object '{missing}' in this collection"), (e.StatusCode, e.Error!.Description)));
        Assert.Equal([$"indicator--{Uuid(41, 1)}"], (await client.GetObjectsAsync(host.ApiRoot, collection, null, ct)).Objects.Select(Id));
    }

    [Fact]
    public async Task A_collection_limited_to_amber_refuses_red_objects_and_keeps_the_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await host.CreateCollectionAsync("Amber at most", maxTlp: "Amber");
        var (keyId, token) = await host.CreateKeyAsync("amber partner");
        await host.GrantAsync(collection, keyId, canRead: true, canWrite: true);
        var client = host.Client(token);

        var status = await client.AddObjectsAsync(
            host.ApiRoot,
            collection,
            Elements(
                Indicator($"indicator--{Uuid(9, 1)}", "red.example", marking: TlpRed2),
                Indicator($"indicator--{Uuid(9, 2)}", "amber.example", marking: TlpAmber),
                Indicator($"indicator--{Uuid(9, 3)}", "green.example", marking: TlpGreen)),
            ct);

        Assert.Equal((2, 1), (status.SuccessCount, status.FailureCount));
        Assert.Equal("objects[0]: marked TLP:RED; this collection takes at most TLP:AMBER", status.Failures[0].Message);
    }

    [Fact]
    public async Task Sightings_one_partner_writes_reach_another_that_may_only_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await host.CreateCollectionAsync("Shared sightings");
        var (writerId, writer) = await host.CreateKeyAsync("CERT sightings");
        var (readerId, reader) = await host.CreateKeyAsync("NGO reader");
        await host.GrantAsync(collection, writerId, canRead: false, canWrite: true);
        await host.GrantAsync(collection, readerId, canRead: true, canWrite: false);
        var sighting = Sighting($"sighting--{Uuid(10, 1)}", $"indicator--{Uuid(10, 2)}", 7);

        var status = await host.Client(writer).AddObjectsAsync(host.ApiRoot, collection, Elements(sighting), ct);
        var cannotRead = await Assert.ThrowsAsync<TaxiiException>(() => host.Client(writer).GetObjectsAsync(host.ApiRoot, collection, null, ct));
        var read = await ReadAllAsync(host.Client(reader), collection, null);
        var cannotWrite = await Assert.ThrowsAsync<TaxiiException>(() => host.Client(reader).AddObjectsAsync(host.ApiRoot, collection, Elements(sighting), ct));

        Assert.Equal(1, status.SuccessCount);
        Assert.Equal((HttpStatusCode.Forbidden, "this key may add to this collection but not read it"), (cannotRead.StatusCode, cannotRead.Error!.Description));
        Assert.Equal([$"sighting--{Uuid(10, 1)}"], read.Objects.Select(Id));
        Assert.Equal(7, read.Objects[0].GetProperty("count").GetInt32());
        Assert.Equal((HttpStatusCode.Forbidden, "this key may read this collection but not add to it"), (cannotWrite.StatusCode, cannotWrite.Error!.Description));
    }

    [Fact]
    public async Task Concurrent_writers_get_distinct_dates_and_a_poller_running_alongside_misses_and_repeats_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Concurrent");
        var expected = Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(1, 25).Select(n => $"indicator--{Uuid(11, (w * 100) + n)}")).ToList();
        var writers = Enumerable.Range(0, 4).Select(async w =>
        {
            var client = host.Client(token);
            foreach (var batch in expected.Skip(w * 25).Take(25).Chunk(5))
            {
                await client.AddObjectsAsync(host.ApiRoot, collection, batch.Select(id => Element(Indicator(id, "c.example"))), ct);
            }
        }).ToList();

        var seen = new List<string>();
        TaxiiCheckpoint? checkpoint = null;
        var poller = host.Client(token);
        var done = Task.WhenAll(writers);
        while (true)
        {
            var finished = done.IsCompleted;
            var (objects, last) = await ReadAllAsync(poller, collection, checkpoint);
            seen.AddRange(objects.Select(Id));
            checkpoint = last;
            if (finished)
            {
                break;
            }

            await Task.Delay(20, ct);
        }

        await done;
        var manifest = new List<TaxiiManifestRecord>();
        string? next = null;
        do
        {
            var page = await poller.GetManifestAsync(host.ApiRoot, collection, new TaxiiQuery { Next = next }, ct);
            manifest.AddRange(page.Objects);
            next = page.More ? page.Next : null;
        }
        while (next is not null);

        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(100, manifest.Select(m => m.DateAdded.Instant).Distinct().Count());
        Assert.Equal(manifest.Select(m => m.DateAdded.Instant).Order(), manifest.Select(m => m.DateAdded.Instant));
        Assert.Equal(manifest[^1].DateAdded.Text, checkpoint!.Text);
    }

    private async Task<(List<JsonElement> Objects, TaxiiCheckpoint? Checkpoint)> ReadAllAsync(TaxiiClient client, string collection, TaxiiCheckpoint? checkpoint)
    {
        var objects = new List<JsonElement>();
        var last = checkpoint;
        await foreach (var page in client.ReadAllAsync(host.ApiRoot, collection, checkpoint, limit: 2, TestContext.Current.CancellationToken))
        {
            objects.AddRange(page.Objects);
            last = page.Checkpoint;
        }

        return (objects, last);
    }
}

public sealed class TaxiiClientSqliteTests(TaxiiHost<SqliteServer> host) : TaxiiClientTests<SqliteServer>(host);

public sealed class TaxiiClientPostgresTests(TaxiiHost<PostgresServer> host) : TaxiiClientTests<PostgresServer>(host);
