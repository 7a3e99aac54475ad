using Bulwark.Data;
using Bulwark.Data.Access;
using Bulwark.Data.Taxii;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Taxii;

/// <summary>
/// The operator's side of TAXII: create and delete collections, and grant or withdraw a key's read and write
/// access to one. Partner organisations get a <see cref="ApiKeyScope.Partner"/> key (<c>POST /api/v1/keys</c>),
/// which can do nothing but use the collections granted here.
/// </summary>
public static class TaxiiCollectionsApi
{
    public static RouteGroupBuilder MapTaxiiCollectionsApi(this RouteGroupBuilder api)
    {
        var collections = api.MapGroup("/taxii/collections").WithTags("TAXII collections").RequireAuthorization(Policies.Operator);
        collections.MapPost("/", CreateAsync).WithSummary("Create a TAXII collection. It is visible to no key until granted.");
        collections.MapGet("/", ListAsync).WithSummary("Every collection with its object count and grants.");
        collections.MapGet("/{id:guid}", GetAsync);
        collections.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a collection with its objects, statuses and grants.");
        collections.MapPut("/{id:guid}/grants/{keyId:guid}", GrantAsync).WithSummary("Set a key's can_read / can_write on the collection.");
        collections.MapDelete("/{id:guid}/grants/{keyId:guid}", RevokeAsync).WithSummary("Withdraw a key's access to the collection.");
        return api;
    }

    public sealed record CreateCollectionRequest(string Title, string? Description, string? Alias, TaxiiTlp? MaxTlp);

    public sealed record GrantRequest(bool CanRead, bool CanWrite);

    public sealed record GrantView(Guid KeyId, string KeyName, ApiKeyScope KeyScope, bool CanRead, bool CanWrite, DateTimeOffset GrantedAt);

    public sealed record CollectionView(
        Guid Id, string Title, string? Description, string? Alias, TaxiiTlp? MaxTlp, DateTimeOffset CreatedAt, int Objects, IReadOnlyList<GrantView> Grants, string Url);

