using System.Runtime.CompilerServices;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Starter;
using Bulwark.Core.Tests.Detection.Files;

namespace Bulwark.Core.Tests.Intel.Stix;

public sealed class StarterIntelTests
{
    private const string Bundle = "proxylogon-hafnium.stix.json";
    private const string ChirpFile = "intel/cisa-chirp/AA21062A.yaml";
    private const string MsticFile = "intel/mstic-exchange-iocs/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv";

    [Fact]
    public void The_shipped_bundle_is_what_the_generator_makes_from_the_public_sources()
    {
        var generated = StarterBundleGenerator.Generate(File.ReadAllText(SharedData.PathOf(ChirpFile)), File.ReadAllText(SharedData.PathOf(MsticFile)));
        if (Environment.GetEnvironmentVariable("BULWARK_UPDATE_GOLDEN") == "1")
        {
            var path = ShippedPath();
            File.WriteAllText(path, generated);
            Assert.Fail($"Rewrote {path}; rebuild, review the diff and run again without BULWARK_UPDATE_GOLDEN.");
        }

        using var reader = new StreamReader(StarterIntel.Open(Bundle));
        Assert.Equal(generated, reader.ReadToEnd());
    }

    [Fact]
    public void The_starter_bundles_load_without_a_problem()
    {
        var catalog = new IntelCatalog();

        var result = StarterIntel.Load(catalog);

        Assert.Equal([Bundle], StarterIntel.Bundles);
        Assert.Empty(catalog.Problems);
        Assert.Equal(0, result.Problems);
        Assert.True(result.Complete);
        Assert.Equal(0, result.Unindexable);
        // 15 addresses and 14 distinct user agents (CISA/Volexity), 14 hashes and 42 distinct paths (Microsoft).
        Assert.Equal(
            new Dictionary<string, int> { ["identity"] = 1, ["marking-definition"] = 1, ["intrusion-set"] = 1, ["indicator"] = 85, ["relationship"] = 85 },
            result.Taken);
        Assert.Empty(result.Skipped);
        Assert.Equal(StarterIntel.SourceId, Assert.Single(catalog.Sources).Id);
        Assert.All(catalog.Indicators, i => Assert.Equal(Tlp.Clear, i.Tlp));
        Assert.All(catalog.Indicators, i => Assert.False(i.Complex));
        Assert.All(catalog.Indicators, i => Assert.Single(i.Values));
        var hafnium = catalog.GetObject(StarterBundleGenerator.HafniumId)!;
        Assert.Equal(("HAFNIUM", Tlp.Clear), (hafnium.Name, hafnium.Tlp));
        Assert.Equal(["HAFNIUM", "Operation Exchange Marauder", "Silk Typhoon"], hafnium.Aliases);
        Assert.Equal([new ExternalId(ExternalId.MitreAttack, "G0125")], hafnium.ExternalIds);
        Assert.Equal("Bulwark", catalog.GetObject(StarterBundleGenerator.IdentityId)!.Name);
    }

    [Fact]
    public void Every_address_of_AA21_062A_is_an_indicator_value()
    {
        var addresses = StarterBundleGenerator.ChirpAddresses(File.ReadAllText(SharedData.PathOf(ChirpFile)));
        var values = Values(IocKind.IPv4);

        Assert.Equal(15, addresses.Count);
        Assert.All(addresses, a => Assert.Contains(a, values));
        Assert.Equal(addresses.Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_user_agent_of_AA21_062A_is_an_indicator_value_as_the_header_reads()
    {
        var logged = StarterBundleGenerator.ChirpUserAgents(File.ReadAllText(SharedData.PathOf(ChirpFile)));
        var values = Values(IocKind.UserAgent);

        Assert.Equal(14, logged.Count);
        Assert.Equal(logged.Select(StarterBundleGenerator.FromIisForm).Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
        Assert.Contains("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", values);
        Assert.Contains("DuckDuckBot/1.0; (+http://duckduckgo.com/duckduckbot.html)", values);
        Assert.Contains("antSword/v2.1", values);
    }

    [Fact]
    public void Every_hash_and_path_of_the_MSTIC_list_is_an_indicator_value()
    {
        var rows = StarterBundleGenerator.MsticRows(File.ReadAllText(SharedData.PathOf(MsticFile)));
        var hashes = Values(IocKind.Sha256);
        var paths = Values(IocKind.FilePath);

        Assert.Equal(61, rows.Count);
        var listed = rows.Where(r => r.Type == "sha256").Select(r => r.Value).ToList();
        Assert.Equal(14, listed.Count);
        Assert.Equal(listed.Order(StringComparer.Ordinal), hashes.Order(StringComparer.Ordinal));
        var listedPaths = rows.Where(r => r.Type == "filepath").Select(r => r.Value).ToList();
        Assert.Equal(47, listedPaths.Count);
        Assert.All(listedPaths, p => Assert.Contains(p, paths, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(42, paths.Count);
        Assert.Contains(@"C:\inetpub\wwwroot\aspnet_client\supp0rt.aspx", paths);
    }

    [Fact]
    public void Each_indicator_indicates_HAFNIUM_and_a_web_shell_path_attributes_to_it()
    {
        var catalog = new IntelCatalog();
        StarterIntel.Load(catalog);

        var indicates = catalog.Relationships.Where(r => r.Type == IntelRelationship.Indicates).ToList();
        Assert.Equal(85, indicates.Count);
        Assert.All(catalog.Indicators, i => Assert.Single(indicates, r => r.SourceRef == i.Id && r.TargetRef == StarterBundleGenerator.HafniumId));
        Assert.Equal(29, indicates.Count(r => r.Confidence == 70));
        Assert.Equal(56, indicates.Count(r => r.Confidence == 50));

        var intel = IntelSet.Build(catalog);
        var hits = intel.Index.MatchFilePath(@"c:/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/8Lw7tAhF9i1pJnRo.aspx");
        var indicator = intel.IndicatorOf(Assert.Single(hits.ToArray()))!;
        var actor = Assert.Single(intel.Attribute([indicator.Id], at: null));
        // The path's confidence 60, through Microsoft's list's link of 50.
        Assert.Equal(("HAFNIUM", 30, Tlp.Clear), (actor.ActorName, actor.Confidence, actor.Tlp));
    }

    private static List<string> Values(IocKind kind)
    {
        var catalog = new IntelCatalog();
        StarterIntel.Load(catalog);
        return [.. catalog.Indicators.SelectMany(i => i.Values).Where(v => v.Kind == kind).Select(v => v.Value)];
    }

    private static string ShippedPath([CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", "..", "..", "src", "Bulwark.Core", "Intel", "Starter", Bundle));
}
