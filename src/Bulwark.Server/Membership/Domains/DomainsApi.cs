using System.Security.Cryptography;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Domains;

/// <summary>An organisation's mail domains, proved by a DNS TXT record at the domain's apex.</summary>
public static class DomainsApi
{
    public const int MaxDomainsPerOrganisation = 100;

    public static RouteGroupBuilder MapDomainsApi(this RouteGroupBuilder api)
    {
        var domains = api.MapGroup("/organisations/{organisationId:guid}/domains").WithTags("Membership");
        domains.MapPost("/", ClaimAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("Claim a mail domain. The answer names the TXT record to publish at the domain's apex.");
        domains.MapGet("/", ListAsync).RequireAuthorization(Policies.OrganisationRead);
        domains.MapPost("/{domainId:guid}/verify", VerifyAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("Look the TXT record up now; 409 says what was found instead.");
        domains.MapDelete("/{domainId:guid}", RemoveAsync).RequireAuthorization(Policies.OrganisationAdmin);
        return api;
    }

    public sealed record DomainRequest(string? Name);

    public sealed record TxtRecordView(string Name, string Type, string Value);

    public sealed record DomainView(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? VerifiedAt, TxtRecordView Record);

    private static async Task<Results<Created<DomainView>, ValidationProblem, NotFound, ProblemHttpResult>> ClaimAsync(
        Guid organisationId, DomainRequest request, BulwarkDbContext db, TenantDatabase databases, Caller caller, AuditLog audit,
        TimeProvider time, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        if (!MemberAccess.MayAdminister(caller, organisationId))
        {
            return TypedResults.NotFound();
        }

        var outcome = await ClaimDomainAsync(organisationId, request.Name, db, databases, audit, time, options.Value, ct);
        return outcome.Refusal switch
        {
            ClaimRefusal.Invalid => MemberAccess.Invalid("name", outcome.Error!),
            ClaimRefusal.NotFound => TypedResults.NotFound(),
            ClaimRefusal.NotAdmitted => MemberAccess.NotAdmitted(outcome.Status!.Value),
            ClaimRefusal.TooMany => Conflict("Too many domains", $"an organisation may claim at most {MaxDomainsPerOrganisation} domains; remove unused ones first"),
            ClaimRefusal.AlreadyOurs => Conflict("Already claimed", $"this organisation already claimed {outcome.Name} (domain {outcome.ExistingId})"),
            ClaimRefusal.TakenElsewhere => Conflict("Already claimed", $"{outcome.Name} is already claimed on this instance; if it is yours, ask the operator"),
            _ => TypedResults.Created($"/api/v1/organisations/{organisationId}/domains/{outcome.Domain!.Id}", View(outcome.Domain)),
        };
    }

    /// <summary>Why a claim was refused (<see cref="ClaimRefusal.None"/>: claimed).</summary>
    public enum ClaimRefusal
    {
        None,
        Invalid,
        NotFound,
        NotAdmitted,
        TooMany,
        AlreadyOurs,
        TakenElsewhere,
    }

    public sealed record ClaimOutcome(ClaimRefusal Refusal, OrganisationDomain? Domain = null, string? Name = null, string? Error = null, OrganisationStatus? Status = null, Guid? ExistingId = null);

    /// <summary>
    /// Claims a domain for the organisation (the API and the portal): names are unique across the instance, and a
    /// claim never proved lapses after <see cref="MembershipOptions.UnverifiedDomainClaimLifetime"/> so no member can
    /// squat on another's domain. The caller has checked it may administer <paramref name="organisationId"/>.
    /// </summary>
    public static async Task<ClaimOutcome> ClaimDomainAsync(
        Guid organisationId, string? requested, BulwarkDbContext db, TenantDatabase databases, AuditLog audit, TimeProvider time, MembershipOptions options, CancellationToken ct)
    {
        if (!HostName.TryNormalise(requested, out var name, out var error))
        {
            return new ClaimOutcome(ClaimRefusal.Invalid, Error: error);
        }

        var status = await MemberAccess.StatusAsync(db, organisationId, ct);
        if (status is null)
        {
            return new ClaimOutcome(ClaimRefusal.NotFound);
        }

        if (status != OrganisationStatus.Admitted)
        {
            return new ClaimOutcome(ClaimRefusal.NotAdmitted, Status: status);
        }

        if (await db.Domains.CountAsync(d => d.OrganisationId == organisationId, ct) >= MaxDomainsPerOrganisation)
        {
            return new ClaimOutcome(ClaimRefusal.TooMany, Name: name);
        }

        var now = time.GetUtcNow();

        // Names are unique across the instance: look beyond the caller's tenant, for this one name only.
        await using (var instance = databases.OpenInstanceWide())
        {
            var existing = await instance.Domains.FirstOrDefaultAsync(d => d.Name == name, ct);
            if (existing is not null && existing.OrganisationId == organisationId)
            {
                return new ClaimOutcome(ClaimRefusal.AlreadyOurs, Name: name, ExistingId: existing.Id);
            }

            if (existing is not null)
            {
                if (existing.VerifiedAt is not null || existing.CreatedAt + options.UnverifiedDomainClaimLifetime > now)
                {
                    return new ClaimOutcome(ClaimRefusal.TakenElsewhere, Name: name);
                }

                // A claim never proved lapses, so no member can squat on another's domain.
                instance.Domains.Remove(existing);
                await instance.SaveChangesAsync(ct);
                await audit.RecordAsync("domain.claim-lapsed", $"domain/{existing.Id}", existing.OrganisationId, ct);
            }
        }

        var domain = new OrganisationDomain
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            Name = name,
            VerificationToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            CreatedAt = now,
        };
        db.Domains.Add(domain);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another member claimed the same name between the check and the insert (the unique index decides).
            db.Entry(domain).State = EntityState.Detached;
            return new ClaimOutcome(ClaimRefusal.TakenElsewhere, Name: name);
        }

        await audit.RecordAsync("domain.claim", $"domain/{domain.Id}", organisationId, ct);
        return new ClaimOutcome(ClaimRefusal.None, domain, name);
    }

