using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Organisations;

/// <summary>Applications, admissions and eligibility.</summary>
public static class OrganisationsApi
{
    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/organisations").WithTags("Organisations");
        orgs.MapPost("/applications", ApplyAsync).AllowAnonymous().RequireRateLimiting(RateLimits.Public)
            .WithSummary("An organisation applies to join. Eligibility (sector, country) is checked now; an operator admits.");
        orgs.MapGet("/", ListAsync).RequireAuthorization(Policies.OrganisationRead);
        orgs.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.OrganisationRead);
        orgs.MapPost("/{id:guid}/admit", AdmitAsync).RequireAuthorization(Policies.Operator);
        orgs.MapPost("/{id:guid}/reject", RejectAsync).RequireAuthorization(Policies.Operator);

        var eligibility = api.MapGroup("/eligibility").WithTags("Organisations");
        eligibility.MapGet("/", GetEligibilityAsync).AllowAnonymous();
        eligibility.MapPut("/", SetEligibilityAsync).RequireAuthorization(Policies.Operator);
        return api;
    }

    public sealed record ApplicationRequest(string Name, Sector Sector, string Country);

    public sealed record OrganisationView(Guid Id, string Name, Sector Sector, string Country, OrganisationStatus Status, string? StatusReason, DateTimeOffset CreatedAt, DateTimeOffset? AdmittedAt);

    public sealed record DecisionRequest(string? Reason);

    public sealed record EligibilityView(IReadOnlyList<Sector> Sectors, IReadOnlyList<string> Countries);

    private static async Task<Results<Created<OrganisationView>, ValidationProblem>> ApplyAsync(
        ApplicationRequest request, TenantDatabase tenants, TimeProvider time, CancellationToken ct)
    {
        // The applicant has no tenant yet: the new organisation is written instance-wide (query filter and
        // row-level security would otherwise refuse a row for an organisation the caller does not belong to).
        await using var db = tenants.OpenInstanceWide();
        var eligibility = new Eligibility(db);
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        var country = request.Country?.Trim().ToUpperInvariant() ?? "";
        if (name.Length is 0 or > 200)
        {
            errors["name"] = ["a name of 1 to 200 characters is required"];
        }

        var settings = await eligibility.GetAsync(ct);
        if (!settings.Sectors.Contains(request.Sector))
        {
            errors["sector"] = [$"sector {request.Sector} is not eligible on this instance; eligible: {string.Join(", ", settings.Sectors)}"];
        }

        if (country.Length != 2 || !settings.Countries.Contains(country))
        {
            errors["country"] = [$"country '{request.Country}' is not eligible on this instance (ISO 3166-1 alpha-2 codes; see GET /api/v1/eligibility)"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var org = new Organisation
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = name,
            Sector = request.Sector,
            Country = country,
            Status = OrganisationStatus.Applied,
            CreatedAt = time.GetUtcNow(),
        };
        db.Organisations.Add(org);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organisations/{org.Id}", View(org));
    }

    private static async Task<Ok<List<OrganisationView>>> ListAsync(BulwarkDbContext db, AuditLog audit, OrganisationStatus? status, CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(o => o.Status == s);
        }

        var list = await query.OrderBy(o => o.CreatedAt).ToListAsync(ct);
        await audit.RecordStaffReadAsync("organisation.list", "organisations", null, ct);
        return TypedResults.Ok(list.Select(View).ToList());
    }

    private static async Task<Results<Ok<OrganisationView>, NotFound>> GetAsync(Guid id, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (org is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordStaffReadAsync("organisation.read", $"organisation/{id}", id, ct);
        return TypedResults.Ok(View(org));
    }

    private static Task<Results<Ok<OrganisationView>, NotFound, Conflict<string>>> AdmitAsync(Guid id, DecisionRequest? request, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, OrganisationStatus.Admitted, request?.Reason, db, audit, time, ct);

    private static Task<Results<Ok<OrganisationView>, NotFound, Conflict<string>>> RejectAsync(Guid id, DecisionRequest? request, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, OrganisationStatus.Rejected, request?.Reason, db, audit, time, ct);

    private static async Task<Results<Ok<OrganisationView>, NotFound, Conflict<string>>> DecideAsync(
        Guid id, OrganisationStatus decision, string? reason, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var org = await db.Organisations.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (org is null)
        {
            return TypedResults.NotFound();
        }

        if (org.Status != OrganisationStatus.Applied)
        {
            return TypedResults.Conflict($"the organisation is {org.Status}, not awaiting a decision");
        }

        org.Status = decision;
        org.StatusReason = reason;
        if (decision == OrganisationStatus.Admitted)
        {
            org.AdmittedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(decision == OrganisationStatus.Admitted ? "organisation.admit" : "organisation.reject", $"organisation/{id}", id, ct);
        return TypedResults.Ok(View(org));
    }

    private static async Task<Ok<EligibilityView>> GetEligibilityAsync(Eligibility eligibility, CancellationToken ct)
    {
        var s = await eligibility.GetAsync(ct);
        return TypedResults.Ok(new EligibilityView(s.Sectors, s.Countries));
    }

    private static async Task<Results<Ok<EligibilityView>, ValidationProblem>> SetEligibilityAsync(EligibilityView request, Eligibility eligibility, AuditLog audit, CancellationToken ct)
    {
        var bad = request.Countries.Where(c => c.Length != 2 || !c.All(char.IsAsciiLetter)).ToList();
        if (bad.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["countries"] = [$"not ISO 3166-1 alpha-2 codes: {string.Join(", ", bad)}"] });
        }

        var s = await eligibility.SetAsync(request.Sectors, request.Countries, ct);
        await audit.RecordAsync("eligibility.set", "eligibility", null, ct);
        return TypedResults.Ok(new EligibilityView(s.Sectors, s.Countries));
    }

    private static OrganisationView View(Organisation o) => new(o.Id, o.Name, o.Sector, o.Country, o.Status, o.StatusReason, o.CreatedAt, o.AdmittedAt);
}
