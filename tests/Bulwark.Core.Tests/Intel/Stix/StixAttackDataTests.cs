using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;
using Bulwark.Core.Tests.Detection.Files;

namespace Bulwark.Core.Tests.Intel.Stix;

/// <summary>MITRE ATT&amp;CK v18.1 as published: the Enterprise groups/software bundle (STIX 2.0) and the ICS bundle (STIX 2.1).</summary>
public sealed class StixAttackDataTests
{
    private const string Enterprise = "intel/attack/enterprise-attack-18.1-groups-software.json";
    private const string Ics = "intel/attack/ics-attack-18.1.json";
    private const string Hafnium = "intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87";
    private const string CharmingKitten = "intrusion-set--92d5b3fd-3b39-438e-af68-770e447beada";
    private const string MagicHound = "intrusion-set--f9d6633a-55e6-4adc-9263-6ae080421a13";

    private static readonly IntelSource Attack = new("mitre-attack", IntelFormat.StixBundle) { DefaultTlp = Tlp.Clear };

    [Fact]
    public void The_enterprise_bundle_is_read_whole_without_a_problem()
    {
        var (catalog, result) = ReadFile(Enterprise);

        Assert.Empty(catalog.Problems);
        Assert.True(result.Complete);
        Assert.Equal("2.0", result.SpecVersion);
        Assert.Equal(2088, result.Objects);
        Assert.Equal(
            new Dictionary<string, int> { ["marking-definition"] = 1, ["identity"] = 1, ["intrusion-set"] = 187, ["malware"] = 696, ["tool"] = 91, ["relationship"] = 1112 },
            result.Taken);
        Assert.Empty(result.Skipped);
        Assert.Equal(975, catalog.Objects.Count);
        Assert.Equal(1112, catalog.Relationships.Count);
        // The copyright statement marking is not TLP: everything gets the source's default.
        Assert.All(catalog.Objects, o => Assert.Equal(Tlp.Clear, o.Tlp));
    }

