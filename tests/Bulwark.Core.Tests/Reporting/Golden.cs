using System.Runtime.CompilerServices;

namespace Bulwark.Core.Tests.Reporting;

/// <summary>
/// Compares a report with its golden file in <c>Reporting/Golden</c>. Run with
/// <c>BULWARK_UPDATE_GOLDEN=1</c> to rewrite the golden files in the source tree (the test then fails, so
/// an update is never mistaken for a pass); review the diff before committing.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual, [CallerFilePath] string caller = "")
    {
        if (Environment.GetEnvironmentVariable("BULWARK_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
            File.WriteAllText(source, actual);
            Assert.Fail($"Rewrote {source}; review it and run again without BULWARK_UPDATE_GOLDEN.");
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reporting", "Golden", name));
        Assert.Equal(expected, actual);
    }
}
