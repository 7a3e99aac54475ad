using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Server.Tests.Support;
using static Bulwark.Server.Tests.Support.TaxiiStix;

namespace Bulwark.Server.Tests;

/// <summary>
/// The TAXII server's HTTP rules over real HTTP, with requests no TAXII client would send: authentication (401
/// with a Basic challenge), content negotiation (406), media type (415), size (413), hostile bodies, isolation
/// between keys, the operator's collection and grant routes, and the audit trail.
/// </summary>
public abstract class TaxiiProtocolTests<TServer>(TaxiiHost<TServer> host) : IClassFixture<TaxiiHost<TServer>>
    where TServer : BulwarkServer, new()
{
    private const string Ok = "application/taxii+json;version=2.1";

    [Fact]
    public async Task Requests_without_a_live_key_get_401_with_a_basic_challenge_and_a_taxii_error()
    {
        var (keyId, token) = await host.CreateKeyAsync("soon revoked");
        (await host.OperatorAsync(HttpMethod.Delete, $"/api/v1/keys/{keyId}")).EnsureSuccessStatusCode();

        var none = await host.SendAsync(HttpMethod.Get, "/taxii2/", null);
        var wrong = await host.SendAsync(HttpMethod.Get, "/taxii2/bulwark/collections/", "bwk_000000000000_nope");
        var revoked = await host.SendAsync(HttpMethod.Get, "/taxii2/bulwark/collections/", token);
        var garbled = await host.SendAsync(HttpMethod.Get, "/taxii2/", null, content: null, accept: Ok, authorization: "Basic %%%not-base64");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Basic realm=\"Bulwark TAXII\", charset=\"UTF-8\"", none.Headers.WwwAuthenticate.Select(h => h.ToString()));
        await AssertErrorAsync(none, 401, "Authentication required", "send an API key of this server: HTTP Basic with the key as password, or Authorization: Bearer");
        foreach (var refused in new[] { wrong, revoked, garbled })
        {
            await AssertErrorAsync(refused, 401, "Authentication required", "the credentials are not a live API key of this server (HTTP Basic with the key as password, or Bearer)");
        }
    }

    [Fact]
    public async Task Only_taxii_21_is_acceptable_and_anything_else_is_406()
    {
        var (_, token) = await host.CreateKeyAsync("accept partner");

        foreach (var accept in new[] { "application/json", "application/taxii+json;version=2.0", "application/stix+json;version=2.1", "text/html" })
        {
            var response = await host.SendAsync(HttpMethod.Get, "/taxii2/", token, accept);
            await AssertErrorAsync(response, 406, "Not acceptable", $"this server answers only application/taxii+json;version=2.1; the request accepts '{accept}'");
        }

        foreach (var accept in new[] { Ok, "application/taxii+json", "application/json;q=0.9, application/taxii+json;version=2.1", "*/*", null })
        {
            var response = await host.SendAsync(HttpMethod.Get, "/taxii2/", token, accept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(("application/taxii+json", "2.1"), MediaType(response));
        }
    }

    [Fact]
    public async Task Posting_anything_but_a_taxii_envelope_is_415()
    {
        var (collection, token) = await host.CollectionWithWriterAsync("Media types");
        var envelope = Envelope(Indicator($"indicator--{Uuid(21, 1)}", "a.example"));

        foreach (var type in new[] { "application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0", "text/plain" })
        {
            var response = await host.SendAsync(HttpMethod.Post, $"/taxii2/bulwark/collections/{collection}/objects/", token, content: TaxiiHost<TServer>.Body(envelope, type));
            await AssertErrorAsync(response, 415, "Unsupported media type", $"post an envelope as application/taxii+json;version=2.1; the request's Content-Type is '{type}'");
        }

        var accepted = await host.SendAsync(HttpMethod.Post, $"/taxii2/bulwark/collections/{collection}/objects/", token, content: TaxiiHost<TServer>.Body(envelope));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Bodies_over_max_content_length_and_envelopes_over_the_object_limit_are_413()
    {
        var (collection, token) = await host.CollectionWithWriterAsync("Too large");
        var path = $"/taxii2/bulwark/collections/{collection}/objects/";
        var padding = new string('x', 300_000);
        var large = $"{{\"objects\":[],\"pad\":\"{padding}\"}}";

        var declared = await host.SendAsync(HttpMethod.Post, path, token, content: TaxiiHost<TServer>.Body(large));
        var chunked = await host.SendAsync(HttpMethod.Post, path, token, content: Chunked(large));
        var many = await host.SendAsync(HttpMethod.Post, path, token, content: TaxiiHost<TServer>.Body($"{{\"objects\":[{string.Join(',', Enumerable.Repeat("{}", 301))}]}}"));

        await AssertErrorAsync(declared, 413, "Request too large", $"the body is {Encoding.UTF8.GetByteCount(large)} bytes; this API root takes at most 262144 (max_content_length)");
        await AssertErrorAsync(chunked, 413, "Request too large", "the body is larger than the 262144 bytes this API root takes (max_content_length)");
        await AssertErrorAsync(many, 413, "Request too large", "the envelope holds 301 objects; this server takes at most 300 per request");
    }

    [Fact]
    public async Task Hostile_bodies_get_a_400_naming_the_fault_and_the_collection_keeps_only_valid_objects()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Hostile");
        var path = $"/taxii2/bulwark/collections/{collection}/objects/";
        async Task<HttpResponseMessage> Post(byte[] body) => await host.SendAsync(HttpMethod.Post, path, token, content: TaxiiHost<TServer>.Body(body));
        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        var truncated = await Post(Utf8("{\"objects\":[{\"type\":\"indicator\",\"id\":"));
        var deep = await Post(Utf8("{\"objects\":[" + new string('[', 200) + new string(']', 200) + "]}"));
        var badUtf8 = await Post([.. Utf8("{\"objects\":[{\"type\":\"indicator\",\"name\":\""), 0xC3, 0x28, .. Utf8("\"}]}")]);
        var array = await Post(Utf8("[{\"type\":\"indicator\"}]"));
        var noObjects = await Post(Utf8("{\"objects\":{\"type\":\"indicator\"}}"));
        var empty = await Post([]);
        var longName = Indicator($"indicator--{Uuid(22, 2)}", "x.example");
        longName["name"] = new string('n', 100_000);
        var numbers = await Post(Utf8($"{{\"objects\":[{string.Join(',', Enumerable.Repeat("1e400", 300))}]}}"));
        var mixed = await Post(Utf8(Envelope(
            Indicator($"indicator--{Uuid(22, 1)}", "kept.example"),
            System.Text.Json.Nodes.JsonValue.Create("an indicator, honestly")!,
            new System.Text.Json.Nodes.JsonArray(1, 2),
            longName)));

        await AssertErrorAsync(truncated, 400, "Bad request", "the body is not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. (line 1, byte 38)");
        await AssertErrorAsync(deep, 400, "Bad request", "the body is not valid JSON: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array. (line 1, byte 75)");
        await AssertErrorAsync(badUtf8, 400, "Bad request", "the body is not valid UTF-8 (first bad byte at offset 40)");
        await AssertErrorAsync(array, 400, "Bad request", "the body must be an envelope, a JSON object with an 'objects' list; found array");
        await AssertErrorAsync(noObjects, 400, "Bad request", "the envelope must have an 'objects' list");
        await AssertErrorAsync(empty, 400, "Bad request", "the body is empty: post an envelope, a JSON object with an 'objects' list");

        var numberStatus = await numbers.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(HttpStatusCode.Accepted, numbers.StatusCode);
        Assert.Equal((300, 0, 300), (numberStatus.GetProperty("total_count").GetInt32(), numberStatus.GetProperty("success_count").GetInt32(), numberStatus.GetProperty("failure_count").GetInt32()));
        Assert.Equal("objects[299]: expected a STIX object (a JSON object), found the number 1e400", numberStatus.GetProperty("failures")[299].GetProperty("message").GetString());

        var mixedStatus = await mixed.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(HttpStatusCode.Accepted, mixed.StatusCode);
        Assert.Equal(
            ["objects[1]: expected a STIX object (a JSON object), found 'an indicator, honestly'", "objects[2]: expected a STIX object (a JSON object), found a list"],
            mixedStatus.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("message").GetString()));
        var stored = await host.Client(token).GetObjectsAsync(host.ApiRoot, collection, null, ct);
        Assert.Equal([$"indicator--{Uuid(22, 1)}", $"indicator--{Uuid(22, 2)}"], stored.Objects.Select(Id));
        Assert.Equal(100_000, stored.Objects[1].GetProperty("name").GetString()!.Length);
    }

    [Fact]
    public async Task Malformed_filters_are_400_naming_the_parameter_and_a_large_limit_is_lowered_to_the_page_size()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Filters 400");
        var objects = $"/taxii2/bulwark/collections/{collection}/objects/";
        await host.Client(token).AddObjectsAsync(host.ApiRoot, collection, Enumerable.Range(1, 60).Select(n => Element(Indicator($"indicator--{Uuid(26, n)}", "f.example"))), ct);

        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, objects + "?added_after=2026-01-01", token), 400, "Bad request", "added_after must be a timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff]Z), found '2026-01-01'");
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, objects + "?limit=0", token), 400, "Bad request", "limit must be a whole number of 1 or more, found '0'");
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, objects + "?limit=-5", token), 400, "Bad request", "limit must be a whole number of 1 or more, found '-5'");
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, objects + "?next=forged", token), 400, "Bad request", "next 'forged' is not a page token this server issued");
        var many = string.Join(',', Enumerable.Range(0, 101).Select(n => $"indicator--{Uuid(26, n)}"));
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, objects + "?match[id]=" + many, token), 400, "Bad request", "match[id] lists 101 values; at most 100");

        var capped = await host.Client(token).GetObjectsAsync(host.ApiRoot, collection, new TaxiiQuery { Limit = 100_000 }, ct);
        Assert.Equal((TaxiiHost<TServer>.MaxPageSize, true), (capped.Objects.Count, capped.More));
        var rest = await host.Client(token).GetObjectsAsync(host.ApiRoot, collection, new TaxiiQuery { Limit = 100_000, Next = capped.Next }, ct);
        Assert.Equal((10, false), (rest.Objects.Count, rest.More));
    }

    [Fact]
    public async Task A_key_cannot_see_or_touch_a_collection_granted_only_to_another()
    {
        var ct = TestContext.Current.CancellationToken;
        var (theirs, theirToken) = await host.CollectionWithWriterAsync("Org B only");
        await host.Client(theirToken).AddObjectsAsync(host.ApiRoot, theirs, Elements(Indicator($"indicator--{Uuid(23, 1)}", "b.example")), ct);
        var theirStatus = await host.Client(theirToken).AddObjectsAsync(host.ApiRoot, theirs, Elements(Indicator($"indicator--{Uuid(23, 2)}", "b2.example")), ct);
        var (_, token) = await host.CreateKeyAsync("partner A, no grants");
        var notFound = $"no collection '{theirs}' is available to this key";
        var objectPath = $"/taxii2/bulwark/collections/{theirs}/objects/indicator--{Uuid(23, 1)}/";

        var collections = await host.Client(token).GetCollectionsAsync(host.ApiRoot, ct);
        Assert.Empty(collections);
        foreach (var path in new[] { $"/taxii2/bulwark/collections/{theirs}/", $"/taxii2/bulwark/collections/{theirs}/objects/", $"/taxii2/bulwark/collections/{theirs}/manifest/", objectPath, objectPath + "versions/" })
        {
            await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, path, token), 404, "Not found", notFound);
        }

        await AssertErrorAsync(await host.SendAsync(HttpMethod.Delete, objectPath, token), 404, "Not found", notFound);
        var post = await host.SendAsync(HttpMethod.Post, $"/taxii2/bulwark/collections/{theirs}/objects/", token, content: TaxiiHost<TServer>.Body(Envelope(Indicator($"indicator--{Uuid(23, 3)}", "a.example"))));
        await AssertErrorAsync(post, 404, "Not found", notFound);
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, $"/taxii2/bulwark/status/{theirStatus.Id}/", token), 404, "Not found", $"no status '{theirStatus.Id}' for this key");
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, "/taxii2/bulwark/collections/not-a-uuid/", token), 404, "Not found", "no collection 'not-a-uuid' is available to this key");
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, "/taxii2/other-root/", token), 404, "Not found", "no TAXII resource at this address");

        // The owner still sees exactly its two objects: nothing was added or deleted by the stranger.
        var owner = await host.Client(theirToken).GetObjectsAsync(host.ApiRoot, theirs, null, ct);
        Assert.Equal([$"indicator--{Uuid(23, 1)}", $"indicator--{Uuid(23, 2)}"], owner.Objects.Select(Id));
    }

    [Fact]
    public async Task Partner_keys_reach_nothing_but_taxii_and_operators_without_grants_see_no_collections()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, partner) = await host.CreateKeyAsync("partner, api probe");
        await host.CreateCollectionAsync("Invisible to the operator's TAXII view");
        var member = await host.Server.CreateMemberAsync("Parti Taxii");

        foreach (var path in new[] { "/api/v1/organisations", "/api/v1/keys", "/api/v1/audit", "/api/v1/taxii/collections", $"/api/v1/organisations/{member.Id}" })
        {
            var response = await host.SendAsync(HttpMethod.Get, path, null, accept: null, authorization: $"Bearer {partner}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var operatorView = await host.Client(BulwarkServer.BootstrapToken, bearer: true).GetCollectionsAsync(host.ApiRoot, ct);
        Assert.Empty(operatorView);
    }

    [Fact]
    public async Task Operators_create_collections_and_grants_with_validation_and_withdrawing_a_grant_hides_the_collection()
    {
        var ct = TestContext.Current.CancellationToken;
        var (keyId, token) = await host.CreateKeyAsync("grant partner");
        var alias = "dup-" + Guid.NewGuid().ToString("N")[..8];
        var collection = await host.CreateCollectionAsync("Grants", alias);

        var noTitle = await host.OperatorAsync(HttpMethod.Post, "/api/v1/taxii/collections", new { title = " " });
        var dupAlias = await host.OperatorAsync(HttpMethod.Post, "/api/v1/taxii/collections", new { title = "Again", alias });
        var badAlias = await host.OperatorAsync(HttpMethod.Post, "/api/v1/taxii/collections", new { title = "Bad alias", alias = "Has Spaces" });
        var unknownKey = await host.OperatorAsync(HttpMethod.Put, $"/api/v1/taxii/collections/{collection}/grants/{Guid.NewGuid()}", new { canRead = true, canWrite = false });
        var nothing = await host.OperatorAsync(HttpMethod.Put, $"/api/v1/taxii/collections/{collection}/grants/{keyId}", new { canRead = false, canWrite = false });
        var byPartner = await host.SendAsync(HttpMethod.Post, "/api/v1/taxii/collections", null, accept: null, content: JsonContent.Create(new { title = "mine" }), authorization: $"Bearer {token}");

        Assert.Equal("a title of 1 to 200 characters, on one line, is required", await FieldErrorAsync(noTitle, "title"));
        Assert.Equal($"another collection is called '{alias}'", await FieldErrorAsync(dupAlias, "alias"));
        Assert.Equal("1 to 100 lowercase letters, digits, hyphens or underscores", await FieldErrorAsync(badAlias, "alias"));
        Assert.Equal(HttpStatusCode.NotFound, unknownKey.StatusCode);
        Assert.Equal("grant read, write or both; to withdraw access, DELETE the grant", await FieldErrorAsync(nothing, "canRead"));
        Assert.Equal(HttpStatusCode.Forbidden, byPartner.StatusCode);

        await host.GrantAsync(collection, keyId, canRead: true, canWrite: true);
        await host.Client(token).AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator($"indicator--{Uuid(24, 1)}", "g.example")), ct);
        var view = await (await host.OperatorAsync(HttpMethod.Get, $"/api/v1/taxii/collections/{collection}")).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(1, view.GetProperty("objects").GetInt32());
        Assert.Equal([("grant partner", "Partner", true, true)], view.GetProperty("grants").EnumerateArray().Select(g => (g.GetProperty("keyName").GetString(), g.GetProperty("keyScope").GetString(), g.GetProperty("canRead").GetBoolean(), g.GetProperty("canWrite").GetBoolean())));
        Assert.Equal($"{host.ApiRoot}collections/{collection}/", view.GetProperty("url").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await host.OperatorAsync(HttpMethod.Delete, $"/api/v1/taxii/collections/{collection}/grants/{keyId}")).StatusCode);
        Assert.Empty(await host.Client(token).GetCollectionsAsync(host.ApiRoot, ct));
        await AssertErrorAsync(await host.SendAsync(HttpMethod.Get, $"/taxii2/bulwark/collections/{collection}/objects/", token), 404, "Not found", $"no collection '{collection}' is available to this key");

        Assert.Equal(HttpStatusCode.NoContent, (await host.OperatorAsync(HttpMethod.Delete, $"/api/v1/taxii/collections/{collection}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.OperatorAsync(HttpMethod.Get, $"/api/v1/taxii/collections/{collection}")).StatusCode);
    }

    [Fact]
    public async Task Taxii_reads_and_writes_are_audited_under_the_partner_key_in_an_intact_chain()
    {
        var ct = TestContext.Current.CancellationToken;
        var collection = await host.CreateCollectionAsync("Audited");
        var (keyId, token) = await host.CreateKeyAsync("audited partner");
        await host.GrantAsync(collection, keyId, canRead: true, canWrite: true);
        var client = host.Client(token);

        var status = await client.AddObjectsAsync(host.ApiRoot, collection, [Element(Indicator($"indicator--{Uuid(25, 1)}", "a.example")), Element(System.Text.Json.Nodes.JsonValue.Create(1)!)], ct);
        await client.GetObjectsAsync(host.ApiRoot, collection, null, ct);
        await client.GetManifestAsync(host.ApiRoot, collection, null, ct);

        var audit = await (await host.OperatorAsync(HttpMethod.Get, "/api/v1/audit?limit=1000")).Content.ReadFromJsonAsync<JsonElement>(ct);
        var mine = audit.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("actorId").GetString() == keyId.ToString())
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actorScope").GetString(), e.GetProperty("target").GetString()))
            .Reverse().ToList();
        Assert.True(audit.GetProperty("chainIntact").GetBoolean());
        Assert.Equal(
            [
                ("taxii.objects.add", "Partner", $"taxii-collection/{collection} status/{status.Id} stored=1 refused=1"),
                ("taxii.objects.read", "Partner", $"taxii-collection/{collection} objects=1"),
                ("taxii.manifest.read", "Partner", $"taxii-collection/{collection} objects=1"),
            ],
            mine);
    }

    [Fact]
    public async Task The_operator_routes_are_in_the_openapi_document()
    {
        var ct = TestContext.Current.CancellationToken;
        using var openapi = JsonDocument.Parse(await (await host.OperatorAsync(HttpMethod.Get, "/openapi/v1.json")).Content.ReadAsStringAsync(ct));
        var paths = openapi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Where(p => p.Contains("taxii", StringComparison.Ordinal)).ToList();

        Assert.Contains("/api/v1/taxii/collections", paths);
        Assert.Contains("/api/v1/taxii/collections/{id}/grants/{keyId}", paths);
        Assert.Contains("/taxii2/bulwark/collections/{collectionId}/objects", paths);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string title, string description)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(("application/taxii+json", "2.1"), MediaType(response));
        using var error = JsonDocument.Parse(body);
        Assert.Equal(
            (title, status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (error.RootElement.GetProperty("title").GetString(), error.RootElement.GetProperty("http_status").GetString()));
        Assert.Equal(description, error.RootElement.GetProperty("description").GetString());
    }

    private static (string?, string?) MediaType(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType;
        return (type?.MediaType, type?.Parameters.FirstOrDefault(p => p.Name == "version")?.Value);
    }

    private static async Task<string?> FieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return problem.GetProperty("errors").GetProperty(field)[0].GetString();
    }

    /// <summary>A body sent chunked, with no Content-Length, so the server finds the size only by reading.</summary>
    private static HttpContent Chunked(string body)
    {
        var content = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.TryAddWithoutValidation("Content-Type", Ok);
        return content;
    }

    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class TaxiiProtocolSqliteTests(TaxiiHost<SqliteServer> host) : TaxiiProtocolTests<SqliteServer>(host);

public sealed class TaxiiProtocolPostgresTests(TaxiiHost<PostgresServer> host) : TaxiiProtocolTests<PostgresServer>(host);
