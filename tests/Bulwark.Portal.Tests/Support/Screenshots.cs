using Microsoft.Playwright;

namespace Bulwark.Portal.Tests.Support;

/// <summary>
/// PNGs of the pages a test reaches, for the README and docs: written to <c>docs/screenshots/NAME.png</c> only
/// when <c>BULWARK_SCREENSHOTS=1</c>, so ordinary and CI runs leave the repository as it is.
/// </summary>
public static class Screenshots
{
    public static bool Enabled => Environment.GetEnvironmentVariable("BULWARK_SCREENSHOTS") == "1";

    public static string Directory => Path.Combine(RepositoryRoot(), "docs", "screenshots");

    /// <summary>Saves the visible part of the page (the fixed 1280×800 viewport).</summary>
    public static async Task TakeAsync(IPage page, string name)
    {
        if (!Enabled)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, name + ".png"), Animations = ScreenshotAnimations.Disabled });
    }

    /// <summary>The repository root (holds Bulwark.slnx), found upwards from the test binaries or this source file.</summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("repository root (Bulwark.slnx) not found");
    }
}
