using System.Globalization;
using Bulwark.Data;
using Bulwark.Data.Audit;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Operator;

/// <summary>
/// The audit log, newest first, 50 entries a page, filtered by the query string, with the hash chain's
/// verification (as <c>GET /api/v1/audit</c>). Viewing it is not itself audited: entries name actions, ids and
/// scopes, never member data (no names, addresses or evidence), and logging each view would bury the chain in
/// records of itself.
/// </summary>
public sealed class AuditModel(BulwarkDbContext db, AuditLog audit, IStringLocalizer<Text.OperatorText> t) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionPrefix { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Scope { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Organisation { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    // Not "page": Razor Pages keeps that route value for the page's own name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public string? PageText { get; set; }

    public int PageNumber { get; private set; } = 1;

    public bool HasOlder { get; private set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    /// <summary>Names of the staff accounts and API keys that acted, by id (people stay ids: that is member data).</summary>
    public IReadOnlyDictionary<Guid, string> Actors { get; private set; } = new Dictionary<Guid, string>();

    public long? FirstBroken { get; private set; }

    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Scopes = await db.Audit.AsNoTracking().Select(a => a.ActorScope).Distinct().OrderBy(s => s).ToListAsync(ct);
        FirstBroken = await audit.VerifyAsync(ct);
        Total = await db.Audit.CountAsync(ct);

        var query = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(ActionPrefix))
        {
            var prefix = ActionPrefix.Trim();
            if (prefix.Length > 100)
            {
                ModelState.AddModelError(nameof(ActionPrefix), t["The action filter is too long (100 characters at most)."]);
            }

            query = query.Where(a => a.Action.StartsWith(prefix));
        }

        if (!string.IsNullOrWhiteSpace(Scope))
        {
            var scope = Scope.Trim();
            query = query.Where(a => a.ActorScope == scope);
        }

        if (!string.IsNullOrWhiteSpace(Organisation))
        {
            if (Guid.TryParse(Organisation.Trim(), out var org))
            {
                query = query.Where(a => a.OrganisationId == org);
            }
            else
            {
                ModelState.AddModelError(nameof(Organisation), t["The organisation filter must be an organisation id, such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b."]);
            }
        }

        if (Day(From, nameof(From)) is { } from)
        {
            query = query.Where(a => a.At >= from);
        }

        if (Day(To, nameof(To)) is { } to)
        {
            var end = to.AddDays(1);
            query = query.Where(a => a.At < end);
        }

        if (!string.IsNullOrEmpty(PageText))
        {
            if (int.TryParse(PageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= 1_000_000)
            {
                PageNumber = page;
            }
            else
            {
                ModelState.AddModelError(nameof(PageText), t["The page number must be a whole number from 1."]);
            }
        }

        if (!ModelState.IsValid)
        {
            return;
        }

        var entries = await query.OrderByDescending(a => a.Sequence).Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasOlder = entries.Count > PageSize;
        Entries = [.. entries.Take(PageSize)];

        var ids = Entries.Where(e => e.ActorId is not null).Select(e => e.ActorId!.Value).Distinct().ToList();
        var actors = new Dictionary<Guid, string>();
        foreach (var staff in await db.PortalUsers.AsNoTracking().Where(u => ids.Contains(u.Id) && u.PersonId == null).Select(u => new { u.Id, u.UserName }).ToListAsync(ct))
        {
            actors[staff.Id] = staff.UserName ?? "";
        }

        foreach (var key in await db.ApiKeys.AsNoTracking().Where(k => ids.Contains(k.Id)).Select(k => new { k.Id, k.Name }).ToListAsync(ct))
        {
            actors[key.Id] = t["key \"{0}\"", key.Name];
        }

        Actors = actors;
    }

    /// <summary>The filter query for another page of the same results.</summary>
    public Dictionary<string, string> Route(int page)
    {
        var route = new Dictionary<string, string>();
        foreach (var (key, value) in new[] { ("action", ActionPrefix), ("scope", Scope), ("organisation", Organisation), ("from", From), ("to", To) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                route[key] = value.Trim();
            }
        }

        route["p"] = page.ToString(CultureInfo.InvariantCulture);
        return route;
    }

    /// <summary>A day of the date filter (yyyy-MM-dd, as a date field sends it), as its first instant in UTC.</summary>
    private DateTimeOffset? Day(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        ModelState.AddModelError(field, t["Dates are written year-month-day, such as 2026-03-02."]);
        return null;
    }
}