    private static async Task<Results<Created<CollectionView>, ValidationProblem>> CreateAsync(
        CreateCollectionRequest request, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, HttpRequest http, Microsoft.Extensions.Options.IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var title = request.Title?.Trim() ?? "";
        var alias = string.IsNullOrWhiteSpace(request.Alias) ? null : request.Alias.Trim();
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (title.Length is 0 or > 200 || title.Any(char.IsControl))
        {
            errors["title"] = ["a title of 1 to 200 characters, on one line, is required"];
        }

        if (description is { Length: > 2000 })
        {
            errors["description"] = ["at most 2000 characters"];
        }

        if (alias is not null && !IsAlias(alias))
        {
            errors["alias"] = ["1 to 100 lowercase letters, digits, hyphens or underscores"];
        }
        else if (alias is not null && await db.TaxiiCollections.AnyAsync(c => c.Alias == alias, ct))
        {
            errors["alias"] = [$"another collection is called '{alias}'"];
        }

        if (request.MaxTlp is { } tlp && !Enum.IsDefined(tlp))
        {
            errors["maxTlp"] = ["one of Clear, Green, Amber, AmberStrict, Red"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var collection = new TaxiiCollection
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Title = title,
            Description = description,
            Alias = alias,
            MaxTlp = request.MaxTlp,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = caller.KeyId,
        };
        db.TaxiiCollections.Add(collection);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("taxii.collection.create", $"taxii-collection/{collection.Id}", null, ct);
        return TypedResults.Created($"/api/v1/taxii/collections/{collection.Id}", View(collection, 0, [], http, options.Value));
    }

    private static async Task<Ok<List<CollectionView>>> ListAsync(BulwarkDbContext db, HttpRequest http, Microsoft.Extensions.Options.IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var collections = await db.TaxiiCollections.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(ct);
        var counts = await db.TaxiiObjects.GroupBy(o => o.CollectionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var grants = await GrantsAsync(db, null, ct);
        return TypedResults.Ok(collections.Select(c => View(c, counts.GetValueOrDefault(c.Id), grants.Where(g => g.CollectionId == c.Id).Select(g => g.View).ToList(), http, options.Value)).ToList());
    }

    private static async Task<Results<Ok<CollectionView>, NotFound>> GetAsync(Guid id, BulwarkDbContext db, HttpRequest http, Microsoft.Extensions.Options.IOptions<TaxiiOptions> options, CancellationToken ct)
    {
        var collection = await db.TaxiiCollections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (collection is null)
        {
            return TypedResults.NotFound();
        }

        var count = await db.TaxiiObjects.CountAsync(o => o.CollectionId == id, ct);
        var grants = await GrantsAsync(db, id, ct);
        return TypedResults.Ok(View(collection, count, grants.Select(g => g.View).ToList(), http, options.Value));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var collection = await db.TaxiiCollections.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (collection is null)
        {
            return TypedResults.NotFound();
        }

        db.TaxiiCollections.Remove(collection);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("taxii.collection.delete", $"taxii-collection/{id}", null, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<GrantView>, NotFound<string>, ValidationProblem>> GrantAsync(
        Guid id, Guid keyId, GrantRequest request, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (!await db.TaxiiCollections.AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound($"no collection {id}");
        }

        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null)
        {
            return TypedResults.NotFound($"no key {keyId}");
        }

        if (key.RevokedAt is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["keyId"] = ["the key is revoked"] });
        }

        if (!request.CanRead && !request.CanWrite)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["canRead"] = ["grant read, write or both; to withdraw access, DELETE the grant"] });
        }

        var grant = await db.TaxiiGrants.FirstOrDefaultAsync(g => g.CollectionId == id && g.KeyId == keyId, ct);
        if (grant is null)
        {
            grant = new TaxiiGrant { CollectionId = id, KeyId = keyId };
            db.TaxiiGrants.Add(grant);
        }

        grant.CanRead = request.CanRead;
        grant.CanWrite = request.CanWrite;
        grant.GrantedAt = time.GetUtcNow();
        grant.GrantedBy = caller.KeyId;
        await db.SaveChangesAsync(ct);
        var rights = request.CanRead && request.CanWrite ? "read+write" : request.CanRead ? "read" : "write";
        await audit.RecordAsync("taxii.grant.set", $"taxii-collection/{id} key/{keyId} {rights}", key.OrganisationId, ct);
        return TypedResults.Ok(new GrantView(keyId, key.Name, key.Scope, grant.CanRead, grant.CanWrite, grant.GrantedAt));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid id, Guid keyId, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var removed = await db.TaxiiGrants.Where(g => g.CollectionId == id && g.KeyId == keyId).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync("taxii.grant.remove", $"taxii-collection/{id} key/{keyId}", null, ct);
        return TypedResults.NoContent();
    }

    private static async Task<List<(Guid CollectionId, GrantView View)>> GrantsAsync(BulwarkDbContext db, Guid? collectionId, CancellationToken ct)
    {
        var query = db.TaxiiGrants.AsNoTracking();
        if (collectionId is { } id)
        {
            query = query.Where(g => g.CollectionId == id);
        }

        var rows = await query.Join(db.ApiKeys.AsNoTracking(), g => g.KeyId, k => k.Id, (g, k) => new { g, k.Name, k.Scope }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.g.GrantedAt).Select(r => (r.g.CollectionId, new GrantView(r.g.KeyId, r.Name, r.Scope, r.g.CanRead, r.g.CanWrite, r.g.GrantedAt)))];
    }

    private static CollectionView View(TaxiiCollection c, int objects, IReadOnlyList<GrantView> grants, HttpRequest http, TaxiiOptions options) =>
        new(c.Id, c.Title, c.Description, c.Alias, c.MaxTlp, c.CreatedAt, objects, grants,
            $"{options.ApiRootUrl(http)}collections/{c.Id:D}/");

    private static bool IsAlias(string alias) =>
        alias.Length is >= 1 and <= 100 && alias.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
