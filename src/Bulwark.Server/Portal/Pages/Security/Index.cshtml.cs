using System.Globalization;
using System.Security.Claims;
using System.Text;
using Bulwark.Data;
using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using QRCoder;

namespace Bulwark.Server.Portal.Pages.Security;

/// <summary>Everyone's own security: passkeys, TOTP and recovery codes, password, language, sessions.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class IndexModel(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    BulwarkDbContext db,
    IUserStore<PortalUser> store,
    IStringLocalizer<Text.AccountText> t) : PageModel
{
    public sealed record PasskeyRow(string Id, string Name, DateTimeOffset CreatedAt);

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? CredentialJson { get; set; }

    [BindProperty]
    public string? PasskeyName { get; set; }

    [BindProperty]
    public string? CredentialId { get; set; }

    [BindProperty]
    public string? Language { get; set; }

    public bool TwoFactorEnabled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public string? AuthenticatorKey { get; private set; }

    public string? QrCode { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public IReadOnlyList<PasskeyRow> Passkeys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostEnableTotpAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), t["That code is not right. Codes change every 30 seconds; enter the current one."]);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        await signIn.RefreshSignInAsync(user);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostNewRecoveryCodesAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }

        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableTotpAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        TempData["Status"] = t["Two-factor sign-in is off."].Value;
        return RedirectToPage();
    }

    /// <summary>The WebAuthn creation options for <c>navigator.credentials.create</c>.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var entity = new PasskeyUserEntity
        {
            Id = await users.GetUserIdAsync(user),
            Name = user.UserName ?? user.Id.ToString(),
            DisplayName = User.FindFirstValue(PortalClaims.DisplayNameClaim) ?? user.UserName ?? "",
        };
        return Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
    }

    public async Task<IActionResult> OnPostAddPasskeyAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(CredentialJson) || CredentialJson.Length > 65_536)
        {
            ModelState.AddModelError(string.Empty, t["The passkey did not answer. Try again."]);
            return Page();
        }

        var attestation = await signIn.PerformPasskeyAttestationAsync(CredentialJson);
        if (!attestation.Succeeded)
        {
            ModelState.AddModelError(string.Empty, t["This passkey could not be added: {0}", attestation.Failure.Message]);
            return Page();
        }

        var name = (PasskeyName ?? "").Trim();
        attestation.Passkey.Name = name.Length is > 0 and <= 100 ? name : t["My passkey"];
        var added = await users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
        if (!added.Succeeded)
        {
            ModelState.AddModelError(string.Empty, string.Join(" ", added.Errors.Select(e => e.Description)));
            return Page();
        }

        TempData["Status"] = t["Passkey added."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemovePasskeyAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        byte[] id;
        try
        {
            id = Base64UrlDecode(CredentialId ?? "");
        }
        catch (FormatException)
        {
            return BadRequest();
        }

        var removed = await users.RemovePasskeyAsync(user, id);
        TempData["Status"] = removed.Succeeded ? t["Passkey removed."].Value : t["No such passkey."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostLanguageAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (Language is not ("en" or "fr" or "es"))
        {
            return BadRequest();
        }

        user.Language = Language;
        await users.UpdateAsync(user);
        if (user.PersonId is { } personId)
        {
            // Notices follow the portal: the person's record holds the language deliveries use.
            await db.People.Where(p => p.Id == personId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Language, Language));
        }

        await signIn.RefreshSignInAsync(user);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(Language);
        TempData["Status"] = t["Language saved."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        // A new security stamp invalidates every cookie issued before it (they are checked on every request).
        await users.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/SignIn");
    }

    private async Task<PortalUser?> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return null;
        }

        TwoFactorEnabled = user.TwoFactorEnabled;
        Language = user.Language;
        RecoveryCodesLeft = TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
        Passkeys = [.. (await users.GetPasskeysAsync(user)).Select(p => new PasskeyRow(Base64UrlEncode(p.CredentialId), p.Name ?? "", p.CreatedAt)).OrderBy(p => p.CreatedAt)];
        if (!TwoFactorEnabled)
        {
            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                // A first key changes nothing that protects a session: store it without a new security stamp
                // (ResetAuthenticatorKeyAsync would end every session of the user just for opening this page).
                key = users.GenerateNewAuthenticatorKey();
                await ((IUserAuthenticatorKeyStore<PortalUser>)store).SetAuthenticatorKeyAsync(user, key, HttpContext.RequestAborted);
                await users.UpdateAsync(user);
            }

            AuthenticatorKey = Group(key!);
            var uri = $"otpauth://totp/Bulwark:{Uri.EscapeDataString(user.UserName ?? "")}?secret={key}&issuer=Bulwark&digits=6";
            using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            QrCode = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        }

        return user;
    }

    private static string Group(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return sb.ToString().TrimEnd().ToLower(CultureInfo.InvariantCulture);
    }

    internal static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    internal static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
