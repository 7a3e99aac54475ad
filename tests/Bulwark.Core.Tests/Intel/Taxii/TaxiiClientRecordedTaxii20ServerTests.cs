using System.Text.Json;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;
using Bulwark.Core.Intel.Taxii;

namespace Bulwark.Core.Tests.Intel.Taxii;

/// <summary>
/// The client against a recorded TAXII 2.0 server (<see cref="RecordedTaxii20Server"/>: Bulwark's own server speaks
/// 2.1 only): the version is learnt from the answers' media types, objects come as bundles paged by Range and
/// Content-Range, posts are bundles, and what 2.0 lacks is refused before any request.
/// </summary>
public sealed class TaxiiClientRecordedTaxii20ServerTests
{
    private static readonly string[] AllIds =
    [
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5",
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "indicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f",
        "intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87",
        "relationship--44298a74-ba52-4f0f-a4e1-e0d5ac4a9a4c",
        "indicator--0c1e4d8a-4a44-4d1f-8d5c-1d2a3b4c5d6e",
    ];

    [Fact]
    public async Task A_recorded_taxii_2_0_server_is_discovered_and_then_spoken_to_in_2_0()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server();
        var client = Client(server);

        var discovery = await client.DiscoverAsync(RecordedTaxii20Server.Discovery, ct);
        var root = await client.GetApiRootAsync(discovery.Default!, ct);
        var collections = await client.GetCollectionsAsync(discovery.Default!, ct);

