namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// The STIX type a MISP galaxy's clusters stand for: actor galaxies (<c>threat-actor</c>,
/// <c>microsoft-activity-group</c>, <c>mitre-intrusion-set</c>…) are intrusion sets, as ATT&amp;CK calls its groups;
/// malware and tool galaxies are malware and tools; ATT&amp;CK technique galaxies are attack patterns. Other
/// galaxies (sectors, countries, target information) describe no threat object and are not taken as objects.
/// </summary>
public static class MispGalaxyTypes
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["threat-actor"] = "intrusion-set",
        ["microsoft-activity-group"] = "intrusion-set",
        ["mitre-intrusion-set"] = "intrusion-set",
        ["360net"] = "intrusion-set",
        ["malpedia"] = "malware",
        ["ransomware"] = "malware",
        ["rat"] = "malware",
        ["banker"] = "malware",
        ["botnet"] = "malware",
        ["stealer"] = "malware",
        ["backdoor"] = "malware",
        ["android"] = "malware",
        ["exploit-kit"] = "malware",
        ["tool"] = "tool",
    };

    /// <summary>The STIX type for clusters of <paramref name="galaxyType"/>, or null when the galaxy names no threat object.</summary>
    public static string? StixType(string galaxyType)
    {
        ArgumentNullException.ThrowIfNull(galaxyType);
        if (Known.TryGetValue(galaxyType, out var type))
        {
            return type;
        }

        // mitre-enterprise-attack-intrusion-set, mitre-mobile-attack-malware, mitre-tool, mitre-attack-pattern…
        return galaxyType.ToLowerInvariant() switch
        {
            var t when t.EndsWith("intrusion-set", StringComparison.Ordinal) => "intrusion-set",
            var t when t.EndsWith("-malware", StringComparison.Ordinal) => "malware",
            var t when t.EndsWith("-tool", StringComparison.Ordinal) => "tool",
            var t when t.EndsWith("attack-pattern", StringComparison.Ordinal) => "attack-pattern",
            _ => null,
        };
    }
}
