using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// The STIX marking-definition ids of TLP 1.0 (predefined in STIX 2.1) and TLP 2.0 (oasis-open/cti-stix-common-objects,
/// extension <c>extension-definition--60a3c5c5-…</c>, property <c>tlp_2_0</c>), intel.md §8.1, and the level names
/// marking definitions carry. Readers recognise both; writers use TLP 2.0.
/// </summary>
public static class TlpMarkings
{
    /// <summary>The TLP 2.0 property extension a marking-definition carries its level in.</summary>
    public const string Tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    public const string Tlp1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    public const string Tlp1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public const string Tlp1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public const string Tlp1Red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    public const string Tlp2Clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    public const string Tlp2Green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    public const string Tlp2Amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    public const string Tlp2AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    public const string Tlp2Red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    private static readonly Dictionary<string, Tlp> Known = new(StringComparer.Ordinal)
    {
        [Tlp1White] = Tlp.Clear,
        [Tlp1Green] = Tlp.Green,
        [Tlp1Amber] = Tlp.Amber,
        [Tlp1Red] = Tlp.Red,
        [Tlp2Clear] = Tlp.Clear,
        [Tlp2Green] = Tlp.Green,
        [Tlp2Amber] = Tlp.Amber,
        [Tlp2AmberStrict] = Tlp.AmberStrict,
        [Tlp2Red] = Tlp.Red,
    };

    /// <summary>The level of a predefined TLP 1.0 or TLP 2.0 marking-definition id, or null.</summary>
    public static Tlp? OfId(string id) => Known.TryGetValue(id, out var tlp) ? tlp : null;

    /// <summary>The TLP 2.0 marking-definition id for <paramref name="tlp"/>.</summary>
    public static string Tlp2Id(Tlp tlp) => tlp switch
    {
        Tlp.Clear => Tlp2Clear,
        Tlp.Green => Tlp2Green,
        Tlp.Amber => Tlp2Amber,
        Tlp.AmberStrict => Tlp2AmberStrict,
        _ => Tlp2Red,
    };

    /// <summary>
    /// A level as TLP 1.0 <c>definition.tlp</c>, TLP 2.0 <c>tlp_2_0</c> or a marking name writes it: <c>white</c>,
    /// <c>clear</c>, <c>amber+strict</c>, <c>TLP:AMBER</c>, <c>tlp:green</c> (case-insensitive); null for anything else.
    /// </summary>
    public static Tlp? ParseLevel(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var level = text.Trim();
        if (level.StartsWith("tlp:", StringComparison.OrdinalIgnoreCase))
        {
            level = level[4..].Trim();
        }

        return level.ToLowerInvariant() switch
        {
            "white" or "clear" => Tlp.Clear,
            "green" => Tlp.Green,
            "amber" => Tlp.Amber,
            "amber+strict" => Tlp.AmberStrict,
            "red" => Tlp.Red,
            _ => null,
        };
    }
}
