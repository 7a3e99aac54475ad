using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>
/// The second sign-in step after a correct password, with an authenticator code (<see cref="TwoFactorModel"/>) or a
/// recovery code (<see cref="RecoveryModel"/>): only for a visitor who passed the password step (otherwise back to
/// sign-in), then to a local return address on success; a lockout is said as such. Each page says how it checks its
/// code and what a wrong one means; each keeps its own rate limit.
/// </summary>
public abstract class TwoFactorStepModel(SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToPage("/Account/SignIn");
        }

        var result = await SignInWithAsync(signIn, Code ?? "");
        if (result.Succeeded)
        {
            if (SignedIn(t) is { } status)
            {
                TempData["Status"] = status;
            }

            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? t["Too many failed attempts: this account is locked for 15 minutes."]
            : WrongCode(t));
        return Page();
    }

    /// <summary>Signs in with the code as typed.</summary>
    protected abstract Task<Microsoft.AspNetCore.Identity.SignInResult> SignInWithAsync(SignInManager<PortalUser> manager, string code);

    /// <summary>What the page says to a code that is not right (the account not locked).</summary>
    protected abstract string WrongCode(IStringLocalizer<Text.AccountText> words);

    /// <summary>What the next page says after a sign-in with this step, if anything.</summary>
    protected virtual string? SignedIn(IStringLocalizer<Text.AccountText> words) => null;
}
