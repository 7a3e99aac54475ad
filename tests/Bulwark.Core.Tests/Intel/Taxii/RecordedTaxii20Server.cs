using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Tests.Intel.Taxii;

/// <summary>
/// A TAXII 2.0 server in a message handler, for the client's 2.0 dialect (Bulwark's own server speaks 2.1 only). Its
/// discovery, API root and collections answers and its objects are recorded 2.0 content (Fixtures/taxii20); it serves
/// them the way the TAXII 2.0 specification says: <c>application/vnd.oasis.taxii+json; version=2.0</c> resources, objects
/// as STIX 2.0 bundles in <c>application/vnd.oasis.stix+json; version=2.0</c>, 406 for an Accept without its media type
/// (as OASIS medallion checks it), <c>Range: items a-b</c> answered 206 with <c>Content-Range: items a-b/total</c> (and
/// at most <see cref="PageLimit"/> objects when no range is asked), 416 past the end, <c>added_after</c> and
/// <c>match[type]</c> filters, <c>X-TAXII-Date-Added-First/Last</c>, and posts of bundles answered 202 with a 2.0 status
/// (successes as bare ids). It keeps every request it saw.
/// </summary>
internal sealed partial class RecordedTaxii20Server : HttpMessageHandler
{
    public const string Base = "https://taxii.cert.example";
    public const string Collection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
    public const string WriteOnly = "52892447-4d7e-4f70-b94d-d7f22742ff63";
    public const string Taxii = "application/vnd.oasis.taxii+json; version=2.0";
    public const string Stix = "application/vnd.oasis.stix+json; version=2.0";
    public const int PageLimit = 5;

    private readonly List<(DateTimeOffset Added, string Text, JsonObject Object)> _objects = [];
    private readonly Dictionary<string, string> _statuses = new(StringComparer.Ordinal);

    public RecordedTaxii20Server()
    {
        foreach (var entry in JsonNode.Parse(File.ReadAllText(PathOf("objects.json")))!.AsArray())
        {
            var added = entry!["date_added"]!.GetValue<string>();
            _objects.Add((DateTimeOffset.Parse(added, CultureInfo.InvariantCulture), added, entry["object"]!.AsObject()));
        }
    }

    public static Uri Discovery { get; } = new(Base + "/taxii/");

    public static Uri ApiRoot { get; } = new(Base + "/api1/");

    /// <summary>When false, a <c>Range: items=a-b</c> (RFC form) is a 400, as from servers that take only the 2.0 text's <c>items a-b</c>.</summary>
    public bool AcceptsRfcRange { get; init; } = true;

    /// <summary>What came in: method, path and query, Accept, Range and Content-Type.</summary>
    public List<(string Method, string Target, string Accept, string? Range, string? ContentType)> Requests { get; } = [];

    /// <summary>The bodies posted, as sent.</summary>
    public List<string> Posted { get; } = [];

    public static string PathOf(string name, [CallerFilePath] string file = "") => Path.Combine(Path.GetDirectoryName(file)!, "Fixtures", "taxii20", name);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var accept = string.Join(", ", request.Headers.Accept.Select(a => a.ToString()));
        var range = request.Headers.TryGetValues("Range", out var ranges) ? string.Join(",", ranges) : null;
        var contentType = request.Content?.Headers.ContentType?.ToString();
        var path = request.RequestUri!.AbsolutePath;
        Requests.Add((request.Method.Method, request.RequestUri.PathAndQuery, accept, range, contentType));
        var response = await AnswerAsync(request, path, accept, range, contentType, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, string path, string accept, string? range, string? contentType, CancellationToken ct)
    {
        var objects = path.StartsWith($"/api1/collections/{Collection}/objects/", StringComparison.Ordinal);
        if (request.Method == HttpMethod.Post && objects)
        {
            return await AddAsync(request, accept, contentType, ct);
        }

        if (!Accepts(accept, objects ? "application/vnd.oasis.stix+json" : "application/vnd.oasis.taxii+json"))
        {
            return Error(HttpStatusCode.NotAcceptable, "Media type in the Accept header is invalid or not found", objects ? Stix : Taxii);
        }

        switch (path)
        {
            case "/taxii/":
                return Json(HttpStatusCode.OK, File.ReadAllText(PathOf("discovery.json")), Taxii);
            case "/api1/":
                return Json(HttpStatusCode.OK, File.ReadAllText(PathOf("api-root.json")), Taxii);
            case "/api1/collections/":
                return Json(HttpStatusCode.OK, File.ReadAllText(PathOf("collections.json")), Taxii);
            case $"/api1/collections/{Collection}/objects/":
                return Page(request, range, manifest: false);
            case $"/api1/collections/{Collection}/manifest/":
                return Page(request, range, manifest: true);
        }

        if (path.StartsWith("/api1/status/", StringComparison.Ordinal) && _statuses.TryGetValue(path["/api1/status/".Length..].TrimEnd('/'), out var status))
        {
            return Json(HttpStatusCode.OK, status, Taxii);
        }

        return Error(HttpStatusCode.NotFound, "Not found", Taxii);
    }

