using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>Password (then TOTP or a recovery code when two-factor is on) or a passkey.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class SignInModel(SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? CredentialJson { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(string.Empty, t["Enter your user name and password."]);
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(UserName.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        return After(result);
    }

    /// <summary>The WebAuthn request options for <c>navigator.credentials.get</c> (any passkey of this site).</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() =>
        Content(await signIn.MakePasskeyRequestOptionsAsync(user: null), "application/json");

    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        if (string.IsNullOrEmpty(CredentialJson) || CredentialJson.Length > 16_384)
        {
            ModelState.AddModelError(string.Empty, t["The passkey did not answer. Try again, or sign in with your password."]);
            return Page();
        }

        var result = await signIn.PasskeySignInAsync(CredentialJson);
        return After(result);
    }

    private IActionResult After(Microsoft.AspNetCore.Identity.SignInResult result)
    {
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/TwoFactor", new { ReturnUrl });
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? t["Too many failed attempts: this account is locked for 15 minutes."]
            : t["Wrong user name or password."]);
        return Page();
    }
}
