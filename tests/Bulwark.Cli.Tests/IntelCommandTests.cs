namespace Bulwark.Cli.Tests;

/// <summary><c>bulwark intel import | list | match</c> and <c>scan --intel</c> against a private store.</summary>
public sealed class IntelCommandTests : IDisposable
{
    private const string Bundle = """
        {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
        {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","name":"ProxyLogon exploit client","pattern":"[ipv4-addr:value = '130.255.189.21']","pattern_type":"stix","valid_from":"2021-03-02T00:00:00Z","confidence":85,"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
        {"type":"indicator","spec_version":"2.1","id":"indicator--1f4d0e39-4d1a-4f4c-9a3d-3c2b0f1e2d3c","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","pattern":"[ipv4-addr:value = '130.255.189.21' AND ","pattern_type":"stix","valid_from":"2021-03-02T00:00:00Z"},
        {"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","name":"Exchange Crew","aliases":["Storm-9999"]},
        {"type":"relationship","spec_version":"2.1","id":"relationship--0a7f3b4e-55ce-4a4c-8a0e-6f1d2c3b4a59","created":"2021-03-02T00:00:00.000Z","modified":"2021-03-02T00:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d"}
        ]}
        """;

    private const string List = """
        # attacker infrastructure seen by a partner CERT
        130.255.189[.]21
        hxxp://evil.example/payload
        not a value at all
        203.0.113.0/24
        """;

    private readonly TempDir _dir = new();

    private string Store => Path.Combine(_dir.Root, "store");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Import_reports_what_was_taken_and_every_problem_with_its_place_and_keeps_a_copy()
    {
        var bundle = _dir.Write("in/campaign.json", Bundle);

        var (exit, output, error) = Cli.Run("intel", "import", bundle, "--tlp", "green", "--store", Store);

        Assert.Equal(0, exit);
        Assert.Equal(
            "campaign.json/campaign.json: STIX, 1 indicator, 1 object, 1 relationship, unmarked TLP:GREEN, 1 problem\n"
            + $"imported 'campaign.json': 1 indexed values from 1 indicators, 1 actors, 1 problems, 0 values on warninglists; stored in {Path.Combine(Store, "campaign.json")}\n",
            output.ReplaceLineEndings("\n"));
        Assert.Equal(
            $"{bundle}: objects[1].pattern (object at line 3): not a valid STIX pattern: pattern ends where an object path was expected (at offset 40)\n",
            error.ReplaceLineEndings("\n"));
        Assert.Equal(Bundle, File.ReadAllText(Path.Combine(Store, "campaign.json", "campaign.json")));
    }

