using Bulwark.Data.Portal;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Operator;

/// <summary>
/// The instance's staff accounts (operators, analysts): create one with a one-time password, change roles, unlock,
/// and issue password reset codes, for staff and for people's accounts alike (<see cref="PasswordResets"/>).
/// Secrets made here (one-time passwords, reset codes) are shown once, in the answer to the post; only their hashes are kept.
/// </summary>
public sealed class UsersModel(
    PortalAccounts accounts,
    UserManager<PortalUser> users,
    PasswordResets resets,
    AuditLog audit,
    IStringLocalizer<Text.OperatorText> t) : PageModel
{
    public const int MaxUserName = 64;

    public sealed record Row(PortalAccounts.StaffAccount Account, bool TwoFactor, DateTimeOffset? LockedUntil, bool ResetCodePending);

    public IReadOnlyList<Row> Staff { get; private set; } = [];

    [BindProperty]
    public string? NewUserName { get; set; }

    [BindProperty]
    public string? NewEmail { get; set; }

    [BindProperty]
    public string? NewRole { get; set; }

    [BindProperty]
    public Guid UserId { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? AccountName { get; set; }

    /// <summary>A secret to hand over once: whose it is, what it is, and until when it works (null: until used).</summary>
    public sealed record Secret(string UserName, string Value, DateTimeOffset? ExpiresAt);

    public Secret? OneTimePassword { get; private set; }

    public Secret? ResetCode { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var name = NewUserName?.Trim() ?? "";
        string? email = null;
        if (name.Length is < 3 or > MaxUserName || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            ModelState.AddModelError(nameof(NewUserName), t["A user name has 3 to {0} letters, digits, dots, hyphens or underscores (no spaces, no @).", MaxUserName]);
        }

        if (!string.IsNullOrWhiteSpace(NewEmail) && !EmailAddress.TryNormalise(NewEmail, out email, out _))
        {
            ModelState.AddModelError(nameof(NewEmail), t["\"{0}\" is not a valid email address.", Clip(NewEmail.Trim())]);
        }

        if (NewRole is not (PortalRoles.Operator or PortalRoles.Analyst))
        {
            ModelState.AddModelError(nameof(NewRole), t["Choose a role: operator or analyst."]);
        }

        if (ModelState.IsValid && await users.FindByNameAsync(name) is not null)
        {
            ModelState.AddModelError(nameof(NewUserName), t["An account named {0} exists already.", name]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        // A random password could, very rarely, contain the user name, which the password rules refuse: draw again.
        PortalUser? user = null;
        var password = "";
        for (var attempt = 1; user is null; attempt++)
        {
            password = PortalAccounts.OneTimePassword();
            try
            {
                user = await accounts.CreateStaffAsync(name, email, NewRole!, password, ct);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue;
            }

            if (user is null)
            {
                ModelState.AddModelError(nameof(NewUserName), t["An account named {0} exists already.", name]);
                await LoadAsync(ct);
                return Page();
            }
        }

        await audit.RecordAsync("account.create", $"user/{user.Id}", null, ct);
        OneTimePassword = new Secret(user.UserName!, password, null);
        ModelState.Clear();
        NewUserName = NewEmail = NewRole = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAddRoleAsync(CancellationToken ct)
    {
        var user = await StaffAsync();
        if (user is null)
        {
            return NotFound();
        }

        var refusal = await accounts.AddRoleAsync(user, Role ?? "");
        return await RoleChangedAsync(user, refusal, "account.role.add", ct);
    }

    public async Task<IActionResult> OnPostRemoveRoleAsync(CancellationToken ct)
    {
        var user = await StaffAsync();
        if (user is null)
        {
            return NotFound();
        }

        var refusal = await accounts.RemoveRoleAsync(user, Role ?? "");
        return await RoleChangedAsync(user, refusal, "account.role.remove", ct);
    }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken ct)
    {
        var user = await StaffAsync();
        if (user is null)
        {
            return NotFound();
        }

        await accounts.UnlockAsync(user);
        await audit.RecordAsync("account.unlock", $"user/{user.Id}", null, ct);
        TempData["Status"] = t["{0} is unlocked.", user.UserName!].Value;
        return RedirectToPage();
    }

    /// <summary>A reset code for a staff account of the list.</summary>
    public async Task<IActionResult> OnPostIssueCodeAsync(CancellationToken ct)
    {
        var user = await StaffAsync();
        return user is null ? NotFound() : await IssueAsync(user, ct);
    }

    /// <summary>A reset code for any account by its user name (a person's is their work email).</summary>
    public async Task<IActionResult> OnPostIssueCodeByNameAsync(CancellationToken ct)
    {
        var name = AccountName?.Trim() ?? "";
        var user = name.Length is 0 or > 256 ? null : await users.FindByNameAsync(name);
        if (user is null)
        {
            ModelState.AddModelError(nameof(AccountName), name.Length == 0 ? t["Enter the account's user name (for a person, their work email)."] : t["No account is named {0}.", Clip(name)]);
            await LoadAsync(ct);
            return Page();
        }

        return await IssueAsync(user, ct);
    }

    private async Task<IActionResult> IssueAsync(PortalUser user, CancellationToken ct)
    {
        var (code, expires) = await resets.IssueAsync(user, ct);
        ResetCode = new Secret(user.UserName!, code, expires);
        ModelState.Clear();
        AccountName = null;
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> RoleChangedAsync(PortalUser user, PortalAccounts.RoleChangeRefusal? refusal, string action, CancellationToken ct)
    {
        var role = RoleName(Role ?? "");
        if (refusal is { } r)
        {
            ModelState.AddModelError(nameof(Role), r switch
            {
                PortalAccounts.RoleChangeRefusal.LastOperator => t["{0} is the last operator: the instance needs one. Make another account an operator first.", user.UserName!],
                PortalAccounts.RoleChangeRefusal.AlreadyHeld => t["{0} is already {1}.", user.UserName!, role],
                PortalAccounts.RoleChangeRefusal.NotHeld => t["{0} is not {1}.", user.UserName!, role],
                _ => t["Choose a role: operator or analyst."],
            });
            await LoadAsync(ct);
            return Page();
        }

        await audit.RecordAsync(action, $"user/{user.Id}/{Role}", null, ct);
        TempData["Status"] = (action == "account.role.add" ? t["{0} is now {1}.", user.UserName!, role] : t["{0} is no longer {1}.", user.UserName!, role]).Value;
        return RedirectToPage();
    }

    public string RoleName(string role) => role switch
    {
        PortalRoles.Operator => t["operator"],
        PortalRoles.Analyst => t["analyst"],
        _ => role.Length > 40 ? role[..40] : role,
    };

    /// <summary>The account named in the form when it is staff (operator or analyst); people's accounts are not managed here.</summary>
    private async Task<PortalUser?> StaffAsync()
    {
        var user = UserId == Guid.Empty ? null : await users.FindByIdAsync(UserId.ToString());
        if (user is null)
        {
            return null;
        }

        var roles = await users.GetRolesAsync(user);
        return roles.Any(PortalRoles.All.Contains) ? user : null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = new List<Row>();
        foreach (var account in await accounts.ListStaffAsync(ct))
        {
            // Identity's own test, on Identity's clock: the page says "locked" exactly when sign-in would refuse.
            var u = account.User;
            rows.Add(new Row(account, u.TwoFactorEnabled, await users.IsLockedOutAsync(u) ? u.LockoutEnd : null, await resets.HasPendingCodeAsync(u)));
        }

        Staff = rows;
    }

    private static string Clip(string value) => value.Length > 100 ? value[..100] + "…" : value;
}
