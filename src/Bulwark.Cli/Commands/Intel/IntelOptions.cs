using System.CommandLine;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Cli.Commands.Intel;

/// <summary>Options shared by the intel verbs.</summary>
internal static class IntelOptions
{
    public static Option<string?> Store() => new("--store")
    {
        Description = $"The local intel store (default: ${IntelStore.EnvironmentVariable} or ~/.local/share/bulwark/intel).",
    };

    public static Option<bool> NoStarter() => new("--no-starter")
    {
        Description = "Leave out the starter intelligence shipped with Bulwark (CISA AA21-062A, Microsoft HAFNIUM lists).",
    };

    /// <summary>"1 indicator", "2 indicators".</summary>
    public static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    public static bool TryParseTlp(string text, out Tlp tlp)
    {
        tlp = text.Trim().ToLowerInvariant().Replace("tlp:", "", StringComparison.Ordinal) switch
        {
            "clear" or "white" => Tlp.Clear,
            "green" => Tlp.Green,
            "amber" => Tlp.Amber,
            "amber+strict" or "amber-strict" => Tlp.AmberStrict,
            "red" => Tlp.Red,
            _ => (Tlp)255,
        };
        return tlp != (Tlp)255;
    }
}
