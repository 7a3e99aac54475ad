using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Analyst;

/// <summary>
/// The triage queue: unconfirmed incidents of every member, worst first (severity, confidence, then the most recently
/// seen), filtered by organisation and severity. Analysts act across members, so every view is audited.
/// </summary>
public sealed class IndexModel(BulwarkDbContext db, AuditLog audit, IStringLocalizer<Text.AnalystText> t) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The audit entry's target for a view of the queue.</summary>
    public const string AuditTarget = "portal/analyst";

    public sealed record Row(
        Guid Id,
        string Title,
        Severity Severity,
        Confidence Confidence,
        Guid OrganisationId,
        string OrganisationName,
        int Findings,
        DateTimeOffset? FirstSeen,
        DateTimeOffset? LastSeen);

    public sealed record OrganisationOption(Guid Id, string Name);

    [BindProperty(SupportsGet = true)]
    public Guid? Organisation { get; set; }

    [BindProperty(SupportsGet = true)]
    public Severity? Severity { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public IReadOnlyList<OrganisationOption> Organisations { get; private set; } = [];

    public string? Problem { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            // A hand-written query string: show the whole queue and say the filter was not understood.
            Problem = t["That filter was not understood; showing every unconfirmed incident."];
            (Organisation, Severity, PageNumber) = (null, null, 1);
            ModelState.Clear();
        }

        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var query = db.Incidents.AsNoTracking().Where(i => i.Status == IncidentStatus.Unconfirmed);
        if (Organisation is { } org)
        {
            query = query.Where(i => i.OrganisationId == org);
        }

        if (Severity is { } severity)
        {
            query = query.Where(i => i.Severity == severity);
        }

        Total = await query.CountAsync(ct);
        // Levels are stored as names: rank them in SQL so the worst come first on every page.
        Rows = await query
            .OrderByDescending(i => i.Severity == Core.Findings.Severity.Critical ? 4
                : i.Severity == Core.Findings.Severity.High ? 3
                : i.Severity == Core.Findings.Severity.Medium ? 2
                : i.Severity == Core.Findings.Severity.Low ? 1 : 0)
            .ThenByDescending(i => i.Confidence == Confidence.High ? 2 : i.Confidence == Confidence.Medium ? 1 : 0)
            .ThenByDescending(i => i.LastSeen ?? i.CreatedAt)
            .ThenByDescending(i => i.CreatedAt)
            .ThenBy(i => i.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .Select(i => new Row(
                i.Id,
                i.Title,
                i.Severity,
                i.Confidence,
                i.OrganisationId,
                db.Organisations.Where(o => o.Id == i.OrganisationId).Select(o => o.Name).FirstOrDefault() ?? "",
                db.Findings.Count(f => f.IncidentId == i.Id),
                i.FirstSeen,
                i.LastSeen))
            .ToListAsync(ct);
        Organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ThenBy(o => o.Id)
            .Select(o => new OrganisationOption(o.Id, o.Name)).ToListAsync(ct);
        await audit.RecordStaffReadAsync("incident.list", AuditTarget, Organisation, ct);
        return Page();
    }

    /// <summary>This queue's address with the current filters and another page.</summary>
    public string PageLink(int page)
    {
        var query = new List<string>();
        if (Organisation is { } org)
        {
            query.Add("organisation=" + org);
        }

        if (Severity is { } severity)
        {
            query.Add("severity=" + severity);
        }

        query.Add("p=" + page);
        return "/analyst?" + string.Join('&', query);
    }
}