    private static async Task<Results<Ok<List<DomainView>>, NotFound>> ListAsync(Guid organisationId, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        if (!MemberAccess.MayRead(caller, organisationId) || !await MemberAccess.ExistsAsync(db, organisationId, ct))
        {
            return TypedResults.NotFound();
        }

        var domains = await db.Domains.AsNoTracking().Where(d => d.OrganisationId == organisationId).OrderBy(d => d.Name).ToListAsync(ct);
        await audit.RecordStaffReadAsync("domain.list", $"organisation/{organisationId}/domains", organisationId, ct);
        return TypedResults.Ok(domains.Select(View).ToList());
    }

    private static async Task<Results<Ok<DomainView>, NotFound, ProblemHttpResult>> VerifyAsync(
        Guid organisationId, Guid domainId, BulwarkDbContext db, Caller caller, DomainVerifier verifier, AuditLog audit, TimeProvider time,
        IOptions<DnsOptions> dns, CancellationToken ct)
    {
        if (!MemberAccess.MayAdminister(caller, organisationId))
        {
            return TypedResults.NotFound();
        }

        var (domain, check) = await VerifyDomainAsync(organisationId, domainId, db, verifier, audit, time, ct);
        if (domain is null)
        {
            return TypedResults.NotFound();
        }

        if (check is null)
        {
            return TypedResults.Ok(View(domain));
        }

        var expected = DomainVerifier.ExpectedRecord(domain.VerificationToken);
        var publish = $"publish a TXT record at {domain.Name} with the value {expected}, then verify again";
        switch (check.Verdict)
        {
            case DnsVerdict.Verified:
                return TypedResults.Ok(View(domain));
            case DnsVerdict.Timeout:
                return TypedResults.Problem(
                    $"no DNS server answered for {domain.Name} within {dns.Value.Timeout.TotalSeconds:0.#} s; try again later",
                    statusCode: StatusCodes.Status504GatewayTimeout,
                    title: "DNS did not answer");
            case DnsVerdict.ResolverError:
                return TypedResults.Problem(
                    $"the DNS server answered {check.ResponseCode} for {domain.Name}; try again later",
                    statusCode: StatusCodes.Status502BadGateway,
                    title: "DNS lookup failed");
            default:
                var detail = check.Verdict switch
                {
                    DnsVerdict.NoSuchDomain => $"{domain.Name} does not exist in DNS (NXDOMAIN): {publish}",
                    DnsVerdict.NoRecord => $"{domain.Name} has no TXT record: {publish}",
                    _ => $"{domain.Name} has {check.Found.Count} TXT record(s), none of them {expected}; found: {string.Join(" | ", check.Found)}",
                };
                return TypedResults.Problem(
                    detail,
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The verification record was not found",
                    extensions: new Dictionary<string, object?>
                    {
                        ["dns"] = check.ResponseCode,
                        ["expected"] = expected,
                        ["found"] = check.Found,
                    });
        }
    }

    /// <summary>
    /// Looks the domain's TXT record up now and marks it verified when found (the API and the portal). Null domain:
    /// not the organisation's; null check: it was verified already (no lookup).
    /// </summary>
    public static async Task<(OrganisationDomain? Domain, DnsCheck? Check)> VerifyDomainAsync(
        Guid organisationId, Guid domainId, BulwarkDbContext db, DomainVerifier verifier, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId && d.OrganisationId == organisationId, ct);
        if (domain is null || domain.VerifiedAt is not null)
        {
            return (domain, null);
        }

        var check = await verifier.CheckAsync(domain.Name, domain.VerificationToken, ct);
        if (check.Verdict == DnsVerdict.Verified)
        {
            domain.VerifiedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("domain.verify", $"domain/{domain.Id}", organisationId, ct);
        }

        return (domain, check);
    }

    /// <summary>Removes one of the organisation's domains; false when it has no such domain.</summary>
    public static async Task<bool> RemoveDomainAsync(Guid organisationId, Guid domainId, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var removed = await db.Domains.Where(d => d.Id == domainId && d.OrganisationId == organisationId).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return false;
        }

        await audit.RecordAsync("domain.remove", $"domain/{domainId}", organisationId, ct);
        return true;
    }

    private static async Task<Results<NoContent, NotFound>> RemoveAsync(Guid organisationId, Guid domainId, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        if (!MemberAccess.MayAdminister(caller, organisationId))
        {
            return TypedResults.NotFound();
        }

        if (!await RemoveDomainAsync(organisationId, domainId, db, audit, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    private static DomainView View(OrganisationDomain d) =>
        new(d.Id, d.Name, d.CreatedAt, d.VerifiedAt, new TxtRecordView(d.Name, "TXT", DomainVerifier.ExpectedRecord(d.VerificationToken)));
}