    private HttpResponseMessage Page(HttpRequestMessage request, string? range, bool manifest)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var selected = _objects
            .Where(o => query["added_after"] is not { } after || o.Added > DateTimeOffset.Parse(after, CultureInfo.InvariantCulture))
            .Where(o => query["match[type]"] is not { } types || types.Split(',').Contains(o.Object["type"]!.GetValue<string>()))
            .ToList();
        int first, last;
        if (range is null)
        {
            (first, last) = (0, Math.Min(selected.Count, PageLimit) - 1);
        }
        else
        {
            var match = RangePattern().Match(range);
            if (!match.Success || (!AcceptsRfcRange && match.Groups[1].Value == "="))
            {
                return Error(HttpStatusCode.BadRequest, $"Range '{range}' is not 'items first-last'", Taxii);
            }

            first = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            last = Math.Min(int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), selected.Count - 1);
            if (first >= selected.Count)
            {
                return Error(HttpStatusCode.RequestedRangeNotSatisfiable, "Requested range not satisfiable", Taxii);
            }
        }

        var page = selected.Skip(first).Take(last - first + 1).ToList();
        var body = new JsonObject();
        if (manifest)
        {
            body["objects"] = new JsonArray([.. page.Select(o => (JsonNode)new JsonObject
            {
                ["id"] = o.Object["id"]!.GetValue<string>(),
                ["date_added"] = o.Text,
                ["versions"] = new JsonArray((o.Object["modified"] ?? o.Object["created"])!.GetValue<string>()),
                ["media_types"] = new JsonArray(Stix),
            })]);
        }
        else
        {
            body["type"] = "bundle";
            body["id"] = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
            body["spec_version"] = "2.0";
            body["objects"] = new JsonArray([.. page.Select(o => o.Object.DeepClone())]);
        }

        var partial = page.Count < selected.Count || range is not null;
        var response = Json(partial ? HttpStatusCode.PartialContent : HttpStatusCode.OK, body.ToJsonString(), manifest ? Taxii : Stix);
        if (partial && page.Count > 0)
        {
            response.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"items {first}-{first + page.Count - 1}/{selected.Count}"));
        }

        if (page.Count > 0)
        {
            response.Headers.TryAddWithoutValidation("X-TAXII-Date-Added-First", page[0].Text);
            response.Headers.TryAddWithoutValidation("X-TAXII-Date-Added-Last", page[^1].Text);
        }

        return response;
    }

    private async Task<HttpResponseMessage> AddAsync(HttpRequestMessage request, string accept, string? contentType, CancellationToken ct)
    {
        if (!Accepts(accept, "application/vnd.oasis.taxii+json"))
        {
            return Error(HttpStatusCode.NotAcceptable, "Media type in the Accept header is invalid or not found", Taxii);
        }

        if (contentType?.Replace(" ", "", StringComparison.Ordinal) != Stix.Replace(" ", "", StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.UnsupportedMediaType, "Media type in the Content-Type header is invalid or not found", Taxii);
        }

        var text = await request.Content!.ReadAsStringAsync(ct);
        Posted.Add(text);
        var bundle = JsonNode.Parse(text)!.AsObject();
        if (bundle["type"]?.GetValue<string>() != "bundle")
        {
            return Error(HttpStatusCode.BadRequest, "The body is not a STIX bundle", Taxii);
        }

        var successes = new JsonArray();
        var failures = new JsonArray();
        foreach (var item in bundle["objects"]!.AsArray())
        {
            var id = item?["id"]?.GetValue<string>() ?? "";
            if (item?["type"] is null || !id.Contains("--", StringComparison.Ordinal))
            {
                failures.Add(new JsonObject { ["id"] = id, ["message"] = "Unable to process object" });
            }
            else
            {
                successes.Add(id);
            }
        }

        var statusId = "2d086da7-4bdc-4f91-900e-d77486753710";
        var status = new JsonObject
        {
            ["id"] = statusId,
            ["status"] = "complete",
            ["request_timestamp"] = "2026-03-02T09:00:00.000000Z",
            ["total_count"] = successes.Count + failures.Count,
            ["success_count"] = successes.Count,
            ["successes"] = successes,
            ["failure_count"] = failures.Count,
            ["failures"] = failures,
            ["pending_count"] = 0,
        }.ToJsonString();
        _statuses[statusId] = status;
        return Json(HttpStatusCode.Accepted, status, Taxii);
    }

    /// <summary>As medallion's 2.0 check: one comma-separated item is the media type, with version 2.0 or none.</summary>
    private static bool Accepts(string accept, string mediaType) =>
        accept.Replace(" ", "", StringComparison.Ordinal).Split(',').Any(item => item == mediaType || item == mediaType + ";version=2.0");

    private static HttpResponseMessage Error(HttpStatusCode status, string title, string contentType) =>
        Json(status, new JsonObject { ["title"] = title, ["http_status"] = ((int)status).ToString(CultureInfo.InvariantCulture) }.ToJsonString(), contentType);

    private static HttpResponseMessage Json(HttpStatusCode status, string body, string contentType)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return response;
    }

    [GeneratedRegex(@"^items([ =])(\d+)-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();
}
