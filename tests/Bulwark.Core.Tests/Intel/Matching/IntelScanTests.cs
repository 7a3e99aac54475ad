using System.Security.Cryptography;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Scanning;
using Bulwark.Core.Tests.Support;

namespace Bulwark.Core.Tests.Intel.Matching;

/// <summary>The scanner with intel over the sample tree: every web request and file is matched.</summary>
public sealed class IntelScanTests
{
    private const string Attacker = "130.255.189.21";

    private static string Samples => Path.Combine(RepositoryRoot(), "samples", "exchange-server");

    private static ScanResult ScanWith(IntelCatalog catalog, Func<IntelIndicator, Core.Sources.LogEvent, bool>? confirm = null) =>
        new Scanner(new ScanOptions
        {
            Threads = 2,
            LogDetectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            FileDetectors = FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            Intel = IntelSet.Build(catalog),
            ConfirmPattern = confirm,
        }).Scan(Samples, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public void An_address_indicator_matches_every_request_from_it_and_attributes_the_findings_on_those_lines()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, Attacker, confidence: 85);

        var result = ScanWith(catalog);

        var intel = Assert.Single(result.Of(IntelDetections.IndicatorMatch.Id));
        Assert.Equal(Attacker, intel.Subject);
        Assert.Equal(14, intel.EvidenceCount);
        Assert.Equal(Confidence.High, intel.Confidence);
        Assert.Equal(Tlp.Green, intel.Tlp);
        var attribution = Assert.Single(intel.Attribution);
        Assert.Equal(("G0125", "HAFNIUM", 85, Tlp.Green), (attribution.ActorId, attribution.ActorName, attribution.Confidence, attribution.Tlp));
        var first = intel.Evidence[0];
        Assert.Equal("address " + Attacker, first.Fields[IntelEvidence.Indicator]);
        Assert.Equal("indicator--1", first.Fields[IntelEvidence.IndicatorId]);
        Assert.Equal("Test feed (test-feed), TLP:GREEN, confidence 85, \"IPv4 130.255.189.21\"", first.Fields[IntelEvidence.Source]);

        // The findings made from the same requests are attributed too; findings on other lines are untouched.
        var places = intel.Evidence.Select(e => (e.File, e.Line)).ToHashSet();
        var others = result.Findings.Where(f => f.DetectionId != IntelDetections.IndicatorMatch.Id).ToList();
        var shared = others.Where(f => f.Evidence.Any(e => places.Contains((e.File, e.Line)))).ToList();
        Assert.Equal(
            ["exchange.intel.attacker-user-agent", "exchange.proxylogon.request", "exchange.proxylogon.ssrf", "exchange.proxylogon.ssrf-attempt", "exchange.proxylogon.vdir-reset"],
            shared.Select(f => f.DetectionId).Order(StringComparer.Ordinal));

