using System.Text.Json;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Taxii;

/// <summary>
/// A collection's objects: read (filters, paging, <c>X-TAXII-Date-Added-*</c>), add (202 and a status resource,
/// each refused object named with its reason), one object's versions, delete, and the manifest.
/// </summary>
public static class TaxiiObjectsApi
{
    public static void MapTaxiiObjects(this RouteGroupBuilder root)
    {
        var collection = root.MapGroup("/collections/{collectionId}");
        collection.MapGet("/objects/", GetObjectsAsync).WithSummary("Objects, oldest added first: added_after, limit, next, match[id|type|version|spec_version].").Taxii();
        collection.MapPost("/objects/", AddObjectsAsync)
            .WithSummary("Add objects: an envelope ({\"objects\": [...]}) as application/taxii+json;version=2.1. 202 with a status resource: each object stored or refused with the reason.")
            .Produces(StatusCodes.Status202Accepted, contentType: TaxiiMediaTypes.Taxii21);
        collection.MapGet("/objects/{objectId}/", GetObjectAsync).WithSummary("One object (its latest version unless match[version] says otherwise).").Taxii();
        collection.MapDelete("/objects/{objectId}/", DeleteObjectAsync).WithSummary("Delete an object: every version, or those match[version] selects (read and write grant).");
        collection.MapGet("/objects/{objectId}/versions/", GetVersionsAsync).WithSummary("One object's versions, oldest added first.").Taxii();
        collection.MapGet("/manifest/", GetManifestAsync).WithSummary("What the collection holds without the objects: id, date_added, version, media_type.").Taxii();
    }

    private static async Task<IResult> GetObjectsAsync(string collectionId, HttpRequest request, TaxiiAccess access, BulwarkDbContext db, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var (granted, filter, error) = await ReadableWithFilterAsync(collectionId, request, access, options, ct);
        if (error is not null)
        {
            return error;
        }

        var selected = TaxiiQueries.Select(TaxiiQueries.Filtered(db, granted!.Collection.Id, filter, null), filter.Versions ?? TaxiiVersionMatch.LastOnly);
        var page = await TaxiiQueries.PageAsync(selected, filter, withJson: true, ct);
        await access.AuditAsync("taxii.objects.read", $"taxii-collection/{granted.Collection.Id} objects={page.Rows.Count}", ct);
        return Envelope(page);
    }

    private static async Task<IResult> GetObjectAsync(string collectionId, string objectId, HttpRequest request, TaxiiAccess access, BulwarkDbContext db, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var (granted, filter, error) = await ReadableWithFilterAsync(collectionId, request, access, options, ct);
        if (error is not null)
        {
            return error;
        }

        var id = granted!.Collection.Id;
        if (await MissingAsync(db, id, objectId, ct) is { } missing)
        {
            return missing;
        }

        var selected = TaxiiQueries.Select(TaxiiQueries.Filtered(db, id, filter, objectId), filter.Versions ?? TaxiiVersionMatch.LastOnly);
        var page = await TaxiiQueries.PageAsync(selected, filter, withJson: true, ct);
        await access.AuditAsync("taxii.object.read", $"taxii-collection/{id} object/{objectId}", ct);
        return Envelope(page);
    }

    private static async Task<IResult> GetVersionsAsync(string collectionId, string objectId, HttpRequest request, TaxiiAccess access, BulwarkDbContext db, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var (granted, filter, error) = await ReadableWithFilterAsync(collectionId, request, access, options, ct);
        if (error is not null)
        {
            return error;
        }

        var id = granted!.Collection.Id;
        if (await MissingAsync(db, id, objectId, ct) is { } missing)
        {
            return missing;
        }

        // Only added_after and spec_version narrow the versions list; id, type and version filters do not apply.
        var versionsFilter = filter with { Ids = [], Types = [] };
        var page = await TaxiiQueries.PageAsync(TaxiiQueries.Filtered(db, id, versionsFilter, objectId), filter, withJson: false, ct);
        await access.AuditAsync("taxii.object.versions", $"taxii-collection/{id} object/{objectId}", ct);
        return TaxiiResults.Json(
            w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("more", page.More);
                if (page.Next is { } next)
                {
                    w.WriteString("next", next);
                }

                w.WriteStartArray("versions");
                foreach (var row in page.Rows)
                {
                    w.WriteStringValue(TaxiiTime.FormatVersion(row.Version));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            },
            dateAdded: page.DateAdded);
    }

