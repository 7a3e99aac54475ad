using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Security;

/// <summary>Replaces the password (the one-time one included); other sessions end, this one is renewed.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class ChangePasswordModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : PageModel
{
    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? New { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public bool MustChange => User.HasClaim(PortalClaims.MustChangePasswordClaim, "true");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (New != Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), t["The two new passwords differ."]);
            return Page();
        }

        if (string.IsNullOrEmpty(Current) || string.IsNullOrEmpty(New))
        {
            ModelState.AddModelError(string.Empty, t["Enter your current password and the new one."]);
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, Current, New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, Describe(error));
            }

            return Page();
        }

        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await signIn.RefreshSignInAsync(user);
        TempData["Status"] = t["Password changed. Other sessions have ended."].Value;
        return Redirect("/");
    }

    private string Describe(IdentityError error) => error.Code switch
    {
        "PasswordMismatch" => t["The current password is not right."],
        "PasswordTooShort" => t["The new password is too short: 12 characters at least."],
        "PasswordRequiresUniqueChars" => t["The new password repeats too few characters: use at least 4 different ones."],
        "PasswordBreached" => t["This password appears in known data breaches; choose another (a passphrase of several words works well)."],
        "PasswordContainsName" => t["The password must not contain your user name or address."],
        _ => error.Description,
    };
}