        // A medium-confidence attempt on a line the intel names becomes high.
        Assert.Equal(Confidence.Medium, ExchangeDetections.ProxyLogonSsrfAttempt.Confidence);
        Assert.Equal(Confidence.High, Assert.Single(shared, f => f.DetectionId == ExchangeDetections.ProxyLogonSsrfAttempt.Id).Confidence);
        Assert.All(shared, f => Assert.Equal(("G0125", Tlp.Green), (Assert.Single(f.Attribution).ActorId, f.Tlp!.Value)));
        Assert.All(others.Except(shared), f => Assert.True(f.Attribution.Count == 0 && f.Tlp is null, f.DetectionId));
    }

    [Fact]
    public void A_file_path_indicator_matches_the_OAB_generator_line_that_wrote_the_web_shell_as_well_as_the_file()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--oab", IocKind.FilePath, @"C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx", confidence: 80);

        var result = ScanWith(catalog);

        // Two occurrences (ADR 3): the OAB line that wrote the shell and the requests to it the same morning, and the
        // file as it is now (its time is the checkout's).
        var intel = result.Of(IntelDetections.IndicatorMatch.Id);
        Assert.All(intel, f => Assert.Equal(@"C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx", f.Subject));
        Assert.Equal(
            [
                "Program Files/Microsoft/Exchange Server/V15/Logging/OABGeneratorLog/OABGeneratorLog_20210303-1.LOG:10 OAB temporary file",
                "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log:64 cs-uri-stem",
                "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log:65 cs-uri-stem",
                "inetpub/wwwroot/aspnet_client/system_web/discover.aspx:0 file path",
            ],
            intel.SelectMany(f => f.Evidence).Select(e => $"{e.File}:{e.Line} {e.Fields[IntelEvidence.SeenIn]}").Order(StringComparer.Ordinal));
        Assert.Equal([3, 1], intel.Select(f => f.EvidenceCount).OrderDescending());
        var oab = intel.SelectMany(f => f.Evidence).First(e => e.File.Contains("OABGeneratorLog", StringComparison.Ordinal));
        Assert.StartsWith("2021-03-03T07:03:41.275Z,EX01,OABFileDownload.Failure,Download failed", oab.Fields["line"], StringComparison.Ordinal);

        // The OAB finding on that line (CVE-2021-26858) is attributed to the actor the indicator names.
        var write = Assert.Single(result.Of(ExchangeDetections.OabFileWrite.Id));
        Assert.Equal("G0125", Assert.Single(write.Attribution).ActorId);
    }

    [Fact]
    public void A_url_indicator_matches_the_URL_an_ECP_command_wrote_into_a_virtual_directory()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--ecp", IocKind.Url, "HTTP://f/", confidence: 60);

        var result = ScanWith(catalog);

        var intel = Assert.Single(result.Of(IntelDetections.IndicatorMatch.Id));
        Assert.Equal("http://f/", intel.Subject);
        var evidence = Assert.Single(intel.Evidence);
        Assert.EndsWith("ECPServer20210303-1.LOG", evidence.File, StringComparison.Ordinal);
        Assert.Equal("url in line", evidence.Fields[IntelEvidence.SeenIn]);
        Assert.Contains("S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script", evidence.Fields["line"], StringComparison.Ordinal);
        var exploit = Assert.Single(result.Of(ExchangeDetections.EcpVirtualDirectoryScript.Id));
        Assert.Equal("G0125", Assert.Single(exploit.Attribution).ActorId);
    }

    [Fact]
    public void Hostile_ECP_and_OAB_lines_are_matched_within_limits_and_malformed_urls_are_ignored()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--domain", IocKind.Domain, "evil.example", confidence: 70);
        catalog.Indicator("indicator--path", IocKind.FilePath, @"C:\inetpub\wwwroot\aspnet_client\x.aspx", confidence: 70);
        const string header = "#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Log-type: ECP Server Log\n#Fields: TimeStamp,ServerName,EventId,EventData\n";
        var manyUrls = string.Join(";", Enumerable.Range(0, 40).Select(i => $"http://h{i}.other.example/"));
        var ecp = header
            + $"2021-03-03T06:59:17.960Z,EX01,ECP.Request,S:URL=http://[::1/ S:X=://nohost http:///x {manyUrls};http://late.evil.example/\n"
            + "2021-03-03T07:00:00.000Z,EX01,ECP.Request,S:REFERRER=https://mail.evil.example./ecp/?x=1)\n"
            + "2021-03-03T07:00:01.000Z,EX01,ECP.Request," + new string('a', 200_000) + " http://evil.example\n";
        var oab = "2021-03-03T07:03:41.275Z,EX01,OABFileDownload.Failure,Download failed and temporary file '\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx' needs to be removed.\n"
            + "2021-03-03T07:03:42.275Z,EX01,OABFileDownload.Failure,Download failed and temporary file '' needs to be removed.\n";
        using var tree = new TempTree();
        tree.Write(Scan.Ecp, ecp);
        tree.Write(Scan.Oab, oab);

        var result = new Scanner(new ScanOptions
        {
            Threads = 2,
            LogDetectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            FileDetectors = FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            Intel = IntelSet.Build(catalog),
        }).Scan(tree.Root, cancellationToken: TestContext.Current.CancellationToken);

        var intel = result.Of(IntelDetections.IndicatorMatch.Id).OrderBy(f => f.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal([@"C:\inetpub\wwwroot\aspnet_client\x.aspx", "evil.example"], intel.Select(f => f.Subject));
        Assert.Equal([(Scan.Oab, 1L)], intel[0].Evidence.Select(e => (e.File, e.Line)));
        Assert.Equal("OAB temporary file", intel[0].Evidence[0].Fields[IntelEvidence.SeenIn]);
        // The first line's evil URL comes after sixteen others (not looked at); the second and third lines match.
        Assert.Equal([(Scan.Ecp, 6L), (Scan.Ecp, 7L)], intel[1].Evidence.Select(e => (e.File, e.Line)));
        Assert.Equal(501, intel[1].Evidence[1].Fields["line"].Length);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Multi_observation_patterns_are_evaluated_over_the_events_that_hit_them_once_the_scan_has_seen_all()
    {
        const string bundle = """
            {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--a1b7f8a4-6f2e-4b8e-9c1d-7a0e5c3b2d11",
               "created": "2021-03-02T00:00:00Z", "modified": "2021-03-02T00:00:00Z", "name": "ProxyLogon client, three requests in ten minutes",
               "pattern": "[ipv4-addr:value = '130.255.189.21'] REPEATS 3 TIMES WITHIN 600 SECONDS", "pattern_type": "stix", "valid_from": "2021-03-02T00:00:00Z"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--b2c8f9b5-7a3f-4c9f-8d2e-8b1f6d4c3e22",
               "created": "2021-03-02T00:00:00Z", "modified": "2021-03-02T00:00:00Z", "name": "client, later another client",
               "pattern": "[ipv4-addr:value = '130.255.189.21'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.99']", "pattern_type": "stix", "valid_from": "2021-03-02T00:00:00Z"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--c3d9a0c6-8b4a-4d0a-9e3f-9c2a7e5d4f33",
               "created": "2021-03-02T00:00:00Z", "modified": "2021-03-02T00:00:00Z", "name": "more requests than there are",
               "pattern": "[ipv4-addr:value = '130.255.189.21'] REPEATS 100 TIMES", "pattern_type": "stix", "valid_from": "2021-03-02T00:00:00Z"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--d4e0b1d7-9c5b-4e1b-8f4a-0d3b8f6e5a44",
               "created": "2021-03-02T00:00:00Z", "modified": "2021-03-02T00:00:00Z", "name": "client then an address never seen",
               "pattern": "[ipv4-addr:value = '130.255.189.21'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.250']", "pattern_type": "stix", "valid_from": "2021-03-02T00:00:00Z"}
            ]}
            """;
        using var tree = new TempTree();
        tree.Write("multi.json", bundle);
        var catalog = new IntelCatalog();
        IntelLoader.Load(tree.Root, catalog);

        var result = ScanWith(catalog, new PatternConfirmer().Confirm);

        var intel = result.Of(IntelDetections.IndicatorMatch.Id).OrderBy(f => f.Subject, StringComparer.Ordinal).ThenBy(f => f.FirstSeen).ToList();
        Assert.Equal(
            [
                ("ProxyLogon client, three requests in ten minutes", 3),
                ("client, later another client", 1), // the attacker's request, then 203.0.113.99 a day later:
                ("client, later another client", 1), // two occurrences (ADR 3's 24-hour gap), one match
            ],
            intel.Select(f => (f.Subject, f.EvidenceCount)));
        var repeats = intel[0];
        Assert.All(repeats.Evidence, e => Assert.Equal("address 130.255.189.21", e.Fields[IntelEvidence.Indicator]));
        Assert.All(repeats.Evidence, e => Assert.Equal("indicator--a1b7f8a4-6f2e-4b8e-9c1d-7a0e5c3b2d11", e.Fields[IntelEvidence.IndicatorId]));
        var times = repeats.Evidence.Select(e => e.Timestamp!.Value).Order().ToList();
        Assert.True(times[^1] - times[0] <= TimeSpan.FromMinutes(10), string.Join(", ", times));
        Assert.Equal(["address 130.255.189.21", "address 203.0.113.99"], intel.Skip(1).Select(f => f.Evidence[0].Fields[IntelEvidence.Indicator]));
        Assert.True(intel[1].FirstSeen < intel[2].FirstSeen);

        // Without the evaluator complex indicators never match, windowed or not.
        Assert.Empty(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));
    }

    [Fact]
    public void A_complex_file_pattern_is_confirmed_on_the_file_its_hash_hits()
    {
        var shell = Path.Combine(Samples, "inetpub", "wwwroot", "aspnet_client", "system_web", "discover.aspx");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(shell)));
        var bundle = $$"""
            {"type": "bundle", "id": "bundle--6e1103d6-6f85-4398-a753-44f5d465f67e", "objects": [
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--e5f1c2e8-0d6c-4f2c-9a5b-1e4c9a7f6b55",
               "created": "2021-03-02T00:00:00Z", "modified": "2021-03-02T00:00:00Z", "name": "the shell by hash and name",
               "pattern": "[file:hashes.'SHA-256' = '{{sha256}}' AND file:name = 'discover.aspx']", "pattern_type": "stix", "valid_from": "2021-03-02T00:00:00Z"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--f6a2d3f9-1e7d-4a3d-8b6c-2f5dab8a7c66",
               "created": "2021-03-02T00:00:00Z", "modified": "2021-03-02T00:00:00Z", "name": "the same hash under another name",
               "pattern": "[file:hashes.'SHA-256' = '{{sha256}}' AND file:name = 'supp0rt.aspx']", "pattern_type": "stix", "valid_from": "2021-03-02T00:00:00Z"}
            ]}
            """;
        using var tree = new TempTree();
        tree.Write("files.json", bundle);
        var catalog = new IntelCatalog();
        IntelLoader.Load(tree.Root, catalog);

        var result = ScanWith(catalog, new PatternConfirmer().Confirm);

        var intel = Assert.Single(result.Of(IntelDetections.IndicatorMatch.Id));
        Assert.Equal(sha256, intel.Subject);
        var evidence = Assert.Single(intel.Evidence);
        Assert.Equal("indicator--e5f1c2e8-0d6c-4f2c-9a5b-1e4c9a7f6b55", evidence.Fields[IntelEvidence.IndicatorId]);

        // Without the evaluator neither complex indicator matches.
        Assert.Empty(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));
    }

    [Fact]
    public void Without_intel_the_same_scan_has_no_intel_findings_or_attribution()
    {
        var result = new Scanner(new ScanOptions
        {
            Threads = 2,
            LogDetectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            FileDetectors = FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
        }).Scan(Samples, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(result.Of(IntelDetections.IndicatorMatch.Id));
        Assert.All(result.Findings, f => Assert.Empty(f.Attribution));
        Assert.All(result.Findings, f => Assert.Null(f.Tlp));
    }

    [Fact]
    public void A_network_indicator_matches_addresses_inside_it()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.CidrV4, "130.255.189.0/24", attributed: false);

        var intel = Assert.Single(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));

        Assert.Equal("130.255.189.0/24", intel.Subject);
        Assert.Equal(14, intel.EvidenceCount);
        Assert.Empty(intel.Attribution);
        Assert.Equal(Confidence.High, intel.Confidence);
    }

    [Fact]
    public void A_user_agent_indicator_matches_iis_lines_written_with_plus_for_spaces()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.UserAgent, "python-requests/2.25.1", attributed: false);

        var intel = Assert.Single(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));

        Assert.Equal("python-requests/2.25.1", intel.Subject);
        Assert.Equal((6, 7), (intel.Evidence.Count(e => e.File.StartsWith("inetpub/", StringComparison.Ordinal)), intel.Evidence.Count(e => e.File.Contains("/HttpProxy/", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_web_shell_path_indicator_matches_the_file_and_the_requests_for_it()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.FilePath, @"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\RedirSuiteServerProxy.aspx");

        // The file (stamped with its write time on this disk) and the requests (2021) are separate occurrences.
        var intel = ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id);

        Assert.Equal(2, intel.Count);
        var evidence = intel.SelectMany(f => f.Evidence).ToList();
        Assert.Single(evidence, e => e.Line == 0 && e.File == "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx");
        Assert.Contains(evidence, e => e.Line > 0 && e.Fields[IntelEvidence.SeenIn] is "cs-uri-stem" or "UrlStem");
        Assert.All(intel, f => Assert.Equal("G0125", Assert.Single(f.Attribution).ActorId));
    }

    [Fact]
    public void A_sha256_indicator_matches_the_file_on_disk()
    {
        const string shell = "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx";
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Samples, shell))));
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.Sha256, sha256.ToUpperInvariant());

        var result = ScanWith(catalog);
        var intel = Assert.Single(result.Of(IntelDetections.IndicatorMatch.Id));

        var evidence = Assert.Single(intel.Evidence);
        Assert.Equal((shell, 0L), (evidence.File, evidence.Line));
        Assert.Equal(sha256, evidence.Fields["sha256"]);
        Assert.Equal("file sha256", evidence.Fields[IntelEvidence.SeenIn]);

        // The web-shell finding for the same file is attributed through it.
        var webShell = result.Findings.Where(f => f.DetectionId != IntelDetections.IndicatorMatch.Id && f.Evidence.Any(e => e.File == shell && e.Line == 0)).ToList();
        Assert.Equal(["exchange.webshell.oab-vd-config"], webShell.Select(f => f.DetectionId));
        Assert.All(webShell, f => Assert.Equal("G0125", Assert.Single(f.Attribution).ActorId));
    }

    [Fact]
    public void An_md5_indicator_makes_the_scanner_compute_md5()
    {
        const string shell = "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx";
        var md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(Path.Combine(Samples, shell))));
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.Md5, md5);

        var intel = Assert.Single(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));

        Assert.Equal("file md5", Assert.Single(intel.Evidence).Fields[IntelEvidence.SeenIn]);
    }

    [Fact]
    public void A_loose_log_whose_path_says_nothing_is_still_read_as_a_log_when_intel_wants_every_files_hash()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, Attacker);
        catalog.Indicator("indicator--2", IocKind.Sha256, new string('a', 64));
        using var tree = new TempTree();
        File.Copy(Path.Combine(Samples, "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log"), Path.Combine(tree.Root, "u_ex210303.log"));

        var result = new Scanner(new ScanOptions
        {
            Threads = 1,
            LogDetectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            FileDetectors = FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            Intel = IntelSet.Build(catalog),
        }).Scan(Path.Combine(tree.Root, "u_ex210303.log"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Statistics.LogFiles);
        Assert.Equal(7, Assert.Single(result.Of(IntelDetections.IndicatorMatch.Id)).EvidenceCount);
    }

    [Fact]
    public void A_file_only_intel_wants_is_still_hashed_when_it_is_not_a_log()
    {
        using var tree = new TempTree();
        tree.Write("payloads/drop.bin", "not a log, just bytes");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData("not a log, just bytes"u8));
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.Sha256, sha256);

        var result = new Scanner(new ScanOptions
        {
            Threads = 1,
            LogDetectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            FileDetectors = FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            Intel = IntelSet.Build(catalog),
        }).Scan(tree.Root, cancellationToken: TestContext.Current.CancellationToken);

        var evidence = Assert.Single(Assert.Single(result.Of(IntelDetections.IndicatorMatch.Id)).Evidence);
        Assert.Equal(("payloads/drop.bin", 0L), (evidence.File, evidence.Line));
    }

    [Fact]
    public void An_indicator_that_expired_before_the_activity_does_not_match()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, Attacker, validUntil: new DateTimeOffset(2021, 3, 3, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));
    }

    [Fact]
    public void A_complex_indicator_matches_only_where_its_pattern_is_confirmed()
    {
        var catalog = IntelFixtures.WithHafnium();
        catalog.Indicator("indicator--1", IocKind.IPv4, Attacker, complex: true);

        Assert.Empty(ScanWith(catalog).Of(IntelDetections.IndicatorMatch.Id));
        var confirmed = Assert.Single(ScanWith(catalog, (_, e) => e.Kind == Core.Sources.LogKind.Iis).Of(IntelDetections.IndicatorMatch.Id));
        Assert.Equal(7, confirmed.EvidenceCount);
        Assert.All(confirmed.Evidence, e => Assert.Equal("inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", e.File));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", "..", ".."));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