    private static async Task<IResult> GetManifestAsync(string collectionId, HttpRequest request, TaxiiAccess access, BulwarkDbContext db, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var (granted, filter, error) = await ReadableWithFilterAsync(collectionId, request, access, options, ct);
        if (error is not null)
        {
            return error;
        }

        var selected = TaxiiQueries.Select(TaxiiQueries.Filtered(db, granted!.Collection.Id, filter, null), filter.Versions ?? TaxiiVersionMatch.LastOnly);
        var page = await TaxiiQueries.PageAsync(selected, filter, withJson: false, ct);
        await access.AuditAsync("taxii.manifest.read", $"taxii-collection/{granted.Collection.Id} objects={page.Rows.Count}", ct);
        return TaxiiResults.Json(
            w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("more", page.More);
                if (page.Next is { } next)
                {
                    w.WriteString("next", next);
                }

                w.WriteStartArray("objects");
                foreach (var row in page.Rows)
                {
                    w.WriteStartObject();
                    w.WriteString("id", row.StixId);
                    w.WriteString("date_added", TaxiiResults.DateAdded(row.DateAdded));
                    w.WriteString("version", TaxiiTime.FormatVersion(row.Version));
                    w.WriteString("media_type", TaxiiMediaTypes.Stix21);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            },
            dateAdded: page.DateAdded);
    }

    private static async Task<IResult> DeleteObjectAsync(string collectionId, string objectId, HttpRequest request, TaxiiAccess access, BulwarkDbContext db, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        if (await access.FindAsync(collectionId, ct) is not { } granted)
        {
            return TaxiiApi.CollectionNotFound(collectionId);
        }

        if (!granted.CanRead || !granted.CanWrite)
        {
            return TaxiiResults.Forbidden("deleting needs both read and write access to the collection");
        }

        if (!TaxiiFilter.TryParse(request.Query, options.Value.MaxPageSize, out var filter, out var problem))
        {
            return TaxiiResults.BadRequest(problem);
        }

        var id = granted.Collection.Id;
        if (await MissingAsync(db, id, objectId, ct) is { } missing)
        {
            return missing;
        }

        // Deleting an object means all its versions unless match[version] narrows it.
        var deleteFilter = new TaxiiFilter { SpecVersions = filter.SpecVersions, Limit = filter.Limit };
        var rows = await TaxiiQueries.Select(TaxiiQueries.Filtered(db, id, deleteFilter, objectId), filter.Versions ?? TaxiiVersionMatch.Every)
            .Select(o => o.Id).ToListAsync(ct);
        var deleted = rows.Count == 0 ? 0 : await db.TaxiiObjects.Where(o => rows.Contains(o.Id)).ExecuteDeleteAsync(ct);
        await access.AuditAsync("taxii.object.delete", $"taxii-collection/{id} object/{objectId} versions={deleted}", ct);
        return Results.Ok();
    }

