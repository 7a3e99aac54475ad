using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>The second step with a one-use recovery code instead of the authenticator.</summary>
[EnableRateLimiting(PortalModule.SignInRateLimit)]
public sealed class RecoveryModel(SignInManager<PortalUser> signIn, IStringLocalizer<Text.AccountText> t) : TwoFactorStepModel(signIn, t)
{
    protected override Task<SignInResult> SignInWithAsync(SignInManager<PortalUser> manager, string code) =>
        manager.TwoFactorRecoveryCodeSignInAsync(code.Replace(" ", "", StringComparison.Ordinal));

    protected override string WrongCode(IStringLocalizer<Text.AccountText> words) =>
        words["That recovery code is not valid (or was used already)."];

    protected override string? SignedIn(IStringLocalizer<Text.AccountText> words) =>
        words["Signed in with a recovery code. That code is now used up."];
}
