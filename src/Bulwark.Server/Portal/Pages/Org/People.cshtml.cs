using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership;
using Bulwark.Server.Membership.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal.Pages.Org;

/// <summary>The organisation's people and invitations: invite a staff member at a work address, withdraw an invitation.</summary>
public sealed class PeopleModel(
    BulwarkDbContext db,
    Caller caller,
    MembershipMail mail,
    AuditLog audit,
    TimeProvider time,
    IOptions<MembershipOptions> options,
    IStringLocalizer<Text.OrgText> t) : PageModel
{
    public sealed record PersonRow(string Name, string WorkEmail, PersonRole Role, bool Erased);

    public sealed record InvitationRow(Guid Id, string Email, PersonRole Role, string State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt);

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? Language { get; set; }

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public IReadOnlyList<InvitationRow> Invitations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var orgId = OrgData.OrganisationOf(caller);
        if (!EmailAddress.TryNormalise(Email, out var email, out _))
        {
            ModelState.AddModelError(nameof(Email), t["Enter a work email address such as name@example.org."]);
        }

        if (!Enum.TryParse<PersonRole>(Role, ignoreCase: false, out var role) || !Enum.IsDefined(role))
        {
            ModelState.AddModelError(nameof(Role), t["Choose a role: staff member or organisation admin."]);
        }

        if (Language is not ("en" or "fr" or "es"))
        {
            ModelState.AddModelError(nameof(Language), t["Choose the language of the invitation: English, French or Spanish."]);
        }

        var org = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == orgId, ct);
        if (ModelState.IsValid)
        {
            var (onVerified, verified) = await Membership.People.Invitations.CheckDomainAsync(db, orgId, email, ct);
            if (!onVerified)
            {
                ModelState.AddModelError(nameof(Email), verified.Count == 0
                    ? t["{0} is not a verified domain of your organisation, which has none yet. Claim and verify it under Domains first.", EmailAddress.Domain(email)]
                    : t["{0} is not a verified domain of your organisation. Verified domains: {1}.", EmailAddress.Domain(email), string.Join(", ", verified)]);
            }
            else if (org.Status != OrganisationStatus.Admitted)
            {
                ModelState.AddModelError(string.Empty, t["Only admitted members can invite people."]);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var outcome = await Membership.People.Invitations.SendAsync(db, mail, audit, org, email, role, Language!, time.GetUtcNow(), options.Value.InvitationLifetime, ct);
        switch (outcome.Refusal)
        {
            case InviteRefusal.AlreadyMember:
                ModelState.AddModelError(nameof(Email), t["{0} already belongs to your organisation.", email]);
                break;
            case InviteRefusal.AlreadyInvited:
                ModelState.AddModelError(nameof(Email), t["An invitation to {0} is pending until {1}. Withdraw it to send a new one.", email, OrgData.Time(outcome.PendingUntil)]);
                break;
            case InviteRefusal.NotSent:
                ModelState.AddModelError(string.Empty, t["The invitation email could not be sent, so no invitation was created. Try again later, or ask the operator to check the instance's email settings."]);
                break;
            default:
                TempData["Status"] = t["Invitation sent to {0}. It works once, until {1}.", email, OrgData.Time(outcome.Invitation!.ExpiresAt)].Value;
                return RedirectToPage();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct)
    {
        var orgId = OrgData.OrganisationOf(caller);
        var invitation = await Membership.People.Invitations.WithdrawAsync(db, audit, orgId, id, ct);
        if (invitation is null)
        {
            return NotFound();
        }

        if (invitation.AcceptedAt is not null)
        {
            ModelState.AddModelError(string.Empty, t["The invitation to {0} was accepted; it stays as the record of how they joined.", invitation.Email]);
            await LoadAsync(ct);
            return Page();
        }

        TempData["Status"] = t["The invitation to {0} is withdrawn: its code no longer works.", invitation.Email].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var orgId = OrgData.OrganisationOf(caller);
        var now = time.GetUtcNow();
        People = await db.People.AsNoTracking().Where(p => p.OrganisationId == orgId).OrderBy(p => p.CreatedAt)
            .Select(p => new PersonRow(p.DisplayName, p.WorkEmail, p.Role, p.ErasedAt != null)).ToListAsync(ct);
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.OrganisationId == orgId).OrderBy(i => i.CreatedAt).ToListAsync(ct);
        Invitations = [.. invitations.Select(i => new InvitationRow(i.Id, i.Email, i.Role, Membership.People.Invitations.State(i, now), i.CreatedAt, i.ExpiresAt, i.AcceptedAt))];
        Role ??= nameof(PersonRole.Staff);
        Language ??= "en";
    }
}
