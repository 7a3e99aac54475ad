using System.Runtime.CompilerServices;
using System.Text;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Misp;

/// <summary>
/// The hand-written MISP fixtures beside this file (found from the source path, so no copy into the build output
/// is needed) and small helpers for the tests.
/// </summary>
internal static class MispFixtures
{
    public static string PathOf(string name) => Path.Combine(Directory(), "Fixtures", name);

    public static IntelSource Source(string id = "misp-test", Tlp tlp = Tlp.Amber, int confidence = 50) =>
        new(id, IntelFormat.MispEvent) { DefaultTlp = tlp, DefaultConfidence = confidence };

    public static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static string Directory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
