using System.Reflection;
using Bulwark.Server.Portal;
using Microsoft.AspNetCore.RateLimiting;

namespace Bulwark.Server.Tests;

/// <summary>Every page that takes a password, a code or a passkey limits attempts per client address.</summary>
public sealed class PortalRateLimitTests
{
    public static TheoryData<Type> CodeEntryPages =>
    [
        typeof(Portal.Pages.Account.SignInModel),
        typeof(Portal.Pages.Account.TwoFactorModel),
        typeof(Portal.Pages.Account.RecoveryModel),
        typeof(Portal.Pages.Account.ResetModel),
        typeof(Portal.Pages.Account.AcceptModel),
        typeof(Portal.Pages.Security.IndexModel),
        typeof(Portal.Pages.Security.ChangePasswordModel),
        typeof(Portal.Pages.Me.Accounts.IndexModel),
    ];

    [Theory]
    [MemberData(nameof(CodeEntryPages))]
    public void Pages_that_check_secrets_are_rate_limited(Type page)
    {
        var attribute = page.GetCustomAttribute<EnableRateLimitingAttribute>();

        Assert.Equal(PortalModule.SignInRateLimit, attribute?.PolicyName);
    }
}
