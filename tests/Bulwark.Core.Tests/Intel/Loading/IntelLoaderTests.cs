using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Tests.Detection.Files;
using Bulwark.Core.Tests.Intel.Misp;
using Bulwark.Core.Tests.Support;

namespace Bulwark.Core.Tests.Intel.Loading;

/// <summary>A folder of mixed intelligence: each file's format recognised from its content, problems named, the rest taken.</summary>
public sealed class IntelLoaderTests
{
    private const string Bundle = """
        {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
        {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.9']","pattern_type":"stix","valid_from":"2021-03-02T00:00:00Z"}
        ]}
        """;

    [Fact]
    public void A_folder_of_every_format_is_read_with_each_file_as_a_source()
    {
        using var tree = new TempTree();
        tree.Write("stix/campaign.json", Bundle);
        tree.Write("lists/ips.txt", "198.51.100.10\n8.8.8.8\n");
        tree.Write("misp/event.json", File.ReadAllText(MispFixtures.PathOf("hafnium-event.json")));
        tree.Write("warninglists/dns.json", File.ReadAllText(MispFixtures.PathOf("warninglists/public-dns-resolvers/list.json")));
        tree.Write("notes/chirp.yaml", "name: x\n");
        tree.Write("notes/data.tsv", "a\tb\n");
        tree.Write("notes/README.md", "# notes\n");
        tree.Write("notes/other.json", "{\"hello\": 1}");
        var catalog = new IntelCatalog();

        var sources = IntelLoader.Load(tree.Root, catalog, new IntelLoadOptions { DefaultTlp = Tlp.Green, SourcePrefix = "mine/" });

        Assert.Equal(
            [
                ("mine/warninglists/dns.json", IntelFormat.MispWarninglist),
                ("mine/stix/campaign.json", IntelFormat.StixBundle),
                ("mine/lists/ips.txt", IntelFormat.PlainList),
                ("mine/misp/event.json", IntelFormat.MispEvent),
            ],
            sources.Select(s => (s.Source.Id, s.Source.Format)));
        Assert.All(sources, s => Assert.Equal(Tlp.Green, s.Source.DefaultTlp));
        Assert.Equal(1, sources.Single(s => s.Source.Format == IntelFormat.StixBundle).Indicators);
        Assert.Equal(2, sources.Single(s => s.Source.Format == IntelFormat.PlainList).Indicators);
        Assert.Equal(1, sources.Single(s => s.Source.Format == IntelFormat.MispWarninglist).Warninglists);
        Assert.Equal(
            [
                Path.Combine(tree.Root, "notes", "chirp.yaml") + ": YAML is not read (for CHIRP or STIX 1.x files, convert them to STIX 2.1 or a plain list)",
                Path.Combine(tree.Root, "notes", "data.tsv") + ": '.tsv' files are not read: plain lists must be .txt, .csv, .lst, .list or .ioc",
                Path.Combine(tree.Root, "notes", "other.json") + ": JSON that is neither a STIX bundle, a MISP event, a MISP galaxy cluster file nor a MISP warninglist",
            ],
            catalog.Problems.Where(p => p.File.Contains("notes", StringComparison.Ordinal)).Select(p => p.ToString()).Order(StringComparer.Ordinal));

        var intel = IntelLoader.Build(catalog);
        Assert.Equal(1, intel.Index.Match("198.51.100.9").Count);
        Assert.Equal(1, intel.Index.Match("198.51.100.10").Count);
        Assert.True(intel.Index.Match("8.8.8.8").IsEmpty);
        Assert.Contains(intel.Suppressed, s => s.Value.Value == "8.8.8.8" && s.List == "List of known public DNS resolvers (test)");
    }

    [Fact]
    public void A_folder_with_a_manifest_is_one_misp_feed()
    {
        var catalog = new IntelCatalog();

        var source = Assert.Single(IntelLoader.Load(MispFixtures.PathOf("feed"), catalog));

        Assert.Equal(("feed", IntelFormat.MispFeed), (source.Source.Id, source.Source.Format));
        Assert.Equal(5, source.Indicators);
    }

    [Fact]
    public void A_missing_path_is_a_problem_not_an_exception()
    {
        var catalog = new IntelCatalog();

        Assert.Empty(IntelLoader.Load("/nonexistent/intel", catalog));
        Assert.Equal("/nonexistent/intel: no such file or directory", Assert.Single(catalog.Problems).ToString());
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("\n  \r\n", "empty file")]
    [InlineData("\0\u0001binary", "binary file: expected STIX or MISP JSON, or a text list of indicators")]
    public void Empty_and_binary_files_are_refused_with_the_reason(string content, string reason)
    {
        using var tree = new TempTree();
        tree.Write("x.txt", content);
        var catalog = new IntelCatalog();

        Assert.Empty(IntelLoader.Load(tree.Root, catalog));
        Assert.Equal(Path.Combine(tree.Root, "x.txt") + ": " + reason, Assert.Single(catalog.Problems).ToString());
    }

    [Fact]
    public void Attack_and_the_misp_galaxy_together_give_one_actor_per_group_with_countries()
    {
        var catalog = new IntelCatalog();
        IntelLoader.Load(SharedData.PathOf("intel/attack/enterprise-attack-18.1-groups-software.json"), catalog);
        IntelLoader.Load(SharedData.PathOf("intel/misp-galaxy/clusters"), catalog);
        var actors = IntelLoader.Build(catalog).Actors;

        var hafnium = Assert.Single(actors.Resolve("Silk Typhoon"));
        Assert.Equal(("G0125", "HAFNIUM", "CN"), (hafnium.Id, hafnium.Name, hafnium.Country));
        Assert.Same(hafnium, Assert.Single(actors.Resolve("MURKY PANDA")));
        var magicHound = Assert.Single(actors.Resolve("Charming Kitten"));
        Assert.Equal(("G0059", "IR"), (magicHound.Id, magicHound.Country));
        Assert.Same(magicHound, Assert.Single(actors.Resolve("Mint Sandstorm")));
        var apt28 = Assert.Single(actors.Resolve("Forest Blizzard"));
        Assert.Equal(("G0007", "APT28", "RU"), (apt28.Id, apt28.Name, apt28.Country));
        var kimsuky = Assert.Single(actors.Resolve("Emerald Sleet"));
        Assert.Equal(("G0094", "KP"), (kimsuky.Id, kimsuky.Country));
        Assert.Equal(2, actors.Resolve("Thrip").Count);
    }
}
