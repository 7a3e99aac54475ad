using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>The second step with a one-use recovery code instead of the authenticator.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class RecoveryModel(SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/SignIn");
        }

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync((Code ?? "").Replace(" ", "", StringComparison.Ordinal));
        if (result.Succeeded)
        {
            TempData["Status"] = t["Signed in with a recovery code. That code is now used up."].Value;
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? t["Too many failed attempts: this account is locked for 15 minutes."]
            : t["That recovery code is not valid (or was used already)."]);
        return Page();
    }
}
