using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bulwark.Portal.Tests.Support;

/// <summary>What a person does on the account pages, the way they do it: labels, buttons, keyboard.</summary>
public static class SignIn
{
    /// <summary>Signs in with the password (and the current TOTP code when a secret is given); screenshots on the way.</summary>
    public static async Task WithPasswordAsync(IPage page, string userName, string? totpSecret = null, bool screenshots = false)
    {
        await page.GotoAsync("/account/sign-in");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("User name or work email").FillAsync(userName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Seed.Password);
        if (screenshots)
        {
            await Screenshots.TakeAsync(page, "sign-in");
        }

        await page.Locator("main form:not(#passkey-form)").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        if (totpSecret is null)
        {
            await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));
            return;
        }

        await page.WaitForURLAsync("**/account/two-factor**");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor code" })).ToBeVisibleAsync();
        await page.GetByLabel("The 6-digit code from your authenticator app").FillAsync(Seed.TotpCode(totpSecret));
        if (screenshots)
        {
            await Screenshots.TakeAsync(page, "two-factor");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
    }

    /// <summary>Signs out with the header's button; ends on the sign-in page.</summary>
    public static async Task OutAsync(IPage page)
    {
        await page.Locator("form.signout").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in**");
    }

    /// <summary>
    /// Gives the page Chromium's virtual platform authenticator (DevTools WebAuthn domain): a passkey-capable
    /// device whose user is present and verified, as a phone or a laptop with a screen lock would be.
    /// </summary>
    public static async Task<(ICDPSession Cdp, string AuthenticatorId)> VirtualAuthenticatorAsync(IBrowserContext context, IPage page)
    {
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return (cdp, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>The credentials the virtual authenticator holds (id, whether resident, sign count).</summary>
    public static async Task<List<JsonElement>> CredentialsAsync(ICDPSession cdp, string authenticatorId) =>
        (await cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticatorId }))!
            .Value.GetProperty("credentials").EnumerateArray().ToList();
}
