using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Ingestion;

/// <summary>Who may send logs and findings: an organisation key of an admitted member.</summary>
public static class Ingesting
{
    /// <summary>The caller's organisation, or the problem that stops it ingesting.</summary>
    public static async Task<(Guid OrganisationId, ProblemHttpResult? Problem)> OrganisationAsync(Caller caller, BulwarkDbContext db, CancellationToken ct)
    {
        if (caller.OrganisationId is not { } organisationId || organisationId == Guid.Empty)
        {
            return (Guid.Empty, TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Logs and findings belong to an organisation",
                detail: "use an organisation's ingest or admin key"));
        }

        var status = await db.Organisations.AsNoTracking().Where(o => o.Id == organisationId).Select(o => (OrganisationStatus?)o.Status).FirstOrDefaultAsync(ct);
        return status == OrganisationStatus.Admitted
            ? (organisationId, null)
            : (organisationId, TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The organisation is not an admitted member",
                detail: $"the organisation is {status?.ToString() ?? "unknown"}: only admitted members send logs and findings"));
    }
}
