using Bulwark.Data;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Notification;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal.Pages.Org;

/// <summary>
/// Who is emailed about notices, in escalation order (ADR 8): step 0 at once; a critical notice nobody acknowledged
/// in time goes to the next step. Move a contact a step up or down, add, remove.
/// </summary>
public sealed class ContactsModel(
    BulwarkDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    IStringLocalizer<Text.OrgText> t) : PageModel
{
    public sealed record ContactRow(Guid Id, string Email, string? Name, int Order, string Language);

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public int? Order { get; set; }

    [BindProperty]
    public string? Language { get; set; }

    public IReadOnlyList<ContactRow> Contacts { get; private set; } = [];

    public TimeSpan EscalationDelay => options.Value.EscalationDelay;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        if (!ModelState.IsValid)
        {
            // A step that is not a number: the binder says so; say it plainly instead.
            ModelState.Clear();
            ModelState.AddModelError(nameof(Order), t["Choose an escalation step from 0 to {0}.", ContactsApi.MaxEscalationOrder]);
            await LoadAsync(ct);
            return Page();
        }

        if (Language is not (null or "" or "en" or "fr" or "es"))
        {
            ModelState.AddModelError(nameof(Language), t["Choose the language of the emails: English, French or Spanish."]);
            await LoadAsync(ct);
            return Page();
        }

        var (contact, errors) = await ContactsApi.AddContactAsync(org, new ContactsApi.ContactRequest(Email, Name, Order, Language), db, audit, time, ct);
        foreach (var field in errors.Keys)
        {
            ModelState.AddModelError(field, field switch
            {
                "email" => t["Enter a plain email address such as name@example.org."],
                "name" => t["The name can have at most 200 characters."],
                "escalationOrder" => t["Choose an escalation step from 0 to {0}.", ContactsApi.MaxEscalationOrder],
                _ => t["Choose the language of the emails: English, French or Spanish."],
            });
        }

        if (errors.Count == 0 && contact is null)
        {
            ModelState.AddModelError(nameof(Email), t["{0} is already a contact.", Email?.Trim() ?? ""]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        TempData["Status"] = t["{0} is added at step {1}.", contact!.Email, contact.EscalationOrder].Value;
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostUpAsync(Guid id, CancellationToken ct) => MoveAsync(id, -1, ct);

    public Task<IActionResult> OnPostDownAsync(Guid id, CancellationToken ct) => MoveAsync(id, +1, ct);

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var email = await db.NoticeContacts.Where(c => c.OrganisationId == org && c.Id == id).Select(c => c.Email).FirstOrDefaultAsync(ct);
        if (email is null || !await ContactsApi.RemoveContactAsync(org, id, db, audit, ct))
        {
            return NotFound();
        }

        TempData["Status"] = t["{0} is no longer a contact.", email].Value;
        return RedirectToPage();
    }

    private async Task<IActionResult> MoveAsync(Guid id, int step, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        if (!await ContactsApi.MoveContactAsync(org, id, step, db, audit, ct))
        {
            return NotFound();
        }

        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        Contacts = await db.NoticeContacts.AsNoTracking().Where(c => c.OrganisationId == org)
            .OrderBy(c => c.EscalationOrder).ThenBy(c => c.Email)
            .Select(c => new ContactRow(c.Id, c.Email, c.Name, c.EscalationOrder, c.Language)).ToListAsync(ct);
    }
}
