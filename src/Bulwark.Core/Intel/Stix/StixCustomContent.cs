using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// Custom properties (<c>x_…</c>) and <c>extensions</c> of a STIX object: Bulwark takes nothing from them beyond the few
/// it knows (<c>x_mitre_aliases</c>, <c>x_mitre_deprecated</c>, the TLP 2.0 extension of a marking definition) and keeps
/// no bag of them (least data: a producer's private fields are not Bulwark's to store). Well-formed ones are passed
/// over in silence; malformed ones are problems naming the property, and the object is still taken.
/// </summary>
internal static partial class StixCustomContent
{
    /// <summary>Most problems reported for one object; the rest are counted in one more (a hostile object cannot flood the report).</summary>
    public const int MaxProblems = 5;

    /// <summary>Reports malformed custom property names and extensions of <paramref name="item"/> to <paramref name="report"/> (property path, message).</summary>
    public static void Check(JsonElement item, Action<string, string> report)
    {
        var count = 0;
        void Problem(string where, string message)
        {
            if (++count <= MaxProblems)
            {
                report(where, message);
            }
        }

        foreach (var property in item.EnumerateObject())
        {
            var name = property.Name;
            if (name.StartsWith("x_", StringComparison.OrdinalIgnoreCase) && !CustomName().IsMatch(name))
            {
                Problem(StixObjectReader.Quote(name).Trim('"'), "a custom property name must be 3–250 characters of lower-case ASCII letters, digits and '_', starting with x_; ignored");
            }
            else if (name == "extensions")
            {
                Extensions(property.Value, Problem);
            }
        }

        if (count > MaxProblems)
        {
            report("", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count - MaxProblems} more malformed custom properties or extensions; ignored"));
        }
    }

    private static void Extensions(JsonElement extensions, Action<string, string> problem)
    {
        if (extensions.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (extensions.ValueKind != JsonValueKind.Object)
        {
            problem("extensions", $"expected a dictionary of extensions, found {StixObjectReader.Kind(extensions.ValueKind)}; ignored");
            return;
        }

        foreach (var extension in extensions.EnumerateObject())
        {
            var key = extension.Name;
            var where = "extensions." + StixObjectReader.Quote(key).Trim('"');
            if (!ExtensionKey().IsMatch(key))
            {
                problem(where, "an extension's key must be an extension-definition id (\"extension-definition--\" and a lower-case UUID) or an extension name (3–250 lower-case letters, digits and hyphens); ignored");
            }
            else if (extension.Value.ValueKind != JsonValueKind.Object)
            {
                problem(where, $"expected an extension object, found {StixObjectReader.Kind(extension.Value.ValueKind)}; ignored");
            }
        }
    }

    /// <summary>STIX 2.1 §11.1: custom property names are 3–250 of a-z, 0-9 and '_'.</summary>
    [GeneratedRegex("^x_[a-z0-9_]{1,248}$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomName();

    [GeneratedRegex("^(extension-definition--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9][a-z0-9-]{1,248}[a-z0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionKey();
}
