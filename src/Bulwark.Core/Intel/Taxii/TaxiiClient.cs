using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// A TAXII 2.1 client: discovery, API roots, collections, objects (with <c>added_after</c>/<c>limit</c>/<c>next</c>
/// paging and <c>match[…]</c> filters), manifests, versions, adding and deleting objects, status. Responses are
/// parsed strictly: a wrong media type, bad JSON or a missing field is a <see cref="TaxiiException"/> naming the
/// request and the field, and so is a refusal, with the server's TAXII error message when it sent one. No
/// ASP.NET dependency: the CLI, the server's poller and the tests share it.
/// </summary>
/// <param name="http">Sends the requests; relative URIs resolve against its <see cref="HttpClient.BaseAddress"/>.</param>
/// <param name="credentials">Sent with every request (Basic or Bearer); null sends none.</param>
public sealed class TaxiiClient(HttpClient http, TaxiiCredentials? credentials = null)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 128 };

    /// <summary>Largest response body read, in bytes; a larger one is refused (default 64 MiB).</summary>
    public long MaxResponseBytes { get; init; } = 64L << 20;

    /// <summary>Pages <see cref="ReadAllAsync"/> follows before it concludes the server never ends (default 100,000).</summary>
    public int MaxPages { get; init; } = 100_000;

    /// <summary>Reads the discovery resource (e.g. <c>https://host/taxii2/</c>); relative API root URLs come back absolute.</summary>
    public async Task<TaxiiDiscovery> DiscoverAsync(Uri discovery, CancellationToken ct)
    {
        var reply = await GetAsync(discovery, ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "discovery");
        var baseUri = reply.Uri;
        var apiRoots = new List<Uri>();
        foreach (var (item, where) in r.OptionalArray(root, "api_roots", "discovery"))
        {
            apiRoots.Add(r.Url(baseUri, r.String(item, where), where));
        }

        var defaultRoot = r.OptionalString(root, "default", "discovery") is { } d ? r.Url(baseUri, d, "discovery.default") : null;
        return new TaxiiDiscovery(
            r.RequiredString(root, "title", "discovery"),
            r.OptionalString(root, "description", "discovery"),
            r.OptionalString(root, "contact", "discovery"),
            defaultRoot,
            apiRoots);
    }

    public async Task<TaxiiApiRoot> GetApiRootAsync(Uri apiRoot, CancellationToken ct)
    {
        var reply = await GetAsync(Root(apiRoot), ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "api root");
        var versions = r.OptionalArray(root, "versions", "api root").Select(v => r.String(v.Item, v.Where)).ToList();
        if (versions.Count == 0)
        {
            throw r.Error("api root.versions is required (a list of media types)");
        }

        return new TaxiiApiRoot(
            r.RequiredString(root, "title", "api root"),
            r.OptionalString(root, "description", "api root"),
            versions,
            r.RequiredLong(root, "max_content_length", "api root"));
    }

    /// <summary>The collections this client may see, with its permissions on each (empty when none).</summary>
    public async Task<IReadOnlyList<TaxiiCollectionInfo>> GetCollectionsAsync(Uri apiRoot, CancellationToken ct)
    {
        var reply = await GetAsync(new Uri(Root(apiRoot), "collections/"), ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "collections resource");
        return r.OptionalArray(root, "collections", "collections resource").Select(c => Collection(r, c.Item, c.Where)).ToList();
    }

    public async Task<TaxiiCollectionInfo> GetCollectionAsync(Uri apiRoot, string collectionId, CancellationToken ct)
    {
        var reply = await GetAsync(CollectionUri(apiRoot, collectionId, ""), ct);
        return Collection(reply.Reader, reply.Root, "collection");
    }

    /// <summary>One page of a collection's objects (the server's default filters when <paramref name="query"/> is null).</summary>
    public async Task<TaxiiEnvelope> GetObjectsAsync(Uri apiRoot, string collectionId, TaxiiQuery? query, CancellationToken ct)
    {
        var reply = await GetAsync(CollectionUri(apiRoot, collectionId, "objects/", query), ct);
        return Envelope(reply);
    }

    /// <summary>One object's versions as an envelope (the latest only, unless <c>match[version]</c> says otherwise).</summary>
    public async Task<TaxiiEnvelope> GetObjectAsync(Uri apiRoot, string collectionId, string objectId, TaxiiQuery? query, CancellationToken ct)
    {
        var reply = await GetAsync(CollectionUri(apiRoot, collectionId, $"objects/{Uri.EscapeDataString(objectId)}/", query), ct);
        return Envelope(reply);
    }

    public async Task<TaxiiManifest> GetManifestAsync(Uri apiRoot, string collectionId, TaxiiQuery? query, CancellationToken ct)
    {
        var reply = await GetAsync(CollectionUri(apiRoot, collectionId, "manifest/", query), ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "manifest");
        var records = new List<TaxiiManifestRecord>();
        foreach (var (item, where) in r.OptionalArray(root, "objects", "manifest"))
        {
            var record = r.Object(item, where);
            var dateAdded = r.RequiredString(record, "date_added", where);
            if (!TaxiiCheckpoint.TryParse(dateAdded, out var added))
            {
                throw r.Error($"{where}.date_added must be a TAXII timestamp, found '{dateAdded}'");
            }

            records.Add(new TaxiiManifestRecord(
                r.RequiredString(record, "id", where),
                added!,
                r.RequiredString(record, "version", where),
                r.OptionalString(record, "media_type", where)));
        }

        var (more, next) = Paging(r, root, "manifest");
        return new TaxiiManifest(more, next, records) { DateAddedFirst = reply.DateAddedFirst, DateAddedLast = reply.DateAddedLast };
    }

    public async Task<TaxiiVersionList> GetObjectVersionsAsync(Uri apiRoot, string collectionId, string objectId, TaxiiQuery? query, CancellationToken ct)
    {
        var reply = await GetAsync(CollectionUri(apiRoot, collectionId, $"objects/{Uri.EscapeDataString(objectId)}/versions/", query), ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "versions resource");
        var versions = r.OptionalArray(root, "versions", "versions resource").Select(v => r.String(v.Item, v.Where)).ToList();
        var (more, next) = Paging(r, root, "versions resource");
        return new TaxiiVersionList(more, next, versions) { DateAddedFirst = reply.DateAddedFirst, DateAddedLast = reply.DateAddedLast };
    }

    /// <summary>Deletes an object's versions (those <c>match[version]</c> selects; the server decides the default).</summary>
    public async Task DeleteObjectAsync(Uri apiRoot, string collectionId, string objectId, TaxiiQuery? query, CancellationToken ct)
    {
        var uri = CollectionUri(apiRoot, collectionId, $"objects/{Uri.EscapeDataString(objectId)}/", query);
        await SendAsync(HttpMethod.Delete, uri, null, expectBody: false, ct);
    }

    /// <summary>Posts the objects as one envelope; returns the status resource the server answers with.</summary>
    public async Task<TaxiiStatusReport> AddObjectsAsync(Uri apiRoot, string collectionId, IEnumerable<JsonElement> objects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("objects");
            foreach (var o in objects)
            {
                o.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(TaxiiMediaTypes.Taxii21);
        var reply = await SendAsync(HttpMethod.Post, CollectionUri(apiRoot, collectionId, "objects/"), content, expectBody: true, ct);
        return Status(reply);
    }

    public async Task<TaxiiStatusReport> GetStatusAsync(Uri apiRoot, string statusId, CancellationToken ct)
    {
        var reply = await GetAsync(new Uri(Root(apiRoot), $"status/{Uri.EscapeDataString(statusId)}/"), ct);
        return Status(reply);
    }

    /// <summary>
    /// Reads everything added to a collection after <paramref name="checkpoint"/> (everything when null), page by
    /// page, following <c>more</c>/<c>next</c>. Each page carries the checkpoint to store once its objects are taken:
    /// the latest <c>X-TAXII-Date-Added-Last</c> so far. Servers that page by <c>added_after</c> alone (<c>more</c>
    /// without <c>next</c>) are followed by that header. The same version may come twice at a boundary: take
    /// objects idempotently on (<c>id</c>, <c>modified</c>).
    /// </summary>
    public async IAsyncEnumerable<TaxiiPage> ReadAllAsync(
        Uri apiRoot, string collectionId, TaxiiCheckpoint? checkpoint, int? limit = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var query = new TaxiiQuery { AddedAfter = checkpoint, Limit = limit };
        var current = checkpoint;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var envelope = await GetObjectsAsync(apiRoot, collectionId, query, ct);
            if (envelope.DateAddedLast is { } last && (current is null || last.Instant > current.Instant))
            {
                current = last;
            }

            yield return new TaxiiPage(envelope.Objects, current, !envelope.More);
            if (!envelope.More)
            {
                yield break;
            }

            var where = $"GET {Display(CollectionUri(apiRoot, collectionId, "objects/", query))}";
            if (page >= MaxPages)
            {
                throw new TaxiiException($"{where}: still 'more' after {MaxPages} pages; stopped (raise TaxiiClient.MaxPages for a collection this large)");
            }

            if (envelope.Next is { Length: > 0 } next)
            {
                if (!seenTokens.Add(next))
                {
                    throw new TaxiiException($"{where}: the server sent the page token '{next}' twice; stopped so as not to loop");
                }

                query = query with { Next = next };
            }
            else if (envelope.DateAddedLast is { } headerLast && (query.AddedAfter is null || headerLast.Instant > query.AddedAfter.Instant))
            {
                query = query with { AddedAfter = headerLast, Next = null };
            }
            else
            {
                throw new TaxiiException($"{where}: 'more' is true but the server gave neither 'next' nor a later X-TAXII-Date-Added-Last; cannot continue");
            }
        }
    }

    private static Uri Root(Uri apiRoot) =>
        apiRoot.OriginalString.EndsWith('/') ? apiRoot : new Uri(apiRoot.OriginalString + "/", apiRoot.IsAbsoluteUri ? UriKind.Absolute : UriKind.Relative);

    private static Uri CollectionUri(Uri apiRoot, string collectionId, string rest, TaxiiQuery? query = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionId);
        var root = Root(apiRoot);
        var relative = $"collections/{Uri.EscapeDataString(collectionId)}/{rest}{query?.ToQueryString()}";
        return root.IsAbsoluteUri ? new Uri(root, relative) : new Uri(root.OriginalString + relative, UriKind.Relative);
    }

    private static TaxiiCollectionInfo Collection(Reader r, JsonElement element, string where)
    {
        var c = r.Object(element, where);
        return new TaxiiCollectionInfo(
            r.RequiredString(c, "id", where),
            r.RequiredString(c, "title", where),
            r.OptionalString(c, "description", where),
            r.OptionalString(c, "alias", where),
            r.RequiredBool(c, "can_read", where),
            r.RequiredBool(c, "can_write", where),
            r.OptionalArray(c, "media_types", where).Select(m => r.String(m.Item, m.Where)).ToList());
    }

    private static TaxiiEnvelope Envelope(Reply reply)
    {
        var r = reply.Reader;
        var root = r.Object(reply.Root, "envelope");
        var objects = new List<JsonElement>();
        foreach (var (item, where) in r.OptionalArray(root, "objects", "envelope"))
        {
            objects.Add(r.Object(item, where));
        }

        var (more, next) = Paging(r, root, "envelope");
        return new TaxiiEnvelope(more, next, objects) { DateAddedFirst = reply.DateAddedFirst, DateAddedLast = reply.DateAddedLast };
    }

    private static (bool More, string? Next) Paging(Reader r, JsonElement root, string where)
    {
        var more = r.OptionalBool(root, "more", where) ?? false;
        var next = r.OptionalString(root, "next", where);
        return (more, next);
    }

    private static TaxiiStatusReport Status(Reply reply)
    {
        var r = reply.Reader;
        var s = r.Object(reply.Root, "status");
        var status = r.RequiredString(s, "status", "status");
        if (status is not ("complete" or "pending"))
        {
            throw r.Error($"status.status must be 'complete' or 'pending', found '{status}'");
        }

        TaxiiCheckpoint? requested = null;
        if (r.OptionalString(s, "request_timestamp", "status") is { } ts && !TaxiiCheckpoint.TryParse(ts, out requested))
        {
            throw r.Error($"status.request_timestamp must be a TAXII timestamp, found '{ts}'");
        }

        return new TaxiiStatusReport(
            r.RequiredString(s, "id", "status"),
            status,
            r.RequiredInt(s, "total_count", "status"),
            r.RequiredInt(s, "success_count", "status"),
            r.RequiredInt(s, "failure_count", "status"),
            r.RequiredInt(s, "pending_count", "status"))
        {
            RequestTimestamp = requested,
            Successes = Details(r, s, "successes"),
            Failures = Details(r, s, "failures"),
            Pendings = Details(r, s, "pendings"),
        };
    }

    private static List<TaxiiStatusDetail> Details(Reader r, JsonElement status, string name) =>
        r.OptionalArray(status, name, "status").Select(d =>
        {
            var o = r.Object(d.Item, d.Where);
            return new TaxiiStatusDetail(r.RequiredString(o, "id", d.Where), r.RequiredString(o, "version", d.Where), r.OptionalString(o, "message", d.Where));
        }).ToList();

    private Task<Reply> GetAsync(Uri uri, CancellationToken ct) => SendAsync(HttpMethod.Get, uri, null, expectBody: true, ct);

    private async Task<Reply> SendAsync(HttpMethod method, Uri uri, HttpContent? content, bool expectBody, CancellationToken ct)
    {
        var absolute = Absolute(uri);
        var what = $"{method} {Display(absolute)}";
        using var request = new HttpRequestMessage(method, absolute) { Content = content };
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TaxiiMediaTypes.Taxii21));
        credentials?.Apply(request);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new TaxiiException($"{what}: {e.Message}", null, null, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TaxiiException($"{what}: no answer within {http.Timeout.TotalSeconds:0} s", null, null, e);
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, what, ct);
            var mediaType = response.Content.Headers.ContentType;
            if (!response.IsSuccessStatusCode)
            {
                throw Refusal(what, response, mediaType, body);
            }

            var reader = new Reader(what);
            if (!expectBody)
            {
                return new Reply(absolute, reader, default, null, null);
            }

            if (!IsTaxii21(mediaType))
            {
                throw reader.Error($"expected a TAXII 2.1 response ({TaxiiMediaTypes.Taxii21}), got {(mediaType is null ? "no Content-Type" : $"'{mediaType}'")}");
            }

            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                throw reader.Error($"the response is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8(body.Span)})");
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(body, JsonOptions);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new TaxiiException($"{what}: the response is not valid JSON: {Position(e)}", null, null, e);
            }

            return new Reply(absolute, reader, root, Header(response, "X-TAXII-Date-Added-First", reader), Header(response, "X-TAXII-Date-Added-Last", reader));
        }
    }

    private Uri Absolute(Uri uri) =>
        uri.IsAbsoluteUri ? uri
        : http.BaseAddress is { } b ? new Uri(b, uri)
        : throw new ArgumentException($"'{uri}' is relative and the HttpClient has no BaseAddress", nameof(uri));

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > MaxResponseBytes)
        {
            throw new TaxiiException($"{what}: the response is {declared} bytes, more than the {MaxResponseBytes} this client reads", response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new TaxiiException($"{what}: the response is larger than the {MaxResponseBytes} bytes this client reads", response.StatusCode);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static TaxiiException Refusal(string what, HttpResponseMessage response, MediaTypeHeaderValue? mediaType, ReadOnlyMemory<byte> body)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
        var error = IsTaxii(mediaType) ? TryError(body) : null;
        if (error is not null)
        {
            return new TaxiiException($"{what}: {status}: {error}", response.StatusCode, error);
        }

        var kind = mediaType is null ? "no Content-Type" : mediaType.ToString();
        var hint = response.StatusCode == HttpStatusCode.Unauthorized ? "; check the credentials" : "";
        return new TaxiiException($"{what}: {status} (no TAXII error message: {kind}, {body.Length} bytes){hint}", response.StatusCode);
    }

    private static TaxiiError? TryError(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            var e = document.RootElement;
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return new TaxiiError(title.GetString()!)
            {
                Description = Text(e, "description"),
                ErrorId = Text(e, "error_id"),
                ErrorCode = Text(e, "error_code"),
                HttpStatus = e.TryGetProperty("http_status", out var hs) ? hs.ValueKind == JsonValueKind.Number ? hs.GetRawText() : Text(e, "http_status") : null,
                ExternalDetails = Text(e, "external_details"),
                Details = e.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object ? details.Clone() : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    private static TaxiiCheckpoint? Header(HttpResponseMessage response, string name, Reader reader)
    {
        if (!response.Headers.TryGetValues(name, out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault();
        return TaxiiCheckpoint.TryParse(text, out var checkpoint) ? checkpoint : throw reader.Error($"the {name} header must be a TAXII timestamp, found '{text}'");
    }

    private static bool IsTaxii(MediaTypeHeaderValue? type) =>
        string.Equals(type?.MediaType, TaxiiMediaTypes.TaxiiJson, StringComparison.OrdinalIgnoreCase);

    /// <summary>application/taxii+json with version 2.1, or with no version (which means the server's latest).</summary>
    private static bool IsTaxii21(MediaTypeHeaderValue? type)
    {
        if (!IsTaxii(type))
        {
            return false;
        }

        var version = type!.Parameters.FirstOrDefault(p => string.Equals(p.Name, "version", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        return version is null || version == TaxiiMediaTypes.Version;
    }

    private static string Position(JsonException e) =>
        e.LineNumber is { } line && e.BytePositionInLine is { } b
            ? $"{FirstSentence(e.Message)} (line {line + 1}, byte {b + 1})"
            : FirstSentence(e.Message);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        cut = cut < 0 ? message.IndexOf(" LineNumber:", StringComparison.Ordinal) : cut;
        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var index = 0;
        while (index < bytes.Length && System.Text.Rune.DecodeFromUtf8(bytes[index..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            index += consumed;
        }

        return index;
    }

    private static string Display(Uri uri) => uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;

    private sealed record Reply(Uri Uri, Reader Reader, JsonElement Root, TaxiiCheckpoint? DateAddedFirst, TaxiiCheckpoint? DateAddedLast);

    /// <summary>Reads TAXII resource fields, each failure naming the request, the field's place and what was expected.</summary>
    private sealed class Reader(string what)
    {
        public TaxiiException Error(string message) => new($"{what}: {message}");

        public JsonElement Object(JsonElement e, string where) =>
            e.ValueKind == JsonValueKind.Object ? e : throw Error($"{where} must be a JSON object, found {Kind(e)}");

        public string String(JsonElement e, string where) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error($"{where} must be a string, found {Kind(e)}");

        public string RequiredString(JsonElement o, string name, string where) =>
            o.TryGetProperty(name, out var v) ? String(v, $"{where}.{name}") : throw Error($"{where}.{name} is required (a string)");

        public string? OptionalString(JsonElement o, string name, string where) =>
            o.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? String(v, $"{where}.{name}") : null;

        public bool RequiredBool(JsonElement o, string name, string where) =>
            OptionalBool(o, name, where) ?? throw Error($"{where}.{name} is required (true or false)");

        public bool? OptionalBool(JsonElement o, string name, string where)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error($"{where}.{name} must be true or false, found {Kind(v)}"),
            };
        }

        public long RequiredLong(JsonElement o, string name, string where)
        {
            if (!o.TryGetProperty(name, out var v))
            {
                throw Error($"{where}.{name} is required (a whole number)");
            }

            return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0
                ? n
                : throw Error($"{where}.{name} must be a whole number of 0 or more, found {Kind(v)}");
        }

        public int RequiredInt(JsonElement o, string name, string where)
        {
            var n = RequiredLong(o, name, where);
            return n <= int.MaxValue ? (int)n : throw Error($"{where}.{name} is too large: {n}");
        }

        public IEnumerable<(JsonElement Item, string Where)> OptionalArray(JsonElement o, string name, string where)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (v.ValueKind != JsonValueKind.Array)
            {
                throw Error($"{where}.{name} must be a list, found {Kind(v)}");
            }

            return v.EnumerateArray().Select((item, i) => (item, $"{where}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]")).ToList();
        }

        public Uri Url(Uri baseUri, string text, string where) =>
            Uri.TryCreate(baseUri, text, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri
                : throw Error($"{where} must be an http(s) URL, found '{text}'");

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => $"the string '{Shorten(e.GetString()!)}'",
            JsonValueKind.Number => $"the number {Shorten(e.GetRawText())}",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };

        private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;
    }
}
