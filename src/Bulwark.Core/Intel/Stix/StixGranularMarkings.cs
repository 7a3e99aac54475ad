using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// STIX granular markings (2.1 §7.2.3, 2.0 §4.2): a marking that applies to some properties of an object, named by
/// selectors (<c>pattern</c>, <c>external_references.[0].url</c>). Bulwark keeps one TLP per object, so a TLP granular
/// marking on a property Bulwark keeps of the object (an indicator's pattern, name, description, validity…; an actor's
/// names and ATT&amp;CK ids) makes the whole object at least that strict; one on a property Bulwark drops
/// (<c>kill_chain_phases</c>, <c>x_…</c>) changes nothing. A marking whose scope cannot be told (selectors missing, not
/// strings, or selecting nothing in the object) is a problem and covers the whole object: a hostile or sloppy marking
/// can only make an object stricter, never looser. Language markings (<c>lang</c>) are not TLP and are passed over.
/// </summary>
internal static partial class StixGranularMarkings
{
    private static readonly string[] Common =
        ["id", "type", "spec_version", "created", "modified", "revoked", "confidence", "labels", "name", "description"];

    private static readonly HashSet<string> IndicatorProperties = Set("pattern", "pattern_type", "pattern_version", "valid_from", "valid_until", "indicator_types");

    private static readonly HashSet<string> RelationshipProperties = Set("relationship_type", "source_ref", "target_ref");

    private static readonly HashSet<string> ObjectProperties = Set(
        "aliases", "x_mitre_aliases", "x_mitre_deprecated", "external_references", "threat_actor_types", "malware_types", "tool_types",
        "report_types", "object_refs", "observed_data_refs", "sighting_of_ref", "first_observed", "last_observed");

    /// <summary>
    /// The <c>marking_ref</c>s of <paramref name="item"/>'s granular markings that cover what Bulwark keeps of an object
    /// of <paramref name="type"/>; every fault goes to <paramref name="problem"/> (property path, message).
    /// </summary>
    public static List<string> Covering(JsonElement item, string type, Action<string, string> problem)
    {
        var refs = new List<string>();
        if (!item.TryGetProperty("granular_markings", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return refs;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problem("granular_markings", $"expected an array of granular markings, found {StixObjectReader.Kind(list.ValueKind)}; ignored");
            return refs;
        }

        var kept = type switch
        {
            "indicator" => IndicatorProperties,
            "relationship" => RelationshipProperties,
            _ => ObjectProperties,
        };
        var i = 0;
        foreach (var marking in list.EnumerateArray())
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"granular_markings[{i++}]");
            if (marking.ValueKind != JsonValueKind.Object)
            {
                problem(where, $"expected a granular marking (an object with marking_ref and selectors), found {StixObjectReader.Kind(marking.ValueKind)}; ignored");
                continue;
            }

            if (!marking.TryGetProperty("marking_ref", out var reference) || reference.ValueKind == JsonValueKind.Null)
            {
                if (!marking.TryGetProperty("lang", out _))
                {
                    problem(where, "has neither marking_ref nor lang; ignored");
                }

                continue;
            }

            var id = reference.ValueKind == JsonValueKind.String ? Text(reference) : null;
            if (id is null || !MarkingId().IsMatch(id))
            {
                var found = id is not null ? StixObjectReader.Quote(id) : reference.ValueKind == JsonValueKind.String ? "text that is not valid UTF-8" : StixObjectReader.Kind(reference.ValueKind);
                problem(where + ".marking_ref", $"expected a marking-definition id (\"marking-definition--\" followed by a lower-case UUID), found {found}; ignored");
                continue;
            }

            if (CoversKept(item, marking, where, kept, problem))
            {
                refs.Add(id);
            }
        }

        return refs;
    }

    /// <summary>True when a selector names a property Bulwark keeps, or when the marking's scope cannot be told.</summary>
    private static bool CoversKept(JsonElement item, JsonElement marking, string where, HashSet<string> kept, Action<string, string> problem)
    {
        const string Whole = "the marking was applied to the whole object";
        if (!marking.TryGetProperty("selectors", out var selectors) || selectors.ValueKind == JsonValueKind.Null)
        {
            problem(where + ".selectors", $"missing: expected a list of selectors naming the marked properties; {Whole}");
            return true;
        }

        if (selectors.ValueKind != JsonValueKind.Array || selectors.GetArrayLength() == 0)
        {
            var found = selectors.ValueKind == JsonValueKind.Array ? "an empty array" : StixObjectReader.Kind(selectors.ValueKind);
            problem(where + ".selectors", $"expected a non-empty list of selectors, found {found}; {Whole}");
            return true;
        }

        var covers = false;
        var j = 0;
        foreach (var selector in selectors.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{where}.selectors[{j++}]");
            var text = selector.ValueKind == JsonValueKind.String ? Text(selector) : null;
            if (text is null)
            {
                problem(at, $"expected a selector string such as \"pattern\", found {(selector.ValueKind == JsonValueKind.String ? "text that is not valid UTF-8" : StixObjectReader.Kind(selector.ValueKind))}; {Whole}");
                covers = true;
                continue;
            }

            if (Select(item, text) is not { } property)
            {
                problem(at, $"{StixObjectReader.Quote(text)} selects nothing in this object; {Whole}");
                covers = true;
                continue;
            }

            covers |= kept.Contains(property);
        }

        return covers;
    }

    /// <summary>
    /// The top-level property <paramref name="selector"/> names when it selects something in <paramref name="item"/>
    /// (<c>a.[0].b</c>: property <c>a</c>, its first item, that item's <c>b</c>), else null.
    /// </summary>
    private static string? Select(JsonElement item, string selector)
    {
        var current = item;
        string? top = null;
        foreach (var step in selector.Split('.'))
        {
            if (step.Length > 2 && step[0] == '[' && step[^1] == ']')
            {
                if (top is null || current.ValueKind != JsonValueKind.Array
                    || !int.TryParse(step.AsSpan(1, step.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
            }
            else
            {
                if (step.Length == 0 || current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out var next))
                {
                    return null;
                }

                top ??= step;
                current = next;
            }
        }

        return top;
    }

    private static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static HashSet<string> Set(params string[] names) => new([.. Common, .. names], StringComparer.Ordinal);

    [GeneratedRegex("^marking-definition--[0-9a-f-]{36}$", RegexOptions.CultureInvariant)]
    private static partial Regex MarkingId();
}
