using Bulwark.Data;
using Bulwark.Data.Access;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership;

/// <summary>
/// Who may act on the organisation named in a route. Anyone else gets 404, not 403: a member must not learn
/// which other organisations exist.
/// </summary>
public static class MemberAccess
{
    /// <summary>The organisation's own admin key, or instance-wide staff (whose reads are audited).</summary>
    public static bool MayRead(Caller caller, Guid organisationId) => caller.IsInstanceWide || caller.OrganisationId == organisationId;

    /// <summary>The organisation's own admin key.</summary>
    public static bool MayAdminister(Caller caller, Guid organisationId) =>
        caller.Scope == ApiKeyScope.OrganisationAdmin && caller.OrganisationId == organisationId;

    /// <summary>The organisation's status, or null when it does not exist for this caller.</summary>
    public static Task<OrganisationStatus?> StatusAsync(BulwarkDbContext db, Guid organisationId, CancellationToken ct) =>
        db.Organisations.AsNoTracking().Where(o => o.Id == organisationId).Select(o => (OrganisationStatus?)o.Status).FirstOrDefaultAsync(ct);

    public static ProblemHttpResult NotAdmitted(OrganisationStatus status) => TypedResults.Problem(
        $"the organisation is {status}: only admitted members manage domains and people",
        statusCode: StatusCodes.Status409Conflict,
        title: "The organisation is not an admitted member");

    public static Task<bool> ExistsAsync(BulwarkDbContext db, Guid organisationId, CancellationToken ct) =>
        db.Organisations.AnyAsync(o => o.Id == organisationId, ct);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
