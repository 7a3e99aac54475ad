using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership;
using Bulwark.Server.Membership.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal.Pages.Operator;

/// <summary>
/// Applications and members: the operator admits or rejects applicants (as <c>POST …/admit</c> and <c>…/reject</c>
/// do), and may name an admitted organisation's first admin, who is invited by email without the verified-domain
/// rule that holds for an org admin's own invitations: the operator vouches for the address after vetting.
/// </summary>
public sealed class IndexModel(
    BulwarkDbContext db,
    AuditLog audit,
    MembershipMail mail,
    IOptions<MembershipOptions> membership,
    TimeProvider time,
    IStringLocalizer<Text.OperatorText> t) : PageModel
{
    public const int MaxReason = 1000;
    public const int MaxName = 200;

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    [BindProperty]
    public Guid Id { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? AdminEmail { get; set; }

    [BindProperty]
    public string? AdminName { get; set; }

    [BindProperty]
    public string? AdminLanguage { get; set; }

    /// <summary>A problem that survived a redirect (the decision was made, the invitation was not).</summary>
    [TempData]
    public string? Problem { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAdmitAsync(CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == Id, ct);
        if (org is null)
        {
            return NotFound();
        }

        var reason = CheckReason(org, required: false);
        var contact = CheckContact(org);
        if (org.Status != OrganisationStatus.Applied)
        {
            ModelState.AddModelError(string.Empty, t["{0} is no longer waiting for a decision (it is {1}): nothing was changed.", org.Name, OperatorNames.Status(org.Status, t)]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        // One conditional update: of two operators deciding at once, one wins and the other is told.
        var now = time.GetUtcNow();
        var decided = await db.Organisations.Where(o => o.Id == org.Id && o.Status == OrganisationStatus.Applied)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrganisationStatus.Admitted).SetProperty(o => o.StatusReason, reason).SetProperty(o => o.AdmittedAt, now), ct);
        if (decided == 0)
        {
            return Decided(org);
        }

        await audit.RecordAsync("organisation.admit", $"organisation/{org.Id}", org.Id, ct);
        var status = t["{0} is admitted.", org.Name].Value;
        if (contact is { } c)
        {
            org.Status = OrganisationStatus.Admitted;
            status = await InviteAsync(org, c, status, ct);
        }

        TempData["Status"] = status;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == Id, ct);
        if (org is null)
        {
            return NotFound();
        }

        var reason = CheckReason(org, required: true);
        if (org.Status != OrganisationStatus.Applied)
        {
            ModelState.AddModelError(string.Empty, t["{0} is no longer waiting for a decision (it is {1}): nothing was changed.", org.Name, OperatorNames.Status(org.Status, t)]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var decided = await db.Organisations.Where(o => o.Id == org.Id && o.Status == OrganisationStatus.Applied)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrganisationStatus.Rejected).SetProperty(o => o.StatusReason, reason), ct);
        if (decided == 0)
        {
            return Decided(org);
        }

        await audit.RecordAsync("organisation.reject", $"organisation/{org.Id}", org.Id, ct);
        TempData["Status"] = t["{0} is rejected.", org.Name].Value;
        return RedirectToPage();
    }

    /// <summary>Invites an org admin for an admitted member (the first one, or again after a failed email).</summary>
    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == Id, ct);
        if (org is null)
        {
            return NotFound();
        }

        var contact = CheckContact(org);
        if (contact is null && ModelState.IsValid)
        {
            ModelState.AddModelError(nameof(AdminEmail), t["{0}: enter the work email of the person to invite.", org.Name]);
        }

        if (org.Status != OrganisationStatus.Admitted)
        {
            ModelState.AddModelError(string.Empty, t["{0} is not an admitted member (it is {1}): only members' admins can be invited.", org.Name, OperatorNames.Status(org.Status, t)]);
        }

        if (!ModelState.IsValid || contact is null)
        {
            await LoadAsync(ct);
            return Page();
        }

        TempData["Status"] = await InviteAsync(org, contact, null, ct);
        return RedirectToPage();
    }

    private async Task<string?> InviteAsync(Organisation org, Contact contact, string? status, CancellationToken ct)
    {
        var issued = await Invitations.SendAsync(db, mail, audit, org, contact.Email, PersonRole.OrgAdmin, contact.Language, time.GetUtcNow(), membership.Value.InvitationLifetime, ct);
        var who = contact.Name is null ? contact.Email : $"{contact.Name} <{contact.Email}>";
        switch (issued.Refusal)
        {
            case InviteRefusal.None:
                return Join(status, t["An invitation to be an admin of {0} was emailed to {1}. It works once, until {2}.", org.Name, who, OperatorNames.Instant(issued.Invitation!.ExpiresAt)]);
            case InviteRefusal.AlreadyInvited:
                Problem = t["An invitation to {0} is already waiting to be accepted (until {1}): no new one was sent.", contact.Email, OperatorNames.Instant(issued.PendingUntil!.Value)];
                return status;
            case InviteRefusal.AlreadyMember:
                Problem = t["{0} already belongs to a person of {1}: no invitation was sent.", contact.Email, org.Name];
                return status;
            default:
                Problem = t["The invitation email to {0} could not be sent, so no invitation was made. Check the email delivery settings, then invite again from the members list.", contact.Email];
                return status;
        }
    }

    private static string Join(string? first, string second) => first is null ? second : first + " " + second;

    private RedirectToPageResult Decided(Organisation org)
    {
        Problem = t["Another operator decided on {0} a moment ago: nothing was changed.", org.Name];
        return RedirectToPage();
    }

    private string? CheckReason(Organisation org, bool required)
    {
        var reason = Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            if (required)
            {
                ModelState.AddModelError(nameof(Reason), t["{0}: give the reason for the rejection (the applicant may ask for it).", org.Name]);
            }

            return null;
        }

        if (reason.Length > MaxReason)
        {
            ModelState.AddModelError(nameof(Reason), t["{0}: the reason is too long ({1} characters at most).", org.Name, MaxReason]);
        }

        return reason;
    }

    private sealed record Contact(string Email, string? Name, string Language);

    /// <summary>The first admin's address, name and language, when an address was given; errors go to the model state.</summary>
    private Contact? CheckContact(Organisation org)
    {
        var given = AdminEmail?.Trim();
        var name = AdminName?.Trim();
        if (string.IsNullOrEmpty(given))
        {
            if (!string.IsNullOrEmpty(name))
            {
                ModelState.AddModelError(nameof(AdminEmail), t["{0}: a name was given without a work email; enter the address the invitation goes to.", org.Name]);
            }

            return null;
        }

        if (!EmailAddress.TryNormalise(given, out var email, out _))
        {
            ModelState.AddModelError(nameof(AdminEmail), t["{0}: \"{1}\" is not a valid email address.", org.Name, given.Length > 100 ? given[..100] + "…" : given]);
        }

        if (name is { Length: > MaxName } || (name is not null && name.Any(char.IsControl)))
        {
            ModelState.AddModelError(nameof(AdminName), t["{0}: the name must be at most {1} characters, without control characters.", org.Name, MaxName]);
        }

        var language = AdminLanguage is "fr" or "es" ? AdminLanguage : "en";
        return ModelState.IsValid ? new Contact(email, string.IsNullOrEmpty(name) ? null : name, language) : null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        // Applicants first, then members, then the rest; oldest first within each.
        var all = await db.Organisations.AsNoTracking().ToListAsync(ct);
        Organisations = [.. all.OrderBy(o => o.Status).ThenBy(o => o.CreatedAt)];
        await audit.RecordStaffReadAsync("organisation.list", "organisations", null, ct);
    }
}