    [Fact]
    public void List_and_match_read_the_store_with_each_imports_tlp()
    {
        Cli.Run("intel", "import", _dir.Write("in/campaign.json", Bundle), "--tlp", "green", "--store", Store);
        Cli.Run("intel", "import", _dir.Write("in/list.txt", List), "--name", "partner", "--store", Store);

        var (listExit, list, _) = Cli.Run("intel", "list", "--store", Store, "--no-starter");
        var (matchExit, match, _) = Cli.Run("intel", "match", "130.255.189[.]21", "--store", Store, "--no-starter");

        Assert.Equal(0, listExit);
        Assert.Equal(
            $"store: {Store}\n"
            + "campaign.json/campaign.json  STIX  1 indicator  1 object  1 relationship  unmarked TLP:GREEN\n"
            + "partner/list.txt  list  3 indicators  0 objects  0 relationships  unmarked TLP:AMBER\n"
            + "total: 4 indexed values, 4 indicators, 1 actors, 2 problems, 0 values on warninglists\n",
            list.ReplaceLineEndings("\n"));
        Assert.Equal(0, matchExit);
        Assert.Equal(
            "address 130.255.189.21\n"
            + "  source: campaign.json (campaign.json/campaign.json), TLP:GREEN, confidence 85\n"
            + "  indicator: indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f \"ProxyLogon exploit client\"\n"
            + "  valid: 2021-03-02T00:00:00Z to -\n"
            + "  actor: Exchange Crew (intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d), confidence 85, TLP:GREEN; aka Storm-9999\n"
            + "address 130.255.189.21\n"
            + "  source: list.txt (partner/list.txt), TLP:AMBER, confidence 50\n",
            match.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Match_knows_the_starter_intelligence_and_actor_names()
    {
        var (exit, output, _) = Cli.Run("intel", "match", "Silk Typhoon", "--store", Store);
        var (ipExit, ip, _) = Cli.Run("intel", "match", "104.140.114.110", "--store", Store);

        Assert.Equal(0, exit);
        Assert.StartsWith("actor HAFNIUM (G0125), CN\n  aka: Operation Exchange Marauder, Silk Typhoon\n", output.ReplaceLineEndings("\n"));
        Assert.Equal(0, ipExit);
        Assert.Contains("  actor: HAFNIUM (G0125), CN", ip, StringComparison.Ordinal);
        Assert.Contains("TLP:CLEAR", ip, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_of_an_unknown_value_exits_1()
    {
        var (exit, output, _) = Cli.Run("intel", "match", "192.0.2.77", "--store", Store, "--no-starter");

        Assert.Equal(1, exit);
        Assert.Equal("nothing known about '192.0.2.77'\n", output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--tlp", "purple", "--tlp 'purple': expected clear, green, amber, amber+strict or red")]
    [InlineData("--confidence", "101", "--confidence 101: expected 0 to 100")]
    [InlineData("--name", "../escape", "--name '../escape': a plain name without")]
    public void Import_refuses_bad_options(string option, string value, string message)
    {
        var (exit, _, error) = Cli.Run("intel", "import", _dir.Write("in/list.txt", List), option, value, "--store", Store);

        Assert.Equal(2, exit);
        Assert.StartsWith("bulwark intel import: " + message, error);
        Assert.False(Directory.Exists(Store));
    }

    [Fact]
    public void Import_of_a_file_with_nothing_usable_exits_2_and_stores_nothing()
    {
        var (exit, _, error) = Cli.Run("intel", "import", _dir.Write("in/notes.json", "{\"hello\": \"world\"}"), "--store", Store);

        Assert.Equal(2, exit);
        Assert.Contains("notes.json: JSON that is neither a STIX bundle", error, StringComparison.Ordinal);
        Assert.Contains("nothing usable", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Store));
    }

    [Fact]
    public void Scan_with_intel_attributes_the_samples_exploitation_to_the_bundles_actor()
    {
        var intel = _dir.Write("intel/campaign.json", Bundle);
        var report = Path.Combine(_dir.Root, "report.json");

        var (exit, _, error) = Cli.Run("scan", Cli.Samples, "--intel", Path.GetDirectoryName(intel)!, "--format", "json", "--output", report, "-q");

        Assert.Equal(1, exit);
        Assert.Contains("objects[1].pattern", error, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        var match = Assert.Single(findings, f => f.GetProperty("detection").GetString() == "intel.indicator-match");
        Assert.Equal("130.255.189.21", match.GetProperty("subject").GetString());
        Assert.Equal(14, match.GetProperty("evidenceCount").GetInt32());
        // The indicator is GREEN but the intrusion set is unmarked (so AMBER): the attribution takes the strictest.
        Assert.Equal("AMBER", match.GetProperty("tlp").GetString());
        var actor = Assert.Single(match.GetProperty("attribution").EnumerateArray());
        Assert.Equal("Exchange Crew", actor.GetProperty("actor").GetString());
        Assert.Equal(85, actor.GetProperty("confidence").GetInt32());
        Assert.Equal(5, findings.Count(f => f.TryGetProperty("attribution", out _) && f.GetProperty("detection").GetString() != "intel.indicator-match"));
    }

    [Fact]
    public void Scan_with_a_missing_intel_path_is_a_usage_error()
    {
        var (exit, _, error) = Cli.Run("scan", Cli.Samples, "--intel", Path.Combine(_dir.Root, "nope"));

        Assert.Equal(2, exit);
        Assert.Contains("--intel", error, StringComparison.Ordinal);
        Assert.Contains("no such file or directory", error, StringComparison.Ordinal);
    }
}
