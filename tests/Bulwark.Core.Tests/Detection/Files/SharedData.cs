using System.Runtime.CompilerServices;

namespace Bulwark.Core.Tests.Detection.Files;

/// <summary>
/// Finds the project's shared data folder (<c>../shared/data</c> beside the repository). Searched upwards from
/// the test binaries and from this source file, because builds may put binaries outside the repository
/// (<c>--artifacts-path</c>).
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(() => Find(AppContext.BaseDirectory) ?? Find(SourceDirectory()) ?? Find(Environment.CurrentDirectory));

    /// <summary>The absolute path of <paramref name="relative"/> under shared/data; skips the test when the folder is absent.</summary>
    public static string PathOf(string relative)
    {
        var root = Root.Value;
        if (root is null)
        {
            Assert.Skip($"shared/data not present: searched upwards from {AppContext.BaseDirectory} and {SourceDirectory()}");
        }

        var path = Path.Combine(root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Skip($"shared/data not present: {path} is missing");
        }

        return path;
    }

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in (string[])[Path.Combine(dir.FullName, "shared", "data"), Path.Combine(dir.FullName, "..", "shared", "data")])
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file) ?? "";
}
