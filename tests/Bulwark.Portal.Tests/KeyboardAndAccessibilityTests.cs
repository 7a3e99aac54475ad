using Bulwark.Data.Membership;
using Bulwark.Portal.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bulwark.Portal.Tests;

/// <summary>The sign-in page used with the keyboard alone, and the basic accessibility rules on it.</summary>
[Collection(PortalCollection.Name)]
public sealed class KeyboardAndAccessibilityTests(PortalHost host)
{
    [Fact]
    public async Task A_keyboard_user_reaches_and_submits_the_sign_in_form()
    {
        var member = await host.CreateMemberAsync("Keyboard Org");
        var (_, user) = await Seed.PersonAsync(host, member.Id, "kim.keys@keyboard.example.org", PersonRole.Staff, "Kim Keys");
        await using var context = await host.Chromium.NewContextAsync(host.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await Expect(page.Locator("#passkey-signin")).ToBeVisibleAsync();

        // The user name field has the focus on arrival; backwards from it, the passkey button, the brand and the skip
        // link; forwards from the skip link, the whole order down to the sign-in button.
        await Expect(page.Locator("#username")).ToBeFocusedAsync();
        var backwards = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
            backwards.Add(await FocusedAsync(page));
        }

        var forwards = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            forwards.Add(await FocusedAsync(page));
        }

        Assert.Equal(["#passkey-signin", "a:Bulwark", "a:Skip to content"], backwards);
        Assert.Equal(["a:Bulwark", "#passkey-signin", "#username", "#password", "button:Sign in"], forwards);

        // Typed and submitted with Enter, as a keyboard user would.
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.TypeAsync(user.UserName!);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(Seed.Password);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));
        await page.GotoAsync("/security");
        await Expect(page.Locator("form.signout .who")).ToHaveTextAsync("Kim Keys");
    }

    [Fact]
    public async Task The_skip_link_moves_focus_to_the_main_content()
    {
        await using var context = await host.Chromium.NewContextAsync(host.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await Expect(page.Locator("#passkey-signin")).ToBeVisibleAsync();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
        }

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");

        // The next stop is the first control in main, past the header's links.
        Assert.EndsWith("#main", page.Url, StringComparison.Ordinal);
        Assert.Equal("#passkey-signin", await FocusedAsync(page));
    }

    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/account/recovery")]
    [InlineData("/account/reset")]
    [InlineData("/account/accept")]
    public async Task Anonymous_pages_pass_the_basic_accessibility_check(string path)
    {
        await using var context = await host.Chromium.NewContextAsync(host.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);

        var problems = await Accessibility.ProblemsAsync(page);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_check_finds_a_control_without_label_an_image_without_alt_and_a_page_without_lang()
    {
        await using var context = await host.Chromium.NewContextAsync(host.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<html><head><title>t</title></head><body><h1>x</h1><input id=a name=a><img src=x.png><button></button></body></html>");

        var problems = await Accessibility.ProblemsAsync(page);

        Assert.Equal(
            ["html has no lang", "control without label: <input id=\"a\" name=\"a\">", "image without alt: <img src=\"x.png\">", "button or link without a name: <button></button>"],
            problems);
    }

    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>(
        "() => { const e = document.activeElement; return e.id ? '#' + e.id : e.tagName.toLowerCase() + ':' + e.textContent.trim(); }");
}
