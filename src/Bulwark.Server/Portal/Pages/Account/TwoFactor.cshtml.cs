using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>The second step after a correct password: a TOTP code.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class TwoFactorModel(SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : TwoFactorStepModel(signIn, t)
{
    protected override Task<SignInResult> SignInWithAsync(SignInManager<PortalUser> manager, string code) =>
        manager.TwoFactorAuthenticatorSignInAsync(
            code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);

    protected override string WrongCode(IStringLocalizer<Text.AccountText> words) =>
        words["That code is not right. Codes change every 30 seconds; enter the current one."];
}
