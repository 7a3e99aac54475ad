using System.Text.Json;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// What Bulwark reads from MISP machine tags (<c>namespace:predicate="value"</c>): TLP, confidence, galaxy
/// clusters and estimative language. Names are compared case-insensitively, as MISP does.
/// </summary>
internal static class MispTags
{
    /// <summary>Tag names of a <c>Tag</c> array: <c>[{"name": "tlp:green", "colour": …}]</c>, or plain strings.</summary>
    public static List<string> Names(JsonElement owner, string where, MispProblems problems)
    {
        var names = new List<string>();
        if (MispJson.Array(owner, "Tag", where, problems, "tags") is not { } tags)
        {
            return names;
        }

        var at = MispJson.Member(where, "Tag");
        var i = 0;
        foreach (var tag in tags.EnumerateArray())
        {
            var item = MispJson.Item(at, i++);
            var name = tag.ValueKind switch
            {
                JsonValueKind.Object => MispJson.String(tag, "name", item, problems),
                JsonValueKind.String => MispJson.AsString(tag, item, problems),
                _ => Refuse(item, tag, problems),
            };
            if (!string.IsNullOrWhiteSpace(name))
            {
                names.Add(name.Trim());
            }
        }

        return names;
    }

    /// <summary>The TLP a tag sets: <c>tlp:clear</c> / <c>tlp:white</c>, <c>tlp:green</c>, <c>tlp:amber</c>, <c>tlp:amber+strict</c>, <c>tlp:red</c>.</summary>
    public static Tlp? Tlp(string tag) => tag.ToLowerInvariant() switch
    {
        "tlp:clear" or "tlp:white" => Index.Tlp.Clear,
        "tlp:green" => Index.Tlp.Green,
        "tlp:amber" => Index.Tlp.Amber,
        "tlp:amber+strict" => Index.Tlp.AmberStrict,
        "tlp:red" => Index.Tlp.Red,
        _ => null,
    };

    /// <summary>The strictest TLP among <paramref name="tags"/>, or null when none is a TLP tag.</summary>
    public static Tlp? MaxTlp(IEnumerable<string> tags)
    {
        Tlp? max = null;
        foreach (var tag in tags)
        {
            if (Tlp(tag) is { } tlp && (max is not { } m || tlp > m))
            {
                max = tlp;
            }
        }

        return max;
    }

    /// <summary>
    /// Confidence 0–100 a tag states. <c>misp:confidence-level</c> takes the taxonomy's own <c>numerical_value</c>
    /// (MISP/misp-taxonomies misp/machinetag.json: completely 100, usually 75, fairly 50, rarely 25, unconfident 0;
    /// "cannot be evaluated" states nothing). <c>admiralty-scale:information-credibility</c> 1–5 takes the STIX 2.1
    /// Admiralty Credibility mapping (STIX 2.1 part 1, appendix B: 1 → 90, 2 → 70, 3 → 50, 4 → 30, 5 → 10; 6
    /// "truth cannot be judged" states nothing). Source reliability (a–f) rates the source, not the information, and
    /// is not used.
    /// </summary>
    public static int? Confidence(string tag)
    {
        if (!Split(tag, out var ns, out var value))
        {
            return null;
        }

        if (ns.Equals("misp:confidence-level", StringComparison.OrdinalIgnoreCase))
        {
            return value.ToLowerInvariant() switch
            {
                "completely-confident" => 100,
                "usually-confident" => 75,
                "fairly-confident" => 50,
                "rarely-confident" => 25,
                "unconfident" => 0,
                _ => null,
            };
        }

        if (ns.Equals("admiralty-scale:information-credibility", StringComparison.OrdinalIgnoreCase))
        {
            return value switch
            {
                "1" => 90,
                "2" => 70,
                "3" => 50,
                "4" => 30,
                "5" => 10,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>The lowest confidence stated among <paramref name="tags"/> (the cautious reading), or null.</summary>
    public static int? MinConfidence(IEnumerable<string> tags)
    {
        int? min = null;
        foreach (var tag in tags)
        {
            if (Confidence(tag) is { } c && (min is not { } m || c < m))
            {
                min = c;
            }
        }

        return min;
    }

    /// <summary>
    /// Confidence of an <c>estimative-language:likelihood-probability</c> tag, by the STIX 2.1 DNI scale (appendix B:
    /// almost no chance 5, very unlikely 15, unlikely 30, roughly even chance 50, likely 70, very likely 85, almost
    /// certain 95).
    /// </summary>
    public static int? Likelihood(string tag)
    {
        if (!Split(tag, out var ns, out var value) || !ns.Equals("estimative-language:likelihood-probability", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value.ToLowerInvariant() switch
        {
            "almost-no-chance" => 5,
            "very-unlikely" => 15,
            "unlikely" => 30,
            "roughly-even-chance" => 50,
            "likely" => 70,
            "very-likely" => 85,
            "almost-certain" => 95,
            _ => null,
        };
    }

    /// <summary>A galaxy tag <c>misp-galaxy:&lt;type&gt;="&lt;cluster value&gt;"</c>.</summary>
    public static bool TryGalaxy(string tag, out string type, out string value)
    {
        type = value = "";
        const string prefix = "misp-galaxy:";
        if (!tag.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !Split(tag, out var ns, out var v))
        {
            return false;
        }

        type = ns[prefix.Length..].Trim().ToLowerInvariant();
        value = v;
        return type.Length > 0 && value.Length > 0;
    }

    /// <summary>Splits <c>ns:predicate="value"</c> at the first <c>=</c> and unquotes the value.</summary>
    private static bool Split(string tag, out string ns, out string value)
    {
        var eq = tag.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            ns = value = "";
            return false;
        }

        ns = tag[..eq].Trim();
        var v = tag.AsSpan(eq + 1).Trim();
        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"')
        {
            v = v[1..^1];
        }

        value = v.ToString();
        return true;
    }

    private static string? Refuse(string where, JsonElement tag, MispProblems problems)
    {
        problems.Add(where, $"expected a tag object with a name, found {MispJson.Shown(tag)}");
        return null;
    }
}
