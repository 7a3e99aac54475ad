using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Me.Accounts;

/// <summary>
/// The person's personal email accounts (decrypted for them alone): add one (a code goes to the address), confirm
/// it with the code, let their organisation see it or not, remove it; and the consents they gave, as recorded.
/// </summary>
/// <remarks>Code entry (and sending codes) is limited per client address like sign-in.</remarks>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class IndexModel(PersonalAccounts accounts, Caller caller, IStringLocalizer<Text.MeText> t) : PageModel
{
    /// <summary>A consent as the person reads it: what it allows, for which account, when, and whether it still holds.</summary>
    public sealed record ConsentRow(string Purpose, string? Address, string Statement, DateTimeOffset GrantedAt, DateTimeOffset? WithdrawnAt);

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public bool OrganisationMayView { get; set; }

    [BindProperty]
    public Guid? AccountId { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public IReadOnlyList<MeApi.AccountView> Accounts { get; private set; } = [];

    public IReadOnlyList<ConsentRow> Consents { get; private set; } = [];

    public int CodeDigits => accounts.CodeDigits;

    private Guid PersonId => caller.PersonId ?? throw new InvalidOperationException("the /me pages are for persons");

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return await FormErrorAsync(ct);
        }

        var outcome = await accounts.AddAsync(PersonId, Address, OrganisationMayView, ct);
        if (outcome.Value is { } done)
        {
            TempData["Status"] = t["We sent a code to {0}. Enter it below to confirm that the address is yours.", done.Result.Account.Address].Value;
            return RedirectToPage();
        }

        ModelState.AddModelError(nameof(Address), Refusal(outcome.Refusal, outcome.TriesLeft));
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A new code for an address added but not confirmed (the old one expired or was lost).</summary>
    public async Task<IActionResult> OnPostResendAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (AccountId is not { } id || Accounts.FirstOrDefault(a => a.Id == id) is not { } account)
        {
            return NotFound();
        }

        var outcome = await accounts.AddAsync(PersonId, account.Address, account.OrganisationMayView, ct);
        if (outcome.Value is not null)
        {
            TempData["Status"] = t["We sent a new code to {0}.", account.Address].Value;
            return RedirectToPage();
        }

        ModelState.AddModelError(string.Empty, Refusal(outcome.Refusal, outcome.TriesLeft));
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (AccountId is not { } id)
        {
            return NotFound();
        }

        var outcome = await accounts.VerifyAsync(PersonId, id, Code, ct);
        if (outcome.Refusal == AccountRefusal.NotFound)
        {
            return NotFound();
        }

        if (outcome.Value is { } verified)
        {
            TempData["Status"] = t["{0} is confirmed. Bulwark now watches it for you.", verified.Address].Value;
            return RedirectToPage();
        }

        ModelState.AddModelError(nameof(Code), Refusal(outcome.Refusal, outcome.TriesLeft));
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostVisibilityAsync(CancellationToken ct)
    {
        if (AccountId is not { } id)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return await FormErrorAsync(ct);
        }

        if (await accounts.SetVisibilityAsync(PersonId, id, OrganisationMayView, ct) is not { } account)
        {
            return NotFound();
        }

        TempData["Status"] = (account.OrganisationMayView
            ? t["Your organisation's administrators may now see incidents on {0}.", account.Address]
            : t["Your organisation's administrators no longer see incidents on {0}.", account.Address]).Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        if (AccountId is not { } id || !await accounts.RemoveAsync(PersonId, id, ct))
        {
            return NotFound();
        }

        TempData["Status"] = t["The account is removed and its address erased. Your consent for it is marked withdrawn."].Value;
        return RedirectToPage();
    }

    private async Task<IActionResult> FormErrorAsync(CancellationToken ct)
    {
        ModelState.Clear();
        ModelState.AddModelError(string.Empty, t["Part of the form was not understood. Please try again."]);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Accounts = await accounts.ListAsync(PersonId, ct);
        var addresses = Accounts.ToDictionary(a => a.Id, a => a.Address);
        Consents = (await accounts.ConsentsAsync(PersonId, ct))
            .Select(c =>
            {
                var (purpose, account) = Scope(c.Scope);
                return new ConsentRow(purpose, account is { } id && addresses.TryGetValue(id, out var address) ? address : null, c.Statement, c.GrantedAt, c.WithdrawnAt);
            })
            .OrderByDescending(c => c.WithdrawnAt is null)
            .ThenByDescending(c => c.GrantedAt)
            .ToList();
    }

    /// <summary>A consent's scope is <c>purpose:accountId</c> (see <see cref="Membership.Personal.Consents"/>).</summary>
    private static (string Purpose, Guid? AccountId) Scope(string scope)
    {
        var colon = scope.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (scope, null) : (scope[..colon], Guid.TryParse(scope[(colon + 1)..], out var id) ? id : null);
    }

    private string Refusal(AccountRefusal? refusal, int triesLeft) => refusal switch
    {
        AccountRefusal.InvalidAddress => t["This is not an email address we can use. Check it and try again."],
        AccountRefusal.WorkAddress => t["This is your work address, which your organisation already watches. Add a personal address."],
        AccountRefusal.AlreadyOptedIn => t["This address is already one of your confirmed accounts."],
        AccountRefusal.CodeJustSent => t["A code was sent to this address a moment ago. Use it, or wait a minute before asking for another."],
        AccountRefusal.TooManyAccounts => t["You can add at most {0} personal accounts. Remove one first.", PersonalAccounts.MaxAccountsPerPerson],
        AccountRefusal.ChangedMeanwhile => t["Your accounts changed at the same moment in another window. Please try again."],
        AccountRefusal.CodeNotSent => t["We could not send an email to this address just now. Please try again later."],
        AccountRefusal.InvalidCode => t["Enter the {0}-digit code from the email.", accounts.CodeDigits],
        AccountRefusal.AlreadyVerified => t["This address is already confirmed."],
        AccountRefusal.NoCodePending => t["No code is waiting for this address. Ask for a new code."],
        AccountRefusal.CodeExpired => t["This code has expired. Ask for a new code."],
        AccountRefusal.TooManyWrongCodes => t["Too many wrong codes: this code no longer works. Ask for a new code."],
        AccountRefusal.WrongCode when triesLeft == 1 => t["This is not the code we sent. One try left."],
        AccountRefusal.WrongCode => t["This is not the code we sent. {0} tries left.", triesLeft],
        AccountRefusal.WrongCodeLastTry => t["This is not the code we sent, and that was the last try. Ask for a new code."],
        _ => t["This did not work. Please try again."],
    };
}