    private static async Task<IResult> AddObjectsAsync(
        string collectionId, HttpRequest request, TaxiiAccess access, TaxiiIntake intake, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        if (await access.FindAsync(collectionId, ct) is not { } granted)
        {
            return TaxiiApi.CollectionNotFound(collectionId);
        }

        if (!granted.CanWrite)
        {
            return TaxiiResults.Forbidden("this key may read this collection but not add to it");
        }

        if (!TaxiiProtocol.ContentIsTaxii21(request))
        {
            return TaxiiResults.Error(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"post an envelope as {TaxiiMediaTypes.Taxii21}; the request's Content-Type is '{request.ContentType}'");
        }

        var o = options.Value;
        var (document, readError) = await TaxiiProtocol.ReadJsonAsync(request, o.MaxContentLength, ct);
        if (readError is not null)
        {
            return readError;
        }

        using (document)
        {
            var envelope = document!.RootElement;
            if (envelope.ValueKind != JsonValueKind.Object)
            {
                return TaxiiResults.BadRequest($"the body must be an envelope, a JSON object with an 'objects' list; found {envelope.ValueKind.ToString().ToLowerInvariant()}");
            }

            if (!envelope.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
            {
                return TaxiiResults.BadRequest("the envelope must have an 'objects' list");
            }

            var total = objects.GetArrayLength();
            if (total > o.MaxObjectsPerRequest)
            {
                return TaxiiResults.Error(
                    StatusCodes.Status413PayloadTooLarge,
                    "Request too large",
                    $"the envelope holds {total} objects; this server takes at most {o.MaxObjectsPerRequest} per request");
            }

            var candidates = new List<TaxiiCandidate>(total);
            var refusals = new List<(int, TaxiiStatusDetail)>();
            var index = 0;
            foreach (var item in objects.EnumerateArray())
            {
                var (candidate, refusal) = TaxiiObjectValidator.Validate(item, index, granted.Collection.MaxTlp);
                if (candidate is not null)
                {
                    candidates.Add(candidate);
                }
                else
                {
                    refusals.Add((index, refusal!));
                }

                index++;
            }

            var status = await intake.AddAsync(granted.Collection, access.KeyId, total, candidates, refusals, ct);
            await access.AuditAsync(
                "taxii.objects.add",
                $"taxii-collection/{granted.Collection.Id} status/{status.Id} stored={status.SuccessCount} refused={status.FailureCount}",
                ct);
            return TaxiiResults.Json(w => TaxiiApi.WriteStatus(w, status), StatusCodes.Status202Accepted);
        }
    }

    /// <summary>A readable collection and the request's filters, or the TAXII error to answer instead.</summary>
    private static async Task<(TaxiiAccess.Granted? Granted, TaxiiFilter Filter, IResult? Error)> ReadableWithFilterAsync(
        string collectionId, HttpRequest request, TaxiiAccess access, IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var (granted, error) = await ReadableAsync(collectionId, access, ct);
        if (error is not null)
        {
            return (null, null!, error); // Filter is only read when Error is null
        }

        return TaxiiFilter.TryParse(request.Query, options.Value.MaxPageSize, out var filter, out var problem)
            ? (granted, filter, null)
            : (null, null!, TaxiiResults.BadRequest(problem));
    }

    private static async Task<(TaxiiAccess.Granted? Granted, IResult? Error)> ReadableAsync(string collectionId, TaxiiAccess access, CancellationToken ct)
    {
        if (await access.FindAsync(collectionId, ct) is not { } granted)
        {
            return (null, TaxiiApi.CollectionNotFound(collectionId));
        }

        return granted.CanRead ? (granted, null) : (null, TaxiiResults.Forbidden("this key may add to this collection but not read it"));
    }

    /// <summary>The TAXII 404 when the collection holds no version of <paramref name="objectId"/>, else null.</summary>
    private static async Task<IResult?> MissingAsync(BulwarkDbContext db, Guid collectionId, string objectId, CancellationToken ct) =>
        await db.TaxiiObjects.AnyAsync(o => o.CollectionId == collectionId && o.StixId == objectId, ct)
            ? null
            : TaxiiResults.NotFound($"no object '{objectId}' in this collection");

    private static IResult Envelope(TaxiiQueries.Page page) =>
        TaxiiResults.Json(
            w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("more", page.More);
                if (page.Next is { } next)
                {
                    w.WriteString("next", next);
                }

                w.WriteStartArray("objects");
                foreach (var row in page.Rows)
                {
                    w.WriteRawValue(row.Json!, skipInputValidation: true);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            },
            dateAdded: page.DateAdded);
}