        Assert.Equal(TaxiiVersion.Taxii20, discovery.Version);
        Assert.Equal(("CERT-Example TAXII 2.0 Server", "taxii@cert.example"), (discovery.Title, discovery.Contact));
        Assert.Equal([new Uri("https://taxii.cert.example/api1/"), new Uri("https://taxii.cert.example/trustgroup1/")], discovery.ApiRoots);
        Assert.Equal(TaxiiVersion.Taxii20, client.VersionOf(new Uri("https://taxii.cert.example/trustgroup1")));
        Assert.Equal((TaxiiVersion.Taxii20, 9765625L), (root.Version, root.MaxContentLength));
        Assert.Equal(["taxii-2.0"], root.Versions);
        Assert.Equal(
            [(RecordedTaxii20Server.Collection, true, true, (string?)null), (RecordedTaxii20Server.WriteOnly, false, true, null)],
            collections.Select(c => (c.Id, c.CanRead, c.CanWrite, c.Alias)));
        Assert.Equal(["application/vnd.oasis.stix+json; version=2.0"], collections[0].MediaTypes);
        // Discovery accepted either version; once it answered in 2.0, only 2.0 is asked for.
        Assert.Equal(
            [
                ("/taxii/", "application/taxii+json; version=2.1, application/vnd.oasis.taxii+json; version=2.0"),
                ("/api1/", "application/vnd.oasis.taxii+json; version=2.0"),
                ("/api1/collections/", "application/vnd.oasis.taxii+json; version=2.0"),
            ],
            server.Requests.Select(r => (r.Target, r.Accept)));
    }

    [Fact]
    public async Task Reading_a_recorded_taxii_2_0_collection_pages_by_range_to_the_end_with_checkpoints()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server();
        var client = Client(server);
        await client.DiscoverAsync(RecordedTaxii20Server.Discovery, ct);

        var pages = new List<TaxiiPage>();
        await foreach (var page in client.ReadAllAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, TaxiiCheckpoint.Parse("2026-03-01T08:00:00.000Z"), 2, ct))
        {
            pages.Add(page);
        }

        Assert.Equal(
            [
                ["identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"],
                ["indicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f", "intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87"],
                ["relationship--44298a74-ba52-4f0f-a4e1-e0d5ac4a9a4c", "indicator--0c1e4d8a-4a44-4d1f-8d5c-1d2a3b4c5d6e"],
            ],
            pages.Select(p => p.Objects.Select(Id).ToArray()));
        Assert.Equal(["2026-03-01T08:00:02.000Z", "2026-03-01T08:00:04.000Z", "2026-03-01T08:00:06.000Z"], pages.Select(p => p.Checkpoint!.Text));
        Assert.Equal([false, false, true], pages.Select(p => p.IsLast));
        // added_after stays, the item range moves; neither limit nor next goes to a 2.0 server.
        Assert.Equal(
            [
                ("/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/?added_after=2026-03-01T08%3A00%3A00.000Z", "application/vnd.oasis.stix+json; version=2.0", "items=0-1"),
                ("/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/?added_after=2026-03-01T08%3A00%3A00.000Z", "application/vnd.oasis.stix+json; version=2.0", "items=2-3"),
                ("/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/?added_after=2026-03-01T08%3A00%3A00.000Z", "application/vnd.oasis.stix+json; version=2.0", "items=4-5"),
            ],
            server.Requests.Skip(1).Select(r => (r.Target, r.Accept, r.Range)));

        // The bundles' STIX 2.0 objects are what the STIX reader takes: TLP 1.0 green, the indicates link to HAFNIUM.
        var catalog = new IntelCatalog();
        var source = new IntelSource("cert-example", IntelFormat.StixBundle);
        foreach (var page in pages)
        {
            StixReader.ReadObjects(JsonSerializer.SerializeToElement(page.Objects), "taxii 2.0 page", source, catalog);
        }

        Assert.Empty(catalog.Problems);
        Assert.Equal(3, catalog.Indicators.Count);
        Assert.All(catalog.Indicators, i => Assert.Equal(Tlp.Green, i.Tlp)); // TLP 1.0 green is predefined: known without its definition, which came before the checkpoint
        Assert.Equal([(IocKind.IPv4, "203.0.113.17")], catalog.GetIndicator("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")!.Values.Select(v => (v.Kind, v.Value)));
        Assert.Equal("intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87", Assert.Single(catalog.Relationships).TargetRef);
    }

    [Fact]
    public async Task Without_discovery_the_first_answer_teaches_the_version_and_a_server_page_limit_is_followed()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server();
        var client = Client(server);

        var pages = new List<TaxiiPage>();
        await foreach (var page in client.ReadAllAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, null, null, ct))
        {
            pages.Add(page);
        }

        Assert.Equal(AllIds, pages.SelectMany(p => p.Objects).Select(Id));
        Assert.Equal([5, 2], pages.Select(p => p.Objects.Count));
        Assert.Equal(TaxiiVersion.Taxii20, client.VersionOf(RecordedTaxii20Server.ApiRoot));
        Assert.Equal(
            [
                ("application/taxii+json; version=2.1, application/vnd.oasis.stix+json; version=2.0", (string?)null),
                ("application/vnd.oasis.stix+json; version=2.0", "items=5-9"),
            ],
            server.Requests.Select(r => (r.Accept, r.Range)));
        Assert.Equal("2026-03-01T08:00:06.000Z", pages[^1].Checkpoint!.Text);
    }

    [Fact]
    public async Task A_recorded_taxii_2_0_server_that_takes_only_the_spec_range_form_is_asked_again_in_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server { AcceptsRfcRange = false };
        var client = Client(server);
        await client.GetApiRootAsync(RecordedTaxii20Server.ApiRoot, ct);

        var envelope = await client.GetObjectsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { Limit = 2, Types = ["indicator"] }, ct);
        var rest = await client.GetObjectsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { Next = envelope.Next, Types = ["indicator"] }, ct);

        Assert.Equal(["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f"], envelope.Objects.Select(Id));
        Assert.Equal((true, "items 2-3"), (envelope.More, envelope.Next));
        Assert.Equal(["indicator--0c1e4d8a-4a44-4d1f-8d5c-1d2a3b4c5d6e"], rest.Objects.Select(Id));
        Assert.Equal((false, (string?)null), (rest.More, rest.Next));
        Assert.Equal(
            [(string?)null, "items=0-1", "items 0-1", "items=2-3", "items 2-3"],
            server.Requests.Select(r => r.Range));
        Assert.All(server.Requests.Skip(1), r => Assert.EndsWith("?match%5Btype%5D=indicator", r.Target, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_manifest_of_a_recorded_taxii_2_0_server_lists_each_version_and_pages_by_range()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server();
        var client = Client(server);
        await client.GetApiRootAsync(RecordedTaxii20Server.ApiRoot, ct);

        var first = await client.GetManifestAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { Limit = 4 }, ct);
        var second = await client.GetManifestAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { Next = first.Next }, ct);
        var past = await client.GetManifestAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { Next = "items 40-49" }, ct);

        Assert.Equal((true, "items 4-7"), (first.More, first.Next));
        Assert.Equal(AllIds[..4], first.Objects.Select(o => o.Id));
        Assert.Equal(
            new TaxiiManifestRecord("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", TaxiiCheckpoint.Parse("2026-03-01T08:00:02.000Z"), "2026-02-28T10:00:00.000Z", "application/vnd.oasis.stix+json; version=2.0"),
            first.Objects[2]);
        Assert.Equal((false, 3), (second.More, second.Objects.Count));
        Assert.Equal((false, 0), (past.More, past.Objects.Count)); // 416: nothing from there on
    }

    [Fact]
    public async Task Adding_objects_to_a_recorded_taxii_2_0_server_posts_a_bundle_and_reads_its_2_0_status()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server();
        var client = Client(server);
        var sighting = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["type"] = "sighting",
            ["id"] = "sighting--ee20065d-2555-424f-ad9e-0f8428623c75",
            ["created"] = "2026-03-02T08:00:00.000Z",
            ["modified"] = "2026-03-02T08:00:00.000Z",
            ["sighting_of_ref"] = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            ["count"] = 3,
        });
        var broken = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["id"] = "no-type" });

        var status = await client.AddObjectsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, [sighting, broken], ct);
        var again = await client.GetStatusAsync(RecordedTaxii20Server.ApiRoot, status.Id, ct);
        var twice = await client.AddObjectsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, [sighting, broken], ct);

        Assert.Equal(("2d086da7-4bdc-4f91-900e-d77486753710", true, 2, 1, 1, 0), (status.Id, status.IsComplete, status.TotalCount, status.SuccessCount, status.FailureCount, status.PendingCount));
        Assert.Equal([new TaxiiStatusDetail("sighting--ee20065d-2555-424f-ad9e-0f8428623c75", "", null)], status.Successes);
        Assert.Equal([new TaxiiStatusDetail("no-type", "", "Unable to process object")], status.Failures);
        Assert.Equal(status.Successes, again.Successes);
        Assert.Equal(status.Id, twice.Id);
        // The version was read from the API root first; the post is a 2.0 bundle whose id comes from its objects.
        Assert.Equal(("GET", "/api1/"), (server.Requests[0].Method, server.Requests[0].Target));
        Assert.Equal(("POST", "application/vnd.oasis.taxii+json; version=2.0", "application/vnd.oasis.stix+json; version=2.0"), (server.Requests[1].Method, server.Requests[1].Accept, server.Requests[1].ContentType));
        using var posted = JsonDocument.Parse(server.Posted[0]);
        Assert.Equal(("bundle", "2.0", 2), (posted.RootElement.GetProperty("type").GetString(), posted.RootElement.GetProperty("spec_version").GetString(), posted.RootElement.GetProperty("objects").GetArrayLength()));
        Assert.Matches("^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", posted.RootElement.GetProperty("id").GetString());
        Assert.Equal(server.Posted[0], server.Posted[1]);
    }

    [Fact]
    public async Task What_taxii_2_0_lacks_is_refused_before_any_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new RecordedTaxii20Server();
        var client = Client(server);
        await client.GetApiRootAsync(RecordedTaxii20Server.ApiRoot, ct);
        var objects = $"https://taxii.cert.example/api1/collections/{RecordedTaxii20Server.Collection}/objects/";

        var versions = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectVersionsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", null, ct));
        var delete = await Assert.ThrowsAsync<TaxiiException>(() => client.DeleteObjectAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", null, ct));
        var spec = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { SpecVersions = ["2.1"] }, ct));
        var token = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectsAsync(RecordedTaxii20Server.ApiRoot, RecordedTaxii20Server.Collection, new TaxiiQuery { Next = "opaque-2.1-token" }, ct));

        Assert.Equal($"GET {objects}indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/versions/: this API root speaks TAXII 2.0, which has no versions resource (it is new in TAXII 2.1)", versions.Message);
        Assert.Equal($"DELETE {objects}indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/: this API root speaks TAXII 2.0, which cannot delete objects (deletion is new in TAXII 2.1)", delete.Message);
        Assert.Equal($"GET {objects}?match%5Bspec_version%5D=2.1: match[spec_version] is a TAXII 2.1 filter and this API root speaks TAXII 2.0", spec.Message);
        Assert.Equal($"GET {objects}?next=opaque-2.1-token: 'opaque-2.1-token' is not a TAXII 2.0 page token (an item range such as 'items 100-199')", token.Message);
        Assert.Single(server.Requests);
    }

    private static TaxiiClient Client(RecordedTaxii20Server server) => new(new HttpClient(server), TaxiiCredentials.Basic("cert-example", "partner-secret"));

    private static string Id(JsonElement o) => o.GetProperty("id").GetString()!;
}
