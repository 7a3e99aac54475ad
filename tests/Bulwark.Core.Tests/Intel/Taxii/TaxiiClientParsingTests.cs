using System.Net;
using System.Text;
using Bulwark.Core.Intel.Taxii;

namespace Bulwark.Core.Tests.Intel.Taxii;

/// <summary>
/// The client's strictness with servers that misbehave: responses no real TAXII server of ours would send
/// (Bulwark's own server is tested over HTTP in Bulwark.Server.Tests), served from canned answers.
/// </summary>
public sealed class TaxiiClientParsingTests
{
    private static readonly Uri Root = new("https://taxii.example/api1/");

    [Fact]
    public async Task A_wrong_media_type_is_named()
    {
        var client = Client(() => Answer(HttpStatusCode.OK, "{\"title\":\"x\"}", "application/json"));

        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetApiRootAsync(Root, TestContext.Current.CancellationToken));

        Assert.Equal("GET https://taxii.example/api1/: expected a TAXII 2.1 or 2.0 response (application/taxii+json;version=2.1 or application/vnd.oasis.taxii+json; version=2.0), got 'application/json'", e.Message);
    }

    [Fact]
    public async Task Once_an_api_root_answered_in_2_1_a_taxii_20_answer_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = new TaxiiClient(new HttpClient(new Canned(r => r.RequestUri!.AbsolutePath == "/taxii2/"
            ? Answer(HttpStatusCode.OK, "{\"title\": \"T\", \"api_roots\": [\"/api1/\"]}")
            : Answer(HttpStatusCode.OK, "{\"collections\": []}", "application/vnd.oasis.taxii+json; version=2.0"))));

        var discovery = await client.DiscoverAsync(new Uri("https://taxii.example/taxii2/"), ct);
        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetCollectionsAsync(Root, ct));

        Assert.Equal((TaxiiVersion.Taxii21, TaxiiVersion.Taxii21), (discovery.Version, client.VersionOf(Root)));
        Assert.Equal("GET https://taxii.example/api1/collections/: expected a TAXII 2.1 response (application/taxii+json;version=2.1), got 'application/vnd.oasis.taxii+json; version=2.0'", e.Message);
    }

    [Fact]
    public async Task A_taxii_20_version_other_than_2_0_is_refused()
    {
        var client = Client(() => Answer(HttpStatusCode.OK, "{\"title\":\"x\"}", "application/vnd.oasis.taxii+json; version=2.2"));

        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetApiRootAsync(Root, TestContext.Current.CancellationToken));

        Assert.Equal("GET https://taxii.example/api1/: expected a TAXII 2.1 or 2.0 response (application/taxii+json;version=2.1 or application/vnd.oasis.taxii+json; version=2.0), got 'application/vnd.oasis.taxii+json; version=2.2'", e.Message);
    }

    [Fact]
    public async Task Bad_json_names_its_position()
    {
        var client = Client(() => Answer(HttpStatusCode.OK, "{\"more\": false, \"objects\": [{\"id\": \"x\"}"));

        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectsAsync(Root, "c", null, TestContext.Current.CancellationToken));

        Assert.Equal(
            "GET https://taxii.example/api1/collections/c/objects/: the response is not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. (line 1, byte 40)",
            e.Message);
    }

    [Fact]
    public async Task Missing_and_mistyped_fields_are_named_with_their_place()
    {
        var ct = TestContext.Current.CancellationToken;
        var noTitle = Client(() => Answer(HttpStatusCode.OK, "{\"api_roots\": []}"));
        var badRight = Client(() => Answer(HttpStatusCode.OK, "{\"collections\": [{\"id\": \"a\", \"title\": \"A\", \"can_read\": true, \"can_write\": true}, {\"id\": \"b\", \"title\": \"B\", \"can_read\": \"yes\", \"can_write\": false}]}"));
        var badMore = Client(() => Answer(HttpStatusCode.OK, "{\"more\": 1, \"objects\": []}"));
        var notObjects = Client(() => Answer(HttpStatusCode.OK, "{\"more\": false, \"objects\": [{\"type\": \"indicator\"}, 7]}"));
        var noVersions = Client(() => Answer(HttpStatusCode.OK, "{\"title\": \"root\", \"max_content_length\": 100}"));
        var negativeLength = Client(() => Answer(HttpStatusCode.OK, "{\"title\": \"root\", \"versions\": [\"application/taxii+json;version=2.1\"], \"max_content_length\": -1}"));
        var badStatus = Client(() => Answer(HttpStatusCode.OK, "{\"id\": \"s\", \"status\": \"done\", \"total_count\": 1, \"success_count\": 1, \"failure_count\": 0, \"pending_count\": 0}"));
        var badDate = Client(() => Answer(HttpStatusCode.OK, "{\"more\": false, \"objects\": [{\"id\": \"x--1\", \"date_added\": \"yesterday\", \"version\": \"v\"}]}"));

        Assert.Equal("GET https://taxii.example/taxii2/: discovery.title is required (a string)", (await Assert.ThrowsAsync<TaxiiException>(() => noTitle.DiscoverAsync(new Uri("https://taxii.example/taxii2/"), ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/collections/: collections resource.collections[1].can_read must be true or false, found the string 'yes'", (await Assert.ThrowsAsync<TaxiiException>(() => badRight.GetCollectionsAsync(Root, ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/collections/c/objects/: envelope.more must be true or false, found the number 1", (await Assert.ThrowsAsync<TaxiiException>(() => badMore.GetObjectsAsync(Root, "c", null, ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/collections/c/objects/: envelope.objects[1] must be a JSON object, found the number 7", (await Assert.ThrowsAsync<TaxiiException>(() => notObjects.GetObjectsAsync(Root, "c", null, ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/: api root.versions is required (a list of media types)", (await Assert.ThrowsAsync<TaxiiException>(() => noVersions.GetApiRootAsync(Root, ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/: api root.max_content_length must be a whole number of 0 or more, found the number -1", (await Assert.ThrowsAsync<TaxiiException>(() => negativeLength.GetApiRootAsync(Root, ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/status/s/: status.status must be 'complete' or 'pending', found 'done'", (await Assert.ThrowsAsync<TaxiiException>(() => badStatus.GetStatusAsync(Root, "s", ct))).Message);
        Assert.Equal("GET https://taxii.example/api1/collections/c/manifest/: manifest.objects[0].date_added must be a TAXII timestamp, found 'yesterday'", (await Assert.ThrowsAsync<TaxiiException>(() => badDate.GetManifestAsync(Root, "c", null, ct))).Message);
    }

    [Theory]
    [InlineData("items 0-1/*", "{\"type\": \"bundle\", \"objects\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]}", "the page holds 3 objects, more than its Content-Range items 0-1")]
    [InlineData("items 5-6/10", "{\"type\": \"bundle\", \"objects\": [{\"id\": \"a\"}, {\"id\": \"b\"}]}", "asked for items from 0, the server answered items 5-6; stopped so as not to skip or repeat objects")]
    [InlineData("bytes 0-10/20", "{\"type\": \"bundle\", \"objects\": []}", "the Content-Range header must be 'items first-last/total', found 'bytes 0-10/20'")]
    [InlineData("items 1-0/2", "{\"type\": \"bundle\", \"objects\": []}", "the Content-Range header must be 'items first-last/total', found 'items 1-0/2'")]
    [InlineData(null, "{\"type\": \"envelope\", \"objects\": []}", "bundle.type must be 'bundle', found 'envelope'")]
    [InlineData(null, "{\"type\": \"bundle\", \"objects\": [\"indicator--x\"]}", "bundle.objects[0] must be a JSON object, found the string 'indicator--x'")]
    public async Task A_taxii_20_page_that_misstates_its_range_or_is_no_bundle_stops_the_read(string? contentRange, string body, string error)
    {
        var client = Client(() =>
        {
            var response = Answer(contentRange is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, body, "application/vnd.oasis.stix+json; version=2.0");
            if (contentRange is not null)
            {
                response.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
            }

            return response;
        });

        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectsAsync(Root, "c", new TaxiiQuery { Limit = 2 }, TestContext.Current.CancellationToken));

        Assert.Equal($"GET https://taxii.example/api1/collections/c/objects/?limit=2: {error}", e.Message);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_response_is_a_clear_error()
    {
        var client = new TaxiiClient(new HttpClient(new Canned(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("{\"collections\": [{\"id\": \"a\", \"title\": \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\", \"can_read\": true, \"can_write\": true}]}")]),
            };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/taxii+json;version=2.1");
            return response;
        })));

        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetCollectionsAsync(Root, TestContext.Current.CancellationToken));

        Assert.Equal("GET https://taxii.example/api1/collections/: the response is not valid UTF-8 (first bad byte at offset 39)", e.Message);
    }

    [Fact]
    public async Task A_refusal_carries_the_servers_taxii_error_or_says_there_was_none()
    {
        var ct = TestContext.Current.CancellationToken;
        var taxii = Client(() => Answer(HttpStatusCode.Forbidden, "{\"title\": \"Forbidden\", \"description\": \"read only\", \"http_status\": \"403\", \"error_code\": \"RO\"}"));
        var html = Client(() => Answer(HttpStatusCode.InternalServerError, "<html>oops</html>", "text/html"));
        var unauthorised = Client(() => Answer(HttpStatusCode.Unauthorized, "", null));

        var refused = await Assert.ThrowsAsync<TaxiiException>(() => taxii.GetCollectionAsync(Root, "c", ct));
        var crashed = await Assert.ThrowsAsync<TaxiiException>(() => html.GetCollectionsAsync(Root, ct));
        var denied = await Assert.ThrowsAsync<TaxiiException>(() => unauthorised.GetCollectionsAsync(Root, ct));

        Assert.Equal("GET https://taxii.example/api1/collections/c/: 403 Forbidden: Forbidden: read only", refused.Message);
        Assert.Equal((HttpStatusCode.Forbidden, "RO", "403"), (refused.StatusCode, refused.Error!.ErrorCode, refused.Error.HttpStatus));
        Assert.Equal("GET https://taxii.example/api1/collections/: 500 Internal Server Error (no TAXII error message: text/html, 17 bytes)", crashed.Message);
        Assert.Null(crashed.Error);
        Assert.Equal("GET https://taxii.example/api1/collections/: 401 Unauthorized (no TAXII error message: no Content-Type, 0 bytes); check the credentials", denied.Message);
    }

    [Fact]
    public async Task A_response_over_the_size_limit_is_refused_before_parsing()
    {
        var client = new TaxiiClient(new HttpClient(new Canned(_ => Answer(HttpStatusCode.OK, "{\"more\": false, \"objects\": [" + string.Join(',', Enumerable.Repeat("{}", 1000)) + "]}"))))
        {
            MaxResponseBytes = 1024,
        };

        var e = await Assert.ThrowsAsync<TaxiiException>(() => client.GetObjectsAsync(Root, "c", null, TestContext.Current.CancellationToken));

        Assert.Equal("GET https://taxii.example/api1/collections/c/objects/: the response is 3029 bytes, more than the 1024 this client reads", e.Message);
    }

    [Fact]
    public async Task Discovery_resolves_relative_api_roots_against_its_own_address()
    {
        var client = Client(() => Answer(HttpStatusCode.OK, "{\"title\": \"T\", \"default\": \"/api1/\", \"api_roots\": [\"/api1/\", \"https://other.example/api2/\"]}"));

        var discovery = await client.DiscoverAsync(new Uri("https://taxii.example/taxii2/"), TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("https://taxii.example/api1/"), discovery.Default);
        Assert.Equal([new Uri("https://taxii.example/api1/"), new Uri("https://other.example/api2/")], discovery.ApiRoots);
    }

    [Fact]
    public async Task Paging_stops_with_a_clear_error_when_the_server_repeats_a_token_or_gives_none()
    {
        var ct = TestContext.Current.CancellationToken;
        var loop = Client(() => Answer(HttpStatusCode.OK, "{\"more\": true, \"next\": \"same\", \"objects\": [{\"id\": \"a\"}]}"));
        var stuck = Client(() => Answer(HttpStatusCode.OK, "{\"more\": true, \"objects\": []}"));

        var looped = await Assert.ThrowsAsync<TaxiiException>(async () => await Drain(loop, ct));
        var stopped = await Assert.ThrowsAsync<TaxiiException>(async () => await Drain(stuck, ct));

        Assert.Equal("GET https://taxii.example/api1/collections/c/objects/?next=same: the server sent the page token 'same' twice; stopped so as not to loop", looped.Message);
        Assert.Equal("GET https://taxii.example/api1/collections/c/objects/: 'more' is true but the server gave neither 'next' nor a later X-TAXII-Date-Added-Last; cannot continue", stopped.Message);
    }

    [Fact]
    public async Task A_server_that_pages_by_added_after_alone_is_followed_by_its_header()
    {
        var requests = new List<string>();
        var pages = new Queue<HttpResponseMessage>(
        [
            Answer(HttpStatusCode.OK, "{\"more\": true, \"objects\": [{\"id\": \"a\"}]}", dateAddedLast: "2026-01-01T00:00:01.000000Z"),
            Answer(HttpStatusCode.OK, "{\"more\": false, \"objects\": [{\"id\": \"b\"}]}", dateAddedLast: "2026-01-01T00:00:02.000000Z"),
        ]);
        var client = new TaxiiClient(new HttpClient(new Canned(r =>
        {
            requests.Add(r.RequestUri!.Query);
            return pages.Dequeue();
        })), TaxiiCredentials.Basic("u", "p"));

        var seen = new List<TaxiiPage>();
        await foreach (var page in client.ReadAllAsync(Root, "c", TaxiiCheckpoint.Parse("2026-01-01T00:00:00Z"), 1, TestContext.Current.CancellationToken))
        {
            seen.Add(page);
        }

        Assert.Equal(["?added_after=2026-01-01T00%3A00%3A00Z&limit=1", "?added_after=2026-01-01T00%3A00%3A01.000000Z&limit=1"], requests);
        Assert.Equal(["2026-01-01T00:00:01.000000Z", "2026-01-01T00:00:02.000000Z"], seen.Select(p => p.Checkpoint!.Text));
    }

    [Fact]
    public void Credentials_never_show_the_secret()
    {
        Assert.Equal("Basic (user partner)", TaxiiCredentials.Basic("partner", "bwk_secret").ToString());
        Assert.Equal("Bearer", TaxiiCredentials.Bearer("bwk_secret").ToString());
        Assert.Throws<ArgumentException>(() => TaxiiCredentials.Basic("a:b", "p"));
    }

    [Theory]
    [InlineData("2016-01-01T01:01:01Z", true)]
    [InlineData("2016-01-01T01:01:01.123456789Z", true)]
    [InlineData("2016-02-29T00:00:00.000Z", true)]
    [InlineData("2015-02-29T00:00:00.000Z", false)]
    [InlineData("2016-01-01T01:01:01+02:00", false)]
    [InlineData("2016-01-01 01:01:01Z", false)]
    [InlineData("2016-01-01T01:01Z", false)]
    [InlineData("2016-01-01T01:01:01.Z", false)]
    [InlineData("2016-13-01T01:01:01Z", false)]
    [InlineData("", false)]
    public void Timestamps_are_parsed_strictly(string text, bool valid) => Assert.Equal(valid, TaxiiTime.TryParse(text, out _));

    [Fact]
    public void Versions_keep_milliseconds_and_more_digits_only_when_present()
    {
        TaxiiTime.TryParse("2016-01-01T01:01:01Z", out var whole);
        TaxiiTime.TryParse("2016-01-01T01:01:01.123456Z", out var micro);
        TaxiiTime.TryParse("2016-01-01T01:01:01.1234567Z", out var tick);

        Assert.Equal(["2016-01-01T01:01:01.000Z", "2016-01-01T01:01:01.123456Z", "2016-01-01T01:01:01.1234567Z"], new[] { whole, micro, tick }.Select(TaxiiTime.FormatVersion));
        Assert.Equal("2016-01-01T01:01:01.123456Z", TaxiiCheckpoint.From(tick).Text);
    }

    private static async Task Drain(TaxiiClient client, CancellationToken ct)
    {
        await foreach (var _ in client.ReadAllAsync(Root, "c", null, null, ct))
        {
        }
    }

    private static TaxiiClient Client(Func<HttpResponseMessage> answer) => new(new HttpClient(new Canned(_ => answer())));

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? contentType = "application/taxii+json;version=2.1", string? dateAddedLast = null)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (dateAddedLast is not null)
        {
            response.Headers.TryAddWithoutValidation("X-TAXII-Date-Added-Last", dateAddedLast);
        }

        return response;
    }

    /// <summary>Answers every request from a function, as a misbehaving server would.</summary>
    private sealed class Canned(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
