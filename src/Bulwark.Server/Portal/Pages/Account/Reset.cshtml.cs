using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>
/// A forgotten password is replaced with the reset code an admin read out (and a recovery code when two-factor
/// sign-in is on): never through an emailed link (ADR 11). Success ends every session of the account.
/// </summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class ResetModel(PasswordResets resets, IStringLocalizer<Text.ResetText> t) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    /// <summary>Set once the code proved right but a recovery code is needed: the page then asks for it first.</summary>
    public bool NeedsRecoveryCode { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrWhiteSpace(Code) || string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(string.Empty, t["Enter your user name, the reset code and a new password."]);
            return Page();
        }

        if (NewPassword != Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), t["The two new passwords differ."]);
            return Page();
        }

        var result = await resets.RedeemAsync(UserName, Code, RecoveryCode, NewPassword, ct);
        switch (result.Outcome)
        {
            case ResetOutcome.Done:
                TempData["Status"] = t["Your password is changed, and every other session of your account has ended. Sign in with the new password."].Value;
                return RedirectToPage("/Account/SignIn");
            case ResetOutcome.Expired:
                ModelState.AddModelError(nameof(Code), t["This reset code has expired (codes work for 24 hours). Ask for a new one."]);
                break;
            case ResetOutcome.RecoveryCodeRequired:
                NeedsRecoveryCode = true;
                ModelState.AddModelError(nameof(RecoveryCode), t["Your account has two-factor sign-in: enter one of your recovery codes as well. The reset code alone is not enough."]);
                break;
            case ResetOutcome.RecoveryCodeInvalid:
                NeedsRecoveryCode = true;
                ModelState.AddModelError(nameof(RecoveryCode), t["That recovery code is not valid (or was used already)."]);
                break;
            case ResetOutcome.PasswordRejected:
                foreach (var error in result.Errors.DefaultIfEmpty(new IdentityError { Code = "PasswordTooShort" }))
                {
                    ModelState.AddModelError(nameof(NewPassword), Describe(error));
                }

                break;
            default:
                ModelState.AddModelError(string.Empty, t["That user name and reset code do not go together, or the code was already used. Check both, or ask for a new code."]);
                break;
        }

        return Page();
    }

    private string Describe(IdentityError error) => error.Code switch
    {
        "PasswordTooShort" => t["The new password is too short: 12 characters at least."],
        "PasswordRequiresUniqueChars" => t["The new password repeats too few characters: use at least 4 different ones."],
        "PasswordBreached" => t["This password appears in known data breaches; choose another (a passphrase of several words works well)."],
        "PasswordContainsName" => t["The password must not contain your user name or address."],
        _ => error.Description,
    };
}
