using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal.Pages.Org.Incidents;

/// <summary>The organisation's incidents, most recently updated first; filter by status.</summary>
public sealed class IndexModel(BulwarkDbContext db, Caller caller, PersonalVisibility visibility) : PageModel
{
    public const int Limit = 200;

    public sealed record Row(Guid Id, string Title, Severity Severity, IncidentStatus Status, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, int Findings, DateTimeOffset UpdatedAt, Guid? MergedIntoId);

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    public IncidentStatus? Filter { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    /// <summary>The title of each incident a listed one was merged into (those the organisation may see).</summary>
    public IReadOnlyDictionary<Guid, string> MergedInto { get; private set; } = new Dictionary<Guid, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var shared = await OrgData.SharedPeopleAsync(visibility, org, ct);
        var query = OrgData.VisibleIncidents(db, shared);
        if (Enum.TryParse<IncidentStatus>(Status, ignoreCase: true, out var status) && Enum.IsDefined(status))
        {
            Filter = status;
            query = query.Where(i => i.Status == status);
        }

        Total = await query.CountAsync(ct);
        Rows = await query.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id).Take(Limit)
            .Select(i => new Row(
                i.Id, i.Title, i.Severity, i.Status, i.FirstSeen, i.LastSeen,
                db.Findings.Count(f => f.IncidentId == i.Id && (f.PersonId == null || shared.Contains(f.PersonId.Value))),
                i.UpdatedAt,
                i.MergedIntoId))
            .ToListAsync(ct);
        MergedInto = await OrgData.MergedIntoTitlesAsync(db, shared, [.. Rows.Where(r => r.MergedIntoId is not null).Select(r => r.MergedIntoId!.Value).Distinct()], ct);
    }
}
