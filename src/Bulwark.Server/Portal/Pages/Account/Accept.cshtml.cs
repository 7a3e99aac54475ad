using System.Globalization;
using Bulwark.Data.Portal;
using Bulwark.Server.Membership.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>
/// The invited person enters the code from the invitation email, their name and a password: the invitation is
/// accepted as <c>POST /api/v1/invitations/accept</c> accepts it, their portal account is created and they are
/// signed in. The password is checked first, so a refused password leaves nothing behind.
/// </summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed partial class AcceptModel(
    InvitationAcceptance acceptance,
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    TimeProvider time,
    ILogger<AcceptModel> logger,
    IStringLocalizer<Text.AcceptText> t) : PageModel
{
    /// <summary>Long enough for any passphrase; longer input is refused before hashing.</summary>
    public const int MaxPasswordLength = 512;

    [BindProperty]
    public string? Token { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = InvitationAcceptance.Check(Token, DisplayName);
        if (errors.ContainsKey("token"))
        {
            ModelState.AddModelError(nameof(Token), t["This is not an invitation code. Copy the whole code from the email: it starts with bwi_."]);
        }

        if (errors.ContainsKey("displayName"))
        {
            ModelState.AddModelError(nameof(DisplayName), t["Enter your name as your colleagues know it: 1 to {0} characters.", InvitationAcceptance.MaxDisplayName]);
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), t["Choose a password."]);
        }
        else if (Password.Length > MaxPasswordLength)
        {
            ModelState.AddModelError(nameof(Password), t["The password is too long: {0} characters at most.", MaxPasswordLength]);
        }
        else if (Password != Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), t["The two passwords differ."]);
        }

        if (ModelState.ErrorCount > 0)
        {
            return Page();
        }

        var found = await acceptance.FindAsync(Token!, ct);
        if (found.Invitation is not { } invitation)
        {
            ModelState.AddModelError(nameof(Token), Refusal(found.Refusal));
            return Page();
        }

        if (await users.FindByNameAsync(invitation.Email) is not null)
        {
            ModelState.AddModelError(string.Empty, t["A portal account with this address exists already. Sign in with it, or ask your organisation's administrator for help."]);
            return Page();
        }

        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            UserName = invitation.Email,
            Email = invitation.Email,
            OrganisationId = invitation.OrganisationId,
            Language = PortalModule.Languages.Contains(invitation.Language) ? invitation.Language : "en",
            CreatedAt = time.GetUtcNow(),
        };

        // Check the password before anything is created: a refused one must leave no person and no invitation used.
        var refused = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, Password!);
            refused.AddRange(result.Errors);
        }

        if (refused.Count > 0)
        {
            foreach (var error in refused.DistinctBy(e => e.Code))
            {
                ModelState.AddModelError(nameof(Password), Describe(error));
            }

            return Page();
        }

        var accepted = await acceptance.AcceptAsync(Token, DisplayName, ct);
        if (accepted.Person is not { } person)
        {
            ModelState.AddModelError(nameof(Token), Refusal(accepted.Refusal));
            return Page();
        }

        user.PersonId = person.Id;
        var created = await users.CreateAsync(user, Password!);
        if (!created.Succeeded)
        {
            // Only a race (the same address registered a moment ago) gets here: the person exists, without a sign-in.
            LogNotCreated(logger, person.Id, string.Join(", ", created.Errors.Select(e => e.Code)));
            ModelState.AddModelError(string.Empty, t["Your invitation is accepted, but your portal account could not be created. Ask your organisation's administrator for help."]);
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Status"] = InLanguage(user.Language, () => t["Welcome to Bulwark, {0}. Add a passkey now: it is the safest way to sign in, and it cannot be phished.", person.DisplayName].Value);
        return Redirect("/security");
    }

    private string Refusal(AcceptanceRefusal? refusal) => refusal switch
    {
        AcceptanceRefusal.Unknown => t["No invitation has this code. Check that you copied the whole code from the email."],
        AcceptanceRefusal.AlreadyUsed or AcceptanceRefusal.UsedMeanwhile => t["This invitation has been used already: each invitation works once. If it was not you, tell your organisation's administrator."],
        AcceptanceRefusal.Expired => t["This invitation has expired. Ask your organisation's administrator for a new one."],
        AcceptanceRefusal.OrganisationNotActive => t["The organisation that invited you is not active on Bulwark at the moment."],
        AcceptanceRefusal.AlreadyMember => t["Someone with this work address already belongs to the organisation. Sign in instead."],
        _ => t["This is not an invitation code. Copy the whole code from the email: it starts with bwi_."],
    };

    private string Describe(IdentityError error) => error.Code switch
    {
        "PasswordTooShort" => t["The password is too short: 12 characters at least."],
        "PasswordRequiresUniqueChars" => t["The password repeats too few characters: use at least 4 different ones."],
        "PasswordBreached" => t["This password appears in known data breaches; choose another (a passphrase of several words works well)."],
        "PasswordContainsName" => t["The password must not contain your user name or address."],
        _ => error.Description,
    };

    /// <summary>The welcome is written in the language of the invitation, which the portal speaks from now on.</summary>
    private static string InLanguage(string language, Func<string> text)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return text();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Person {PersonId} accepted an invitation but the portal account could not be created ({Errors})")]
    private static partial void LogNotCreated(ILogger logger, Guid personId, string errors);
}
