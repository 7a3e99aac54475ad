using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Bulwark.Server.Tests;

/// <summary>
/// Every portal text is translated: each key a page or page model asks a localizer for exists, non-empty, in the
/// French and Spanish resource files of that localizer's area, with the same placeholders.
/// </summary>
public sealed partial class PortalTranslationTests
{
    private static readonly string Portal = Path.Combine(RepoRoot(), "src", "Bulwark.Server", "Portal");

    public static TheoryData<string> Languages => ["fr", "es"];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_text_used_in_the_portal_is_translated(string language)
    {
        var used = UsedKeys();
        Assert.NotEmpty(used);
        var missing = new List<string>();
        foreach (var (area, keys) in used)
        {
            var file = Path.Combine(Portal, "Text", $"{area}.{language}.resx");
            var translations = File.Exists(file)
                ? XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "")
                : [];
            foreach (var (key, where) in keys)
            {
                if (!translations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
                {
                    missing.Add($"{area}.{language}.resx lacks \"{key}\" (used in {where})");
                }
                else if (!Placeholders(key).SetEquals(Placeholders(text)))
                {
                    missing.Add($"{area}.{language}.resx: \"{key}\" and its translation have different placeholders");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>Area (localizer type) -> key -> first file using it.</summary>
    private static Dictionary<string, Dictionary<string, string>> UsedKeys()
    {
        var used = new Dictionary<string, Dictionary<string, string>>();
        foreach (var file in Directory.EnumerateFiles(Portal, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var localizers = new Dictionary<string, string>();
            foreach (var imports in ViewImports(file))
            {
                Collect(File.ReadAllText(imports), localizers);
            }

            Collect(text, localizers);
            foreach (var (variable, area) in localizers)
            {
                foreach (Match m in Regex.Matches(text, $@"(?<![\w.]){Regex.Escape(variable)}\[""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant))
                {
                    var key = Regex.Unescape(m.Groups[1].Value);
                    if (!used.TryGetValue(area, out var keys))
                    {
                        used[area] = keys = [];
                    }

                    keys.TryAdd(key, Path.GetRelativePath(Portal, file));
                }
            }
        }

        return used;
    }

    private static void Collect(string text, Dictionary<string, string> localizers)
    {
        foreach (Match m in Localizer().Matches(text))
        {
            localizers[m.Groups["var"].Value] = m.Groups["type"].Value;
        }
    }

    /// <summary>The _ViewImports files that apply to a Razor file: its folder's and every parent's up to Pages.</summary>
    private static IEnumerable<string> ViewImports(string file)
    {
        if (!file.EndsWith(".cshtml", StringComparison.Ordinal))
        {
            yield break;
        }

        for (var dir = Path.GetDirectoryName(file); dir is not null && dir.StartsWith(Portal, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            var imports = Path.Combine(dir, "_ViewImports.cshtml");
            if (File.Exists(imports) && imports != file)
            {
                yield return imports;
            }
        }
    }

    private static HashSet<string> Placeholders(string text) => [.. Regex.Matches(text, @"\{\d+\}").Select(m => m.Value)];

    private static string RepoRoot() => IngestionSupport.RepositoryRoot();

    // "@inject IStringLocalizer<MeText> T" in Razor, "IStringLocalizer<Text.MeText> t" in page models.
    [GeneratedRegex(@"IStringLocalizer<(?:[\w.]*\.)?(?<type>\w+Text)>\s+(?<var>\w+)")]
    private static partial Regex Localizer();
}
