using System.Text;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Tests.Detection.Files;

namespace Bulwark.Core.Tests.Intel.Misp;

public sealed class MispGalaxyReaderTests
{
    private const string HafniumUuid = "4f05d6c1-3fc1-4567-91cd-dd4637cc38b5";
    private const string SilkTyphoonUuid = "9728610a-17cb-5cac-9322-ef19ae296a29";

    private static readonly IntelSource Galaxy = new("misp-galaxy", IntelFormat.MispGalaxy) { DefaultTlp = Tlp.Clear };

    [Fact]
    public void Threat_actor_galaxy_gives_every_cluster_with_country_and_aliases()
    {
        var path = SharedData.PathOf("intel/misp-galaxy/clusters/threat-actor.json");
        var catalog = new IntelCatalog();

        var result = MispGalaxyReader.ReadFile(path, catalog, Galaxy);

        Assert.Empty(result.Problems);
        Assert.Equal((1041, 432), (result.Objects, result.Relationships));
        Assert.All(catalog.Objects, o => Assert.Equal(("intrusion-set", Tlp.Clear, "misp-galaxy"), (o.Type, o.Tlp, o.Source)));
        var countries = catalog.Objects.GroupBy(o => o.Country ?? "").ToDictionary(g => g.Key, g => g.Count());
        // intel.md §5.1 counts 564 without a country; "Prophet Spider" also has one, written as "".
        Assert.Equal((216, 79, 60, 26, 565), (countries["CN"], countries["RU"], countries["IR"], countries["KP"], countries[""]));
        Assert.Equal(80, catalog.Objects.Count(o => o.ExternalIds.Any(e => e.System == ExternalId.MitreAttack)));
        Assert.Equal(149, catalog.Objects.Count(o => o.ExternalIds.Any(e => e.System == MispGalaxyReader.MicrosoftNames)));

        var hafnium = catalog.GetObject($"misp-galaxy:threat-actor--{HafniumUuid}")!;
        Assert.Equal("HAFNIUM", hafnium.Name);
        Assert.Equal("CN", hafnium.Country);
        Assert.Equal(100, hafnium.AttributionConfidence);
        Assert.Equal(["ATK233", "G0125", "Operation Exchange Marauder", "Red Dev 13", "Silk Typhoon", "MURKY PANDA"], hafnium.Aliases);
        Assert.Equal(
            [
                new ExternalId(ExternalId.MispGalaxy, HafniumUuid),
                new ExternalId(ExternalId.MitreAttack, "G0125"),
                new ExternalId(MispGalaxyReader.MicrosoftNames, "Silk Typhoon"),
            ],
            hafnium.ExternalIds);
        Assert.Equal(["misp-galaxy:threat-actor"], hafnium.Labels);
        Assert.StartsWith("HAFNIUM primarily targets entities in the United States", hafnium.Description, StringComparison.Ordinal);

        var apt28 = catalog.GetObject("misp-galaxy:threat-actor--5b4ee3ea-eee3-4c8e-8323-85ae32658754")!;
        Assert.Equal(("APT28", "RU", 50), (apt28.Name, apt28.Country, apt28.AttributionConfidence));
        Assert.Equal(["misp-galaxy:threat-actor", "cfr-suspected-state-sponsor:Russian Federation", "cfr-type-of-incident:Espionage"], apt28.Labels);
        Assert.Contains(new ExternalId(MispGalaxyReader.MicrosoftNames, "Forest Blizzard"), apt28.ExternalIds);
        Assert.Contains(new ExternalId(ExternalId.MitreAttack, "G0007"), apt28.ExternalIds);

        // Read alone, a related cluster in another galaxy is named by its uuid only.
        var silk = Assert.Single(catalog.Relationships, r => r.SourceRef == hafnium.Id && r.TargetRef.EndsWith(SilkTyphoonUuid, StringComparison.Ordinal));
        Assert.Equal(
            new IntelRelationship($"misp-relationship:{hafnium.Id}|similar-to|misp-galaxy--{SilkTyphoonUuid}", hafnium.Id, "similar-to", $"misp-galaxy--{SilkTyphoonUuid}", "misp-galaxy")
            {
                Confidence = 70,
                Tlp = Tlp.Clear,
            },
            silk);
        Assert.Equal(324, catalog.Relationships.Count(r => r.TargetRef.StartsWith("misp-galaxy--", StringComparison.Ordinal)));
    }

