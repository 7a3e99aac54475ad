using Microsoft.Playwright;

namespace Bulwark.Portal.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>BULWARK_CHROMIUM</c>) driven by Playwright, headless.
/// Playwright never downloads a browser here. Without Chromium the tests skip, except on CI, where they fail.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly IPlaywright? _playwright;

    private Chromium(IPlaywright? playwright, IBrowser? browser, string? unavailable)
    {
        _playwright = playwright;
        Browser = browser;
        Unavailable = unavailable;
    }

    /// <summary>The running browser, or null when <see cref="Unavailable"/> says why not.</summary>
    public IBrowser? Browser { get; }

    public string? Unavailable { get; }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("BULWARK_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    public static async Task<Chromium> StartAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            var reason = $"the portal tests need Chromium at {path} (apt-get install chromium, or set BULWARK_CHROMIUM); test.sh installs it";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException("CI must run the browser tests: " + reason);
            }

            return new Chromium(null, null, reason);
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // The machine has no network but loopback: no background connections, no QUIC, no GPU.
            Args = ["--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new Chromium(playwright, browser, null);
    }

    /// <summary>A fresh browser context (own cookies) at the fixed screenshot viewport, English first.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        if (Browser is null)
        {
            Assert.Skip(Unavailable!);
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-GB",
            TimezoneId = "Europe/Paris",
        });
        // Generous: CI runs the other test projects beside this one on two cores.
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
