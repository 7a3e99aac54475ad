using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// A TAXII 2.1 client: discovery, API roots, collections, objects (with <c>added_after</c>/<c>limit</c>/<c>next</c>
/// paging and <c>match[…]</c> filters), manifests, versions, adding and deleting objects, status. Responses are
/// parsed strictly: a wrong media type, bad JSON or a missing field is a <see cref="TaxiiException"/> naming the
/// request and the field, and so is a refusal, with the server's TAXII error message when it sent one. No
/// ASP.NET dependency: the CLI, the server's poller and the tests share it.
/// <para>
/// It reads TAXII 2.0 servers too. Until it knows an API root's version, a request accepts both versions' media types
/// and the answer's media type decides (discovery records it for every API root it lists); from then on it speaks that
/// version. With 2.0, objects come as STIX bundles, pages are asked with <c>Range: items a-b</c> and continued from
/// <c>Content-Range</c> (<see cref="TaxiiEnvelope.Next"/> is then the next item range, which the client turns back into
/// a <c>Range</c>), posts are bundles, and the versions resource, deletion and <c>match[spec_version]</c> do not exist.
/// </para>
/// </summary>
/// <param name="http">Sends the requests; relative URIs resolve against its <see cref="HttpClient.BaseAddress"/>.</param>
/// <param name="credentials">Sent with every request (Basic or Bearer); null sends none.</param>
public sealed partial class TaxiiClient(HttpClient http, TaxiiCredentials? credentials = null)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 128 };

    private readonly ConcurrentDictionary<string, TaxiiVersion> _versions = new(StringComparer.Ordinal);

    /// <summary>Largest response body read, in bytes; a larger one is refused (default 64 MiB).</summary>
    public long MaxResponseBytes { get; init; } = 64L << 20;

    /// <summary>Pages <see cref="ReadAllAsync"/> follows before it concludes the server never ends (default 100,000).</summary>
    public int MaxPages { get; init; } = 100_000;

    /// <summary>Reads the discovery resource (e.g. <c>https://host/taxii2/</c>); relative API root URLs come back absolute.</summary>
    public async Task<TaxiiDiscovery> DiscoverAsync(Uri discovery, CancellationToken ct)
    {
        var reply = await GetAsync(discovery, null, ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "discovery");
        var baseUri = reply.Uri;
        var apiRoots = new List<Uri>();
        foreach (var (item, where) in r.OptionalArray(root, "api_roots", "discovery"))
        {
            apiRoots.Add(r.Url(baseUri, r.String(item, where), where));
        }

        var defaultRoot = r.OptionalString(root, "default", "discovery") is { } d ? r.Url(baseUri, d, "discovery.default") : null;
        var discovered = new TaxiiDiscovery(
            r.RequiredString(root, "title", "discovery"),
            r.OptionalString(root, "description", "discovery"),
            r.OptionalString(root, "contact", "discovery"),
            defaultRoot,
            apiRoots)
        {
            Version = reply.Version ?? TaxiiVersion.Taxii21,
        };
        foreach (var apiRoot in defaultRoot is null ? apiRoots : [defaultRoot, .. apiRoots])
        {
            Learn(apiRoot, reply.Version);
        }

        return discovered;
    }

    /// <summary>The TAXII version <paramref name="apiRoot"/> answered in so far, or null before its first answer.</summary>
    public TaxiiVersion? VersionOf(Uri apiRoot) => _versions.TryGetValue(Key(apiRoot), out var version) ? version : null;

    public async Task<TaxiiApiRoot> GetApiRootAsync(Uri apiRoot, CancellationToken ct)
    {
        var reply = await GetAsync(Root(apiRoot), apiRoot, ct);
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
            r.RequiredLong(root, "max_content_length", "api root"))
        {
            Version = reply.Version ?? TaxiiVersion.Taxii21,
        };
    }

    /// <summary>The collections this client may see, with its permissions on each (empty when none).</summary>
    public async Task<IReadOnlyList<TaxiiCollectionInfo>> GetCollectionsAsync(Uri apiRoot, CancellationToken ct)
    {
        var reply = await GetAsync(new Uri(Root(apiRoot), "collections/"), apiRoot, ct);
        var r = reply.Reader;
        var root = r.Object(reply.Root, "collections resource");
        return r.OptionalArray(root, "collections", "collections resource").Select(c => Collection(r, c.Item, c.Where)).ToList();
    }

    public async Task<TaxiiCollectionInfo> GetCollectionAsync(Uri apiRoot, string collectionId, CancellationToken ct)
    {
        var reply = await GetAsync(CollectionUri(apiRoot, collectionId, ""), apiRoot, ct);
        return Collection(reply.Reader, reply.Root, "collection");
    }

    /// <summary>One page of a collection's objects (the server's default filters when <paramref name="query"/> is null).</summary>
    public Task<TaxiiEnvelope> GetObjectsAsync(Uri apiRoot, string collectionId, TaxiiQuery? query, CancellationToken ct) =>
        ObjectsAsync(apiRoot, collectionId, "objects/", query, ct);

    /// <summary>One object's versions as an envelope (the latest only, unless <c>match[version]</c> says otherwise).</summary>
    public Task<TaxiiEnvelope> GetObjectAsync(Uri apiRoot, string collectionId, string objectId, TaxiiQuery? query, CancellationToken ct) =>
        ObjectsAsync(apiRoot, collectionId, $"objects/{Uri.EscapeDataString(objectId)}/", query, ct);

    /// <summary>A page of the manifest. A TAXII 2.0 manifest entry lists several versions: each is a record here.</summary>
    public async Task<TaxiiManifest> GetManifestAsync(Uri apiRoot, string collectionId, TaxiiQuery? query, CancellationToken ct)
    {
        var version = VersionOf(apiRoot);
        var (sent, range) = Paged(query, version, $"GET {Display(Absolute(CollectionUri(apiRoot, collectionId, "manifest/", query)))}");
        var reply = await SendAsync(HttpMethod.Get, CollectionUri(apiRoot, collectionId, "manifest/", sent), null, expectBody: true, version, objects: false, range, ct);
        Learn(apiRoot, reply.Version);
        if (reply.Unsatisfiable)
        {
            return new TaxiiManifest(false, null, []);
        }

        var r = reply.Reader;
        var root = r.Object(reply.Root, "manifest");
        var records = new List<TaxiiManifestRecord>();
        var entries = 0;
        foreach (var (item, where) in r.OptionalArray(root, "objects", "manifest"))
        {
            entries++;
            var record = r.Object(item, where);
            var dateAdded = r.RequiredString(record, "date_added", where);
            if (!TaxiiCheckpoint.TryParse(dateAdded, out var added))
            {
                throw r.Error($"{where}.date_added must be a TAXII timestamp, found '{dateAdded}'");
            }

            var id = r.RequiredString(record, "id", where);
            if (reply.Version == TaxiiVersion.Taxii20)
            {
                var mediaType = r.OptionalArray(record, "media_types", where).Select(m => r.String(m.Item, m.Where)).FirstOrDefault();
                foreach (var (v, at) in r.OptionalArray(record, "versions", where))
                {
                    records.Add(new TaxiiManifestRecord(id, added!, r.String(v, at), mediaType));
                }
            }
            else
            {
                records.Add(new TaxiiManifestRecord(id, added!, r.RequiredString(record, "version", where), r.OptionalString(record, "media_type", where)));
            }
        }

        var (more, next) = reply.Version == TaxiiVersion.Taxii20 ? RangePaging(reply, entries, range) : Paging(r, root, "manifest");
        return new TaxiiManifest(more, next, records) { DateAddedFirst = reply.DateAddedFirst, DateAddedLast = reply.DateAddedLast };
    }

    public async Task<TaxiiVersionList> GetObjectVersionsAsync(Uri apiRoot, string collectionId, string objectId, TaxiiQuery? query, CancellationToken ct)
    {
        var uri = CollectionUri(apiRoot, collectionId, $"objects/{Uri.EscapeDataString(objectId)}/versions/", query);
        NotIn20(apiRoot, $"GET {Display(Absolute(uri))}", "has no versions resource (it is new in TAXII 2.1)");
        var reply = await GetAsync(uri, apiRoot, ct);
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
        NotIn20(apiRoot, $"DELETE {Display(Absolute(uri))}", "cannot delete objects (deletion is new in TAXII 2.1)");
        await SendAsync(HttpMethod.Delete, uri, null, expectBody: false, VersionOf(apiRoot), objects: false, null, ct);
    }

    /// <summary>
    /// Posts the objects as one envelope (TAXII 2.0: one STIX 2.0 bundle, whose id is derived from its objects); returns
    /// the status resource the server answers with. The API root's version is read first when not known yet.
    /// </summary>
    public async Task<TaxiiStatusReport> AddObjectsAsync(Uri apiRoot, string collectionId, IEnumerable<JsonElement> objects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var version = VersionOf(apiRoot) ?? (await GetApiRootAsync(apiRoot, ct)).Version;
        var list = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(list))
        {
            writer.WriteStartArray();
            foreach (var o in objects)
            {
                o.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        var items = list.GetBuffer().AsMemory(0, (int)list.Length);
        var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (version == TaxiiVersion.Taxii20)
            {
                writer.WriteString("type", "bundle");
                writer.WriteString("id", "bundle--" + ContentUuid(items.Span));
                writer.WriteString("spec_version", "2.0");
            }

            writer.WritePropertyName("objects");
            writer.WriteRawValue(items.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(version == TaxiiVersion.Taxii20 ? TaxiiMediaTypes.Stix20 : TaxiiMediaTypes.Taxii21);
        var reply = await SendAsync(HttpMethod.Post, CollectionUri(apiRoot, collectionId, "objects/"), content, expectBody: true, version, objects: false, null, ct);
        return Status(reply);
    }

    public async Task<TaxiiStatusReport> GetStatusAsync(Uri apiRoot, string statusId, CancellationToken ct)
    {
        var reply = await GetAsync(new Uri(Root(apiRoot), $"status/{Uri.EscapeDataString(statusId)}/"), apiRoot, ct);
        return Status(reply);
    }

    /// <summary>
    /// Reads everything added to a collection after <paramref name="checkpoint"/> (everything when null), page by
    /// page, following <c>more</c>/<c>next</c> (TAXII 2.0: <c>Content-Range</c>). Each page carries the checkpoint to store once its objects are taken:
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

    private async Task<TaxiiEnvelope> ObjectsAsync(Uri apiRoot, string collectionId, string rest, TaxiiQuery? query, CancellationToken ct)
    {
        var version = VersionOf(apiRoot);
        var (sent, range) = Paged(query, version, $"GET {Display(Absolute(CollectionUri(apiRoot, collectionId, rest, query)))}");
        var reply = await SendAsync(HttpMethod.Get, CollectionUri(apiRoot, collectionId, rest, sent), null, expectBody: true, version, objects: true, range, ct);
        Learn(apiRoot, reply.Version);
        return reply.Version == TaxiiVersion.Taxii20 ? Bundle(reply, range) : Envelope(reply);
    }

    /// <summary>
    /// The query to send and the item range to ask for. TAXII 2.0 has no <c>limit</c> or <c>next</c>: a limit is the first
    /// range, a page token is the next one. While the version is unknown, a limit is sent both ways (a 2.1 server must
    /// ignore a <c>Range</c> in a unit it does not know, RFC 9110 §14.2).
    /// </summary>
    private static (TaxiiQuery? Query, ItemRange? Range) Paged(TaxiiQuery? query, TaxiiVersion? version, string what)
    {
        if (query is null || version == TaxiiVersion.Taxii21)
        {
            return (query, null);
        }

        if (version is null)
        {
            return (query, query.Next is null && query.Limit is { } first && first > 0 ? new ItemRange(0, first - 1) : null);
        }

        if (query.SpecVersions.Count > 0)
        {
            throw new TaxiiException($"{what}: match[spec_version] is a TAXII 2.1 filter and this API root speaks TAXII 2.0");
        }

        ItemRange? range = null;
        if (query.Next is { Length: > 0 } next)
        {
            range = ItemRange.TryParse(next) ?? throw new TaxiiException($"{what}: '{next}' is not a TAXII 2.0 page token (an item range such as 'items 100-199')");
        }
        else if (query.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(query));
            range = new ItemRange(0, limit - 1);
        }

        return (query with { Next = null, Limit = null }, range);
    }

    private void NotIn20(Uri apiRoot, string what, string missing)
    {
        if (VersionOf(apiRoot) == TaxiiVersion.Taxii20)
        {
            throw new TaxiiException($"{what}: this API root speaks TAXII 2.0, which {missing}");
        }
    }

    private void Learn(Uri? apiRoot, TaxiiVersion? version)
    {
        if (apiRoot is not null && version is { } v)
        {
            _versions[Key(apiRoot)] = v;
        }
    }

    private string Key(Uri apiRoot) => Absolute(Root(apiRoot)).AbsoluteUri;

    /// <summary>A version-5-shaped UUID from the bytes (a bundle's id from its objects: the same post gives the same id).</summary>
    private static string ContentUuid(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(hash[..16]).Insert(20, "-").Insert(16, "-").Insert(12, "-").Insert(8, "-");
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

    /// <summary>A TAXII 2.0 page: a STIX bundle, continued by its <c>Content-Range</c>.</summary>
    private static TaxiiEnvelope Bundle(Reply reply, ItemRange? asked)
    {
        if (reply.Unsatisfiable)
        {
            return new TaxiiEnvelope(false, null, []);
        }

        var r = reply.Reader;
        var root = r.Object(reply.Root, "bundle");
        if (r.OptionalString(root, "type", "bundle") is { } type && type != "bundle")
        {
            throw r.Error($"bundle.type must be 'bundle', found '{type}'");
        }

        var objects = new List<JsonElement>();
        foreach (var (item, where) in r.OptionalArray(root, "objects", "bundle"))
        {
            objects.Add(r.Object(item, where));
        }

        var (more, next) = RangePaging(reply, objects.Count, asked);
        return new TaxiiEnvelope(more, next, objects) { DateAddedFirst = reply.DateAddedFirst, DateAddedLast = reply.DateAddedLast };
    }

    /// <summary>
    /// Whether a TAXII 2.0 page has more after it, and the item range that asks for them: from <c>Content-Range: items
    /// a-b/total</c> (no header: the page is everything). The range must start where it was asked to, or the read would
    /// skip or repeat objects; the next page is as long as the one asked (else as this one).
    /// </summary>
    private static (bool More, string? Next) RangePaging(Reply reply, int count, ItemRange? asked)
    {
        if (reply.ContentRange is not { } header)
        {
            return (false, null);
        }

        var r = reply.Reader;
        var match = ContentRangePattern().Match(header);
        if (!match.Success
            || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first)
        {
            throw r.Error($"the Content-Range header must be 'items first-last/total', found '{Shorten(header)}'");
        }

        long? total = match.Groups[3].Value == "*" ? null : long.Parse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var start = asked?.First ?? 0;
        if (first != start)
        {
            throw r.Error($"asked for items from {start}, the server answered items {first}-{last}; stopped so as not to skip or repeat objects");
        }

        if (count > last - first + 1)
        {
            throw r.Error($"the page holds {count} objects, more than its Content-Range items {first}-{last}");
        }

        var following = first + count;
        var size = asked is { } a ? a.Last - a.First + 1 : last - first + 1;
        var more = count > 0 && (total is { } all ? following < all : count == size);
        return more ? (true, new ItemRange(following, following + size - 1).ToString()) : (false, null);
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;

    [GeneratedRegex(@"^\s*items\s+(\d{1,18})-(\d{1,18})/(\d{1,18}|\*)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ContentRangePattern();

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
            Successes = Details(r, s, "successes", reply.Version),
            Failures = Details(r, s, "failures", reply.Version),
            Pendings = Details(r, s, "pendings", reply.Version),
        };
    }

    /// <summary>Status details; TAXII 2.0 lists successes and pendings as bare ids and gives no versions.</summary>
    private static List<TaxiiStatusDetail> Details(Reader r, JsonElement status, string name, TaxiiVersion? version) =>
        r.OptionalArray(status, name, "status").Select(d =>
        {
            if (version == TaxiiVersion.Taxii20 && d.Item.ValueKind == JsonValueKind.String)
            {
                return new TaxiiStatusDetail(r.String(d.Item, d.Where), "", null);
            }

            var o = r.Object(d.Item, d.Where);
            var objectVersion = version == TaxiiVersion.Taxii20 ? r.OptionalString(o, "version", d.Where) ?? "" : r.RequiredString(o, "version", d.Where);
            return new TaxiiStatusDetail(r.RequiredString(o, "id", d.Where), objectVersion, r.OptionalString(o, "message", d.Where));
        }).ToList();

    /// <summary>A TAXII resource of <paramref name="apiRoot"/> (null for discovery), in the version it speaks; the answer teaches it.</summary>
    private async Task<Reply> GetAsync(Uri uri, Uri? apiRoot, CancellationToken ct)
    {
        var reply = await SendAsync(HttpMethod.Get, uri, null, expectBody: true, apiRoot is null ? null : VersionOf(apiRoot), objects: false, null, ct);
        Learn(apiRoot, reply.Version);
        return reply;
    }

    /// <param name="version">The version to speak; null accepts either and reads the one the answer is in.</param>
    /// <param name="objects">The objects resource: in TAXII 2.0 it answers STIX bundles, not TAXII resources.</param>
    /// <param name="range">TAXII 2.0's item range to ask for.</param>
    private async Task<Reply> SendAsync(HttpMethod method, Uri uri, HttpContent? content, bool expectBody, TaxiiVersion? version, bool objects, ItemRange? range, CancellationToken ct)
    {
        var absolute = Absolute(uri);
        var what = $"{method} {Display(absolute)}";
        string[] accept = version switch
        {
            TaxiiVersion.Taxii21 => [TaxiiMediaTypes.Taxii21],
            TaxiiVersion.Taxii20 => [objects ? TaxiiMediaTypes.Stix20 : TaxiiMediaTypes.Taxii20],
            _ => [TaxiiMediaTypes.Taxii21, objects ? TaxiiMediaTypes.Stix20 : TaxiiMediaTypes.Taxii20],
        };

        // TAXII 2.0 servers differ on the Range syntax: RFC 9110's "items=0-99" first, the 2.0 text's "items 0-99"
        // when the first is refused as a bad request (as OASIS's own 2.0 client does).
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, absolute) { Content = content };
            foreach (var type in accept)
            {
                request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(type));
            }

            if (range is { } r)
            {
                request.Headers.TryAddWithoutValidation("Range", string.Create(CultureInfo.InvariantCulture, $"items{(attempt == 0 ? '=' : ' ')}{r.First}-{r.Last}"));
            }

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
                if (range is not null && attempt == 0 && response.StatusCode == HttpStatusCode.BadRequest && version != TaxiiVersion.Taxii21)
                {
                    continue;
                }

                var reader = new Reader(what);
                if (range is not null && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    // Nothing from there on (the collection shrank, or was empty): an empty last page.
                    return new Reply(absolute, reader, default, null, null, TaxiiVersion.Taxii20, null, Unsatisfiable: true);
                }

                var body = await ReadBodyAsync(response, what, ct);
                var mediaType = response.Content.Headers.ContentType;
                if (!response.IsSuccessStatusCode)
                {
                    throw Refusal(what, response, mediaType, body);
                }

                if (!expectBody)
                {
                    return new Reply(absolute, reader, default, null, null);
                }

                TaxiiVersion? spoken = IsTaxii21(mediaType) ? TaxiiVersion.Taxii21 : IsTaxii20(mediaType, objects) ? TaxiiVersion.Taxii20 : null;
                if (spoken is null || (version is { } v && v != spoken))
                {
                    var got = mediaType is null ? "no Content-Type" : $"'{mediaType}'";
                    var twenty = objects ? TaxiiMediaTypes.Stix20 : TaxiiMediaTypes.Taxii20;
                    throw reader.Error(version switch
                    {
                        TaxiiVersion.Taxii21 => $"expected a TAXII 2.1 response ({TaxiiMediaTypes.Taxii21}), got {got}",
                        TaxiiVersion.Taxii20 => $"expected a TAXII 2.0 response ({twenty}), got {got}",
                        _ => $"expected a TAXII 2.1 or 2.0 response ({TaxiiMediaTypes.Taxii21} or {twenty}), got {got}",
                    });
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

                var contentRange = response.Content.Headers.NonValidated.TryGetValues("Content-Range", out var ranges) ? ranges.ToString() : null;
                return new Reply(
                    absolute, reader, root, Header(response, "X-TAXII-Date-Added-First", reader), Header(response, "X-TAXII-Date-Added-Last", reader), spoken, contentRange);
            }
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
        string.Equals(type?.MediaType, TaxiiMediaTypes.TaxiiJson, StringComparison.OrdinalIgnoreCase)
        || string.Equals(type?.MediaType, TaxiiMediaTypes.Taxii20Json, StringComparison.OrdinalIgnoreCase);

    /// <summary>application/taxii+json with version 2.1, or with no version (which means the server's latest).</summary>
    private static bool IsTaxii21(MediaTypeHeaderValue? type) => Is(type, TaxiiMediaTypes.TaxiiJson, TaxiiMediaTypes.Version);

    /// <summary>TAXII 2.0's media type for resources (or, with <paramref name="objects"/>, for bundles), version 2.0 or none.</summary>
    private static bool IsTaxii20(MediaTypeHeaderValue? type, bool objects) =>
        Is(type, objects ? TaxiiMediaTypes.Stix20Json : TaxiiMediaTypes.Taxii20Json, "2.0");

    private static bool Is(MediaTypeHeaderValue? type, string mediaType, string version)
    {
        if (!string.Equals(type?.MediaType, mediaType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var stated = type!.Parameters.FirstOrDefault(p => string.Equals(p.Name, "version", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        return stated is null || stated == version;
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

    /// <param name="Version">The version the response's media type spoke (null when there was no body to read).</param>
    /// <param name="ContentRange">TAXII 2.0's <c>Content-Range</c> header, as sent.</param>
    /// <param name="Unsatisfiable">A TAXII 2.0 server answered 416 to an item range: nothing is left from there.</param>
    private sealed record Reply(
        Uri Uri, Reader Reader, JsonElement Root, TaxiiCheckpoint? DateAddedFirst, TaxiiCheckpoint? DateAddedLast, TaxiiVersion? Version = null, string? ContentRange = null, bool Unsatisfiable = false);

    /// <summary>A TAXII 2.0 item range (inclusive), written as the page token <c>items 100-199</c>.</summary>
    private readonly record struct ItemRange(long First, long Last)
    {
        public static ItemRange? TryParse(string text)
        {
            var match = TokenPattern().Match(text);
            return match.Success
                && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && long.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                && last >= first
                    ? new ItemRange(first, last)
                    : null;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"items {First}-{Last}");
    }

    [GeneratedRegex(@"^items[ =](\d{1,18})-(\d{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

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