    [Fact]
    public void Microsoft_activity_groups_give_weather_names_with_country_and_origin()
    {
        var path = SharedData.PathOf("intel/misp-galaxy/clusters/microsoft-activity-group.json");
        var catalog = new IntelCatalog();

        var result = MispGalaxyReader.ReadFile(path, catalog, Galaxy);

        // NOBELIUM's two "uses" entries have an empty dest-uuid in the data; of the other 92, none is listed twice.
        Assert.Equal(
            [
                $"{path}: values[69].related[4].dest-uuid: '' is not a uuid; the relationship was not read",
                $"{path}: values[69].related[5].dest-uuid: '' is not a uuid; the relationship was not read",
            ],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal("NOBELIUM", catalog.GetObject("misp-galaxy:microsoft-activity-group--d7247cf9-13b6-4781-b789-a5f33521633b")!.Name);
        Assert.Equal((179, 92), (result.Objects, result.Relationships));
        Assert.Equal(113, catalog.Objects.Count(o => o.Country is not null));
        Assert.Equal(157, catalog.Objects.Count(o => o.Labels.Any(l => l.StartsWith("microsoft-origin-threat:", StringComparison.Ordinal))));

        var silk = catalog.GetObject($"misp-galaxy:microsoft-activity-group--{SilkTyphoonUuid}")!;
        Assert.Equal(("intrusion-set", "Silk Typhoon", "CN"), (silk.Type, silk.Name, silk.Country));
        Assert.Equal(["HAFNIUM", "MURKY PANDA", "timmy"], silk.Aliases);
        Assert.Equal(["misp-galaxy:microsoft-activity-group", "microsoft-origin-threat:China"], silk.Labels);
        Assert.Equal(
            [new ExternalId(ExternalId.MispGalaxy, SilkTyphoonUuid), new ExternalId(MispGalaxyReader.MicrosoftNames, "Silk Typhoon")],
            silk.ExternalIds);
        Assert.Null(silk.AttributionConfidence);
    }

    [Fact]
    public void A_clusters_folder_resolves_related_entries_across_galaxies()
    {
        var folder = SharedData.PathOf("intel/misp-galaxy/clusters");
        var catalog = new IntelCatalog();

        var result = MispGalaxyReader.ReadDirectory(folder, catalog, Galaxy);

        Assert.Equal(2, result.Problems.Count); // NOBELIUM's two empty dest-uuids (see above)
        Assert.Equal((1220, 524), (result.Objects, result.Relationships));
        Assert.Equal(266, catalog.Relationships.Count(r => r.TargetRef.StartsWith("misp-galaxy--", StringComparison.Ordinal)));
        Assert.Contains(
            catalog.Relationships,
            r => r.SourceRef == $"misp-galaxy:threat-actor--{HafniumUuid}" && r.Type == "similar-to" && r.TargetRef == $"misp-galaxy:microsoft-activity-group--{SilkTyphoonUuid}");
        Assert.Contains(
            catalog.Relationships,
            r => r.SourceRef == $"misp-galaxy:microsoft-activity-group--{SilkTyphoonUuid}" && r.TargetRef == $"misp-galaxy:threat-actor--{HafniumUuid}");
    }

    [Fact]
    public void Bad_countries_confidences_and_clusters_are_problems_and_the_rest_is_read()
    {
        var json = """
            {"type": "threat-actor", "values": [
              {"uuid": "f02679fa-5e85-4050-8eb5-c2677d93306f", "value": "Volt Typhoon", "meta": {"country": "cn", "attribution-confidence": 75}},
              {"uuid": "bcaaad6f-0597-4b89-b69b-84a6be2b7bc3", "value": "Kimsuky", "meta": {"country": "North Korea", "attribution-confidence": "high"}},
              {"uuid": "68391641-859f-4a9a-9a1e-3e5cf71ec376", "value": "Lazarus Group", "meta": {"country": "XX", "synonyms": "Hidden Cobra"}},
              {"value": "No uuid"},
              {"uuid": "not-a-uuid", "value": "Bad uuid"},
              {"uuid": "fa80877c-f509-4daf-8b62-20aba1635f68", "value": ""},
              {"uuid": "f512de42-f76b-40d2-9923-59e7dbdfec35", "value": "Sandworm", "meta": "x", "related": [{"type": "similar"}, 3]},
              "cluster"
            ]}
            """;
        var catalog = new IntelCatalog();

        var result = MispGalaxyReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "ta.json", catalog, Galaxy);

        Assert.Equal(
            [
                "ta.json: values[1].meta.attribution-confidence: expected an integer 0 to 100, found the string 'high'; cluster 'Kimsuky' was kept without it",
                "ta.json: values[1].meta.country: 'North Korea' is not an ISO 3166-1 alpha-2 country code; cluster 'Kimsuky' was kept without a country",
                "ta.json: values[2].meta.country: 'XX' is not an ISO 3166-1 alpha-2 country code; cluster 'Lazarus Group' was kept without a country",
                "ta.json: values[3].uuid: cluster 'No uuid' has no uuid; it was not read",
                "ta.json: values[4].uuid: 'not-a-uuid' is not a uuid; the cluster was not read",
                "ta.json: values[5].value: cluster fa80877c-f509-4daf-8b62-20aba1635f68 has no value (name); it was not read",
                "ta.json: values[6].meta: expected an object, found the string 'x'",
                "ta.json: values[6].related[0].dest-uuid: no dest-uuid; the relationship was not read",
                "ta.json: values[6].related[1]: expected a related-cluster object, found the number '3'",
                "ta.json: values[7]: expected a cluster object, found the string 'cluster'",
            ],
            result.Problems.Select(p => p.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(4, result.Objects);
        Assert.Equal(("CN", 75), (catalog.GetObject("misp-galaxy:threat-actor--f02679fa-5e85-4050-8eb5-c2677d93306f")!.Country, catalog.GetObject("misp-galaxy:threat-actor--f02679fa-5e85-4050-8eb5-c2677d93306f")!.AttributionConfidence));
        Assert.Equal(["Hidden Cobra"], catalog.GetObject("misp-galaxy:threat-actor--68391641-859f-4a9a-9a1e-3e5cf71ec376")!.Aliases);
        Assert.Null(catalog.GetObject("misp-galaxy:threat-actor--bcaaad6f-0597-4b89-b69b-84a6be2b7bc3")!.Country);
    }

    [Fact]
    public void Truncated_and_typeless_galaxy_files_are_problems_with_position()
    {
        var catalog = new IntelCatalog();

        var cut = MispGalaxyReader.Read(new MemoryStream("{\"type\": \"threat-actor\",\n \"values\": [{\"uuid\": "u8.ToArray()), "cut.json", catalog, Galaxy);
        var typeless = MispGalaxyReader.Read(new MemoryStream("{\"values\": []}"u8.ToArray()), "typeless.json", catalog, Galaxy);
        var sectors = MispGalaxyReader.Read(new MemoryStream("{\"type\": \"sector\", \"values\": []}"u8.ToArray()), "sector.json", catalog, Galaxy);
        var values = MispGalaxyReader.Read(new MemoryStream("{\"type\": \"threat-actor\", \"values\": {\"a\": 1}}"u8.ToArray()), "values.json", catalog, Galaxy);

        Assert.Equal(
            ["cut.json: line 2, byte 22: invalid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed; nothing was read from this file"],
            cut.Problems.Select(p => p.ToString()));
        Assert.Equal(["typeless.json: type: the file names no galaxy type, which every cluster id needs; nothing was read"], typeless.Problems.Select(p => p.ToString()));
        Assert.Equal(["sector.json: type: galaxy 'sector' describes no threat actor, malware, tool or technique; its clusters were not read"], sectors.Problems.Select(p => p.ToString()));
        Assert.Equal(["values.json: values: expected an array of clusters, found an object; no clusters were read from it"], values.Problems.Select(p => p.ToString()));
        Assert.Empty(catalog.Objects);
    }
}