    [Fact]
    public void Every_enterprise_intrusion_set_matches_its_row_in_the_ATTACK_table()
    {
        var rows = File.ReadAllLines(SharedData.PathOf("intel/attack/enterprise-intrusion-sets-18.1.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        var (catalog, _) = ReadFile(Enterprise);
        var groups = catalog.Objects.Where(o => o.Type == "intrusion-set").ToDictionary(o => o.Id);

        Assert.Equal(187, rows.Count);
        Assert.Equal(rows.Count, groups.Count);
        foreach (var row in rows)
        {
            var group = groups[row[3]];
            Assert.Equal(
                (row[1], row[2], row[4] == "true", row[5] == "true", DateTimeOffset.Parse(row[6], System.Globalization.CultureInfo.InvariantCulture)),
                (group.Name, string.Join("; ", group.Aliases), group.Revoked, group.Deprecated, group.Modified!.Value));
            Assert.Contains(new ExternalId(ExternalId.MitreAttack, row[0]), group.ExternalIds);
        }

        // intel.md §4: six revoked groups, nine deprecated.
        Assert.Equal(["G0042", "G0057", "G0058", "G0074", "G0086", "G0118"], AttackIds(groups.Values.Where(g => g.Revoked)));
        Assert.Equal(["G0014", "G0015", "G0031", "G0072", "G0101", "G0104", "G0116", "G0132", "G0141"], AttackIds(groups.Values.Where(g => g.Deprecated)));
        Assert.Equal(2, catalog.Objects.Count(o => o.Type == "malware" && o.Revoked));
        Assert.Equal(1, catalog.Objects.Count(o => o.Type == "malware" && o.Deprecated));
    }

    [Fact]
    public void HAFNIUM_is_G0125_with_its_Microsoft_name()
    {
        var (catalog, _) = ReadFile(Enterprise);

        var hafnium = catalog.GetObject(Hafnium)!;
        Assert.Equal(("intrusion-set", "HAFNIUM", false, false), (hafnium.Type, hafnium.Name, hafnium.Revoked, hafnium.Deprecated));
        Assert.Equal(["HAFNIUM", "Operation Exchange Marauder", "Silk Typhoon"], hafnium.Aliases);
        Assert.Equal(new ExternalId(ExternalId.MitreAttack, "G0125"), hafnium.ExternalIds[0]);
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 19, 40, 47, 280, TimeSpan.Zero), hafnium.Created);
        Assert.StartsWith("[HAFNIUM](https://attack.mitre.org/groups/G0125) is a likely state-sponsored cyber espionage group operating out of China", hafnium.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Charming_Kitten_is_revoked_by_Magic_Hound()
    {
        var (catalog, _) = ReadFile(Enterprise);

        var kitten = catalog.GetObject(CharmingKitten)!;
        Assert.Equal(("Charming Kitten", true), (kitten.Name, kitten.Revoked));
        Assert.Equal(new ExternalId(ExternalId.MitreAttack, "G0058"), kitten.ExternalIds[0]);
        var revokedBy = Assert.Single(catalog.Relationships, r => r.SourceRef == CharmingKitten);
        Assert.Equal(("relationship--49ebf3d0-48f7-4b04-a4e9-dd54a663dae1", IntelRelationship.RevokedBy, MagicHound), (revokedBy.Id, revokedBy.Type, revokedBy.TargetRef));
        Assert.Equal(new ExternalId(ExternalId.MitreAttack, "G0059"), catalog.GetObject(MagicHound)!.ExternalIds[0]);
        Assert.Equal(8, catalog.Relationships.Count(r => r.Type == IntelRelationship.RevokedBy));
    }

    [Fact]
    public void The_ICS_bundle_is_read_as_STIX_2_1_and_skips_the_ATTACK_only_types()
    {
        var (catalog, result) = ReadFile(Ics);

        Assert.Empty(catalog.Problems);
        Assert.Null(result.SpecVersion);
        Assert.Equal(1826, result.Objects);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["attack-pattern"] = 95,
                ["malware"] = 30,
                ["intrusion-set"] = 16,
                ["campaign"] = 8,
                ["relationship"] = 1373,
                ["identity"] = 1,
                ["marking-definition"] = 1,
            },
            result.Taken);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["x-mitre-detection-strategy"] = 83,
                ["x-mitre-analytic"] = 82,
                ["course-of-action"] = 52,
                ["x-mitre-data-component"] = 36,
                ["x-mitre-asset"] = 18,
                ["x-mitre-data-source"] = 17,
                ["x-mitre-tactic"] = 12,
                ["x-mitre-collection"] = 1,
                ["x-mitre-matrix"] = 1,
            },
            result.Skipped);
        Assert.Equal(["APT34", "Dragonfly 2.0"], catalog.Objects.Where(o => o.Type == "intrusion-set" && o.Revoked).Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Equal(12, catalog.Objects.Count(o => o.Type == "attack-pattern" && o.Deprecated));
        Assert.Equal(5, catalog.Relationships.Count(r => r.Type == IntelRelationship.AttributedTo));
        Assert.All(catalog.Objects.Where(o => o.Type == "attack-pattern"), t => Assert.Matches("^T0[0-9]{3}$", Assert.Single(t.ExternalIds, e => e.System == ExternalId.MitreAttack).Value));
    }

    [Fact]
    public void A_small_buffer_reads_the_enterprise_bundle_exactly_as_a_large_one()
    {
        var (whole, _) = ReadFile(Enterprise);
        var catalog = new IntelCatalog();
        using var stream = File.OpenRead(SharedData.PathOf(Enterprise));

        var result = StixReader.Read(stream, "enterprise.json", Attack, catalog, new StixReadOptions { BufferBytes = 256 });

        Assert.Empty(catalog.Problems);
        Assert.Equal(2088, result.Objects);
        Assert.Equal(
            whole.Objects.OrderBy(o => o.Id, StringComparer.Ordinal).Select(o => (o.Id, o.Name, string.Join("|", o.Aliases), o.Modified)),
            catalog.Objects.OrderBy(o => o.Id, StringComparer.Ordinal).Select(o => (o.Id, o.Name, string.Join("|", o.Aliases), o.Modified)));
    }

    private static (IntelCatalog Catalog, StixReadResult Result) ReadFile(string relative)
    {
        var path = SharedData.PathOf(relative);
        var catalog = new IntelCatalog();
        var result = new StixReader(Attack, catalog).ReadFile(path);
        return (catalog, result);
    }

    private static List<string> AttackIds(IEnumerable<IntelObject> objects) =>
        [.. objects.Select(o => o.ExternalIds.First(e => e.System == ExternalId.MitreAttack).Value).Order(StringComparer.Ordinal)];
}
