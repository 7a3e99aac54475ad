using Bulwark.Data.Portal;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Me;

/// <summary>
/// Withdrawing from Bulwark, once the person typed the confirmation word: the same erasure as
/// <c>POST /api/v1/me/withdraw</c> (their key destroyed, their personal data erased), then their portal account
/// is deleted and they are signed out.
/// </summary>
public sealed partial class WithdrawModel(
    PersonErasure erasure,
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    Caller caller,
    ILogger<WithdrawModel> logger,
    IStringLocalizer<Text.MeText> t) : PageModel
{
    /// <summary>What the person types to confirm; the English word works in every language.</summary>
    public const string EnglishWord = "ERASE";

    [BindProperty]
    public string? Confirmation { get; set; }

    public string Word => t["ERASE"];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var typed = Confirmation?.Trim() ?? "";
        if (!string.Equals(typed, Word, StringComparison.CurrentCultureIgnoreCase) && !string.Equals(typed, EnglishWord, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError(nameof(Confirmation), t["Type {0} to confirm. Nothing was erased.", Word]);
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null || caller.PersonId is not { } personId)
        {
            return Challenge();
        }

        await erasure.EraseAsync(personId, ct);

        // The person is gone; their sign-in must go too. Should deleting fail, lock the account for good instead.
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            LogNotDeleted(logger, user.Id, string.Join(", ", deleted.Errors.Select(e => e.Code)));
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        TempData["Status"] = t["Your data is erased and your portal account is closed. Take care."].Value;
        return Redirect("/account/sign-in");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Portal user {UserId} withdrew but could not be deleted ({Errors}); locked instead")]
    private static partial void LogNotDeleted(ILogger logger, Guid userId, string errors);
}
