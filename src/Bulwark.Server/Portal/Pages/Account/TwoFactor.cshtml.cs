using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>The second step after a correct password: a TOTP code.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class TwoFactorModel(SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : PageModel
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

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? t["Too many failed attempts: this account is locked for 15 minutes."]
            : t["That code is not right. Codes change every 30 seconds; enter the current one."]);
        return Page();
    }
}
