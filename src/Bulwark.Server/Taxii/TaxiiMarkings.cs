using Bulwark.Data.Taxii;

namespace Bulwark.Server.Taxii;

/// <summary>The TLP 1.0 and 2.0 marking-definition ids (intel.md §8.1) and the level each means.</summary>
public static class TaxiiMarkings
{
    private static readonly Dictionary<string, TaxiiTlp> Levels = new(StringComparer.Ordinal)
    {
        ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"] = TaxiiTlp.Clear,
        ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"] = TaxiiTlp.Green,
        ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"] = TaxiiTlp.Amber,
        ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"] = TaxiiTlp.Red,
        ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"] = TaxiiTlp.Clear,
        ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"] = TaxiiTlp.Green,
        ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"] = TaxiiTlp.Amber,
        ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"] = TaxiiTlp.AmberStrict,
        ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"] = TaxiiTlp.Red,
    };

    public static TaxiiTlp? Level(string markingId) => Levels.TryGetValue(markingId, out var level) ? level : null;

    public static string Name(TaxiiTlp level) => level switch
    {
        TaxiiTlp.Clear => "TLP:CLEAR",
        TaxiiTlp.Green => "TLP:GREEN",
        TaxiiTlp.Amber => "TLP:AMBER",
        TaxiiTlp.AmberStrict => "TLP:AMBER+STRICT",
        TaxiiTlp.Red => "TLP:RED",
        _ => level.ToString(),
    };
}
