using System.Text.Json;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Taxii;

/// <summary>
/// The TAXII 2.1 protocol routes: discovery at <c>/taxii2/</c>, one API root at <c>/taxii2/{ApiRoot}/</c> with its
/// collections and status resources; the object routes are in <see cref="TaxiiObjectsApi"/>. Every route needs
/// a key (Basic or Bearer) and speaks only <c>application/taxii+json;version=2.1</c>.
/// </summary>
public static class TaxiiApi
{
    public const string Policy = "Taxii";

    public static void MapTaxiiProtocol(this IEndpointRouteBuilder app, TaxiiOptions options)
    {
        var taxii = app.MapGroup("/taxii2").WithTags("TAXII 2.1")
            .RequireAuthorization(Policy)
            .AddEndpointFilter(TaxiiProtocol.AcceptFilter);
        taxii.MapGet("/", Discovery).WithSummary("TAXII discovery: the server and its API root.").Taxii();

        var root = taxii.MapGroup($"/{options.ApiRoot}");
        root.MapGet("/", ApiRoot).WithSummary("The API root: TAXII versions and max_content_length.").Taxii();
        root.MapGet("/collections/", CollectionsAsync).WithSummary("The collections this key is granted, with can_read/can_write.").Taxii();
        root.MapGet("/collections/{collectionId}/", CollectionAsync).WithSummary("One granted collection (404 when not granted).").Taxii();
        root.MapGet("/status/{statusId}/", StatusAsync).WithSummary("The status of an add-objects request this key made.").Taxii();
        root.MapTaxiiObjects();

        // Anything else under /taxii2 answers a TAXII error, not the framework's plain-text 404.
        taxii.Map("/{**rest}", () => TaxiiResults.NotFound("no TAXII resource at this address")).ExcludeFromDescription();
    }

    internal static RouteHandlerBuilder Taxii(this RouteHandlerBuilder route) =>
        route.Produces(StatusCodes.Status200OK, contentType: TaxiiMediaTypes.Taxii21);

    private static IResult Discovery(HttpRequest request, IOptions<TaxiiOptions> settings)
    {
        var o = settings.Value;
        var apiRoot = o.ApiRootUrl(request);
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("title", o.Title);
            WriteOptional(w, "description", o.Description);
            WriteOptional(w, "contact", o.Contact);
            w.WriteString("default", apiRoot);
            w.WriteStartArray("api_roots");
            w.WriteStringValue(apiRoot);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static IResult ApiRoot(IOptions<TaxiiOptions> settings)
    {
        var o = settings.Value;
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("title", o.Title);
            WriteOptional(w, "description", o.Description);
            w.WriteStartArray("versions");
            w.WriteStringValue(TaxiiMediaTypes.Taxii21);
            w.WriteEndArray();
            w.WriteNumber("max_content_length", o.MaxContentLength);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> CollectionsAsync(TaxiiAccess access, CancellationToken ct)
    {
        var granted = await access.ListAsync(ct);
        await access.AuditAsync("taxii.collections.list", "taxii-collections", ct);
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("collections");
            foreach (var g in granted)
            {
                WriteCollection(w, g);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> CollectionAsync(string collectionId, TaxiiAccess access, CancellationToken ct)
    {
        if (await access.FindAsync(collectionId, ct) is not { } granted)
        {
            return CollectionNotFound(collectionId);
        }

        await access.AuditAsync("taxii.collection.read", $"taxii-collection/{granted.Collection.Id}", ct);
        return TaxiiResults.Json(w => WriteCollection(w, granted));
    }

    private static async Task<IResult> StatusAsync(string statusId, TaxiiAccess access, BulwarkDbContext db, CancellationToken ct)
    {
        var key = access.KeyId;
        var status = Guid.TryParseExact(statusId, "D", out var id)
            ? await db.TaxiiStatuses.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.KeyId == key, ct)
            : null;
        if (status is null)
        {
            return TaxiiResults.NotFound($"no status '{statusId}' for this key");
        }

        await access.AuditAsync("taxii.status.read", $"taxii-collection/{status.CollectionId} status/{status.Id}", ct);
        return TaxiiResults.Json(w => WriteStatus(w, status));
    }

    internal static IResult CollectionNotFound(string collectionId) =>
        TaxiiResults.NotFound($"no collection '{collectionId}' is available to this key");

    internal static void WriteStatus(Utf8JsonWriter w, Data.Taxii.TaxiiStatus status)
    {
        w.WriteStartObject();
        w.WriteString("id", status.Id.ToString("D"));
        w.WriteString("status", status.PendingCount == 0 ? "complete" : "pending");
        w.WriteString("request_timestamp", TaxiiResults.DateAdded(status.RequestTimestamp));
        w.WriteNumber("total_count", status.TotalCount);
        w.WriteNumber("success_count", status.SuccessCount);
        w.WriteNumber("failure_count", status.FailureCount);
        w.WriteNumber("pending_count", status.PendingCount);
        using (var details = JsonDocument.Parse(status.Details))
        {
            foreach (var list in details.RootElement.EnumerateObject())
            {
                if (list.Value.GetArrayLength() > 0)
                {
                    list.WriteTo(w);
                }
            }
        }

        w.WriteEndObject();
    }

    private static void WriteCollection(Utf8JsonWriter w, TaxiiAccess.Granted g)
    {
        var c = g.Collection;
        w.WriteStartObject();
        w.WriteString("id", c.Id.ToString("D"));
        w.WriteString("title", c.Title);
        WriteOptional(w, "description", c.Description);
        WriteOptional(w, "alias", c.Alias);
        w.WriteBoolean("can_read", g.CanRead);
        w.WriteBoolean("can_write", g.CanWrite);
        w.WriteStartArray("media_types");
        w.WriteStringValue(TaxiiMediaTypes.Stix21);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
