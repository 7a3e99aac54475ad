using Bulwark.Data;
using Bulwark.Data.Access;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Access;

public static class AccessApi
{
    public static RouteGroupBuilder MapAccessApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("API keys");
        keys.MapPost("/", CreateAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Create an API key. The token is returned once; only its hash is stored.");
        keys.MapGet("/", ListAsync).RequireAuthorization(Policies.Operator);
        keys.MapDelete("/{id:guid}", RevokeAsync).RequireAuthorization(Policies.Operator);

        var orgKeys = api.MapGroup("/organisations/{organisationId:guid}/keys").WithTags("API keys");
        orgKeys.MapPost("/", CreateForOrganisationAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("An org admin creates an ingest key for its own organisation.");
        return api;
    }

    public sealed record CreateKeyRequest(string Name, ApiKeyScope Scope, Guid? OrganisationId);

    public sealed record KeyView(Guid Id, string Name, ApiKeyScope Scope, Guid? OrganisationId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

    public sealed record CreatedKey(KeyView Key, string Token);

    private static async Task<Results<Created<CreatedKey>, ValidationProblem>> CreateAsync(
        CreateKeyRequest request, ApiKeys apiKeys, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors["name"] = ["a name of 1 to 200 characters is required"];
        }

        var organisational = request.Scope is ApiKeyScope.OrganisationIngest or ApiKeyScope.OrganisationAdmin;
        if (organisational && request.OrganisationId is null)
        {
            errors["organisationId"] = [$"required for scope {request.Scope}"];
        }
        else if (!organisational && request.OrganisationId is not null)
        {
            errors["organisationId"] = [$"must be empty for scope {request.Scope}"];
        }
        else if (request.OrganisationId is { } org && !await db.Organisations.AnyAsync(o => o.Id == org, ct))
        {
            errors["organisationId"] = ["no such organisation"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (key, token) = await apiKeys.CreateAsync(request.Name.Trim(), request.Scope, request.OrganisationId, caller.KeyId, ct);
        await audit.RecordAsync("key.create", $"key/{key.Id}", key.OrganisationId, ct);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", new CreatedKey(View(key), token));
    }

    private static async Task<Results<Created<CreatedKey>, ValidationProblem, NotFound>> CreateForOrganisationAsync(
        Guid organisationId, CreateKeyRequest request, ApiKeys apiKeys, Caller caller, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        if (request.Scope != ApiKeyScope.OrganisationIngest || string.IsNullOrWhiteSpace(request.Name))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["scope"] = ["org admins create OrganisationIngest keys, with a name"] });
        }

        var (key, token) = await apiKeys.CreateAsync(request.Name.Trim(), ApiKeyScope.OrganisationIngest, organisationId, caller.KeyId, ct);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", new CreatedKey(View(key), token));
    }

    private static async Task<Ok<List<KeyView>>> ListAsync(BulwarkDbContext db, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(keys.Select(View).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid id, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return TypedResults.NotFound();
        }

        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("key.revoke", $"key/{key.Id}", key.OrganisationId, ct);
        return TypedResults.NoContent();
    }

    private static KeyView View(ApiKey k) => new(k.Id, k.Name, k.Scope, k.OrganisationId, k.CreatedAt, k.RevokedAt, k.LastUsedAt);
}
