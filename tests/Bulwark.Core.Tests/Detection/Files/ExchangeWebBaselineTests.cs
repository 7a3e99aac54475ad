using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Indicators;
using static Bulwark.Core.Tests.Detection.Files.FileFactsBuilder;

namespace Bulwark.Core.Tests.Detection.Files;

/// <summary>Full-baseline mode over the real CSS-Exchange baselines in shared/data/exchange-baselines.</summary>
public sealed class ExchangeWebBaselineTests
{
    private const string FrontEnd = "server1/C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/";
    private const string ClientAccess = "server1/C/Program Files/Microsoft/Exchange Server/V15/ClientAccess/";
    private const string Cu18 = "15.1.2106.2";
    private const string GenuineLogonCu18 = "49194ca2dc5ff65a4e4438b3b68d11d63ed72e12cf72b76949733f4b5196a9b2";

    private static string Csv => SharedData.PathOf("exchange-baselines/web-files.csv");

    [Fact]
    public void Loads_the_requested_builds_and_reports_unknown_ones()
    {
        var baseline = ExchangeWebBaseline.Load(Csv, ["15.01.2106.002", "15.2.1118.7"]);

        Assert.Equal([Cu18], baseline.Builds);
        Assert.Equal(["15.2.1118.7"], baseline.UnknownBuilds);
        Assert.Empty(baseline.BuildsWithoutFrontEnd);
        Assert.Equal(Csv, baseline.Source);
    }

    [Fact]
    public void Refuses_a_file_without_any_of_the_builds()
    {
        var error = Assert.Throws<InvalidDataException>(() => ExchangeWebBaseline.Load(Csv, ["15.2.1118.7"]));
        Assert.Equal($"{Csv}: no baseline for build 15.2.1118.7; the file covers 131 other builds", error.Message);
    }

    [Fact]
    public void Genuine_files_of_the_build_do_not_fire()
    {
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, ExchangeWebBaseline.Load(Csv, [Cu18]));

        Assert.Empty(Run(detector, WithHash(FrontEnd + "owa/auth/logon.aspx", GenuineLogonCu18)));
        Assert.Empty(Run(detector, WithHash(FrontEnd + "OWA/AUTH/LOGON.ASPX", GenuineLogonCu18.ToUpperInvariant())));
        Assert.Empty(Run(detector, WithHash(ClientAccess + "ecp/15.1.2106/scripts/blank.htm", HashOf(@"\ClientAccess\ecp\Version\scripts\blank.htm", Cu18))));
        Assert.Empty(Run(detector, Of(FrontEnd + "owa/auth/15.1.2106/scripts/premium/flogon.js", "var x = 1;")));
    }

    [Fact]
    public void A_changed_genuine_page_is_a_mismatch()
    {
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, ExchangeWebBaseline.Load(Csv, [Cu18]));
        var path = FrontEnd + "owa/auth/logon.aspx";
        var file = Of(path, "<%@ Page language=\"c#\" %>changed");

        var finding = Assert.Single(Run(detector, file));

        Assert.Equal("exchange.webshell.baseline-mismatch", finding.DetectionId);
        Assert.Equal(Bulwark.Core.Findings.Severity.High, finding.Severity);
        Assert.Equal(Bulwark.Core.Findings.Confidence.Medium, finding.Confidence);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "32",
                ["reason"] = "differs from the genuine file of the server's Exchange build",
                ["matched"] = $"hash differs from the baseline of {Cu18} (expected {GenuineLogonCu18})",
                ["sha256"] = file.Sha256!,
            },
            Assert.Single(finding.Evidence).Fields);
    }

    [Fact]
    public void A_page_absent_from_the_build_is_a_mismatch()
    {
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, ExchangeWebBaseline.Load(Csv, [Cu18]));
        var path = ClientAccess + "ecp/Reporting/extra.aspx";

        var finding = Assert.Single(Run(detector, Of(path, "<%@ Page language=\"c#\" %>")));

        Assert.Equal("exchange.webshell.baseline-mismatch", finding.DetectionId);
        var fields = Assert.Single(finding.Evidence).Fields;
        Assert.Equal("not part of the server's Exchange build", fields["reason"]);
        Assert.Equal($"absent from the baseline of {Cu18}", fields["matched"]);
    }

    [Theory]
    [InlineData(FrontEnd + "owa/web.config")]
    [InlineData(ClientAccess + "ecp/15.1.2106/scripts/blank.htm")]
    [InlineData(FrontEnd + "owa/auth/GetIdToken.htm")]
    public void A_changed_config_or_static_page_is_a_low_confidence_mismatch(string path)
    {
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, ExchangeWebBaseline.Load(Csv, [Cu18]));
        Assert.Equal(FileInterest.Content, detector.Interest(path));

        var finding = Assert.Single(Run(detector, Of(path, "<configuration />")));

        Assert.Equal("exchange.webshell.baseline-config-mismatch", finding.DetectionId);
        Assert.Equal(Bulwark.Core.Findings.Severity.Medium, finding.Severity);
        Assert.Equal(Bulwark.Core.Findings.Confidence.Low, finding.Confidence);
        Assert.StartsWith($"hash differs from the baseline of {Cu18} (expected ", Assert.Single(finding.Evidence).Fields["matched"]);
    }

    [Fact]
    public void A_file_genuine_in_any_of_the_servers_builds_does_not_fire()
    {
        var older = HashOf(@"\FrontEnd\HttpProxy\owa\auth\logon.aspx", "15.1.225.42");
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, ExchangeWebBaseline.Load(Csv, [Cu18, "15.1.225.42"]));

        Assert.Empty(Run(detector, WithHash(FrontEnd + "owa/auth/logon.aspx", older)));
    }

    [Fact]
    public void Front_end_files_are_not_judged_against_a_build_without_front_end_rows()
    {
        var baseline = ExchangeWebBaseline.Load(Csv, ["15.1.2044.4"]);
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, baseline);

        Assert.Equal(["15.1.2044.4"], baseline.BuildsWithoutFrontEnd);
        Assert.Empty(Run(detector, Of(FrontEnd + "owa/extra.aspx", "<%@ Page language=\"c#\" %>")));
        Assert.Equal("exchange.webshell.baseline-mismatch", Assert.Single(Run(detector, Of(ClientAccess + "owa/extra.aspx", "<%@ Page language=\"c#\" %>"))).DetectionId);
    }

    [Fact]
    public void Stronger_detections_win_and_the_mismatch_is_kept_as_evidence()
    {
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn, ExchangeWebBaseline.Load(Csv, [Cu18]));

        var finding = Assert.Single(Run(detector, Of(FrontEnd + "owa/auth/x.aspx", "<html/>")));

        Assert.Equal("exchange.webshell.unexpected-page", finding.DetectionId);
        Assert.Equal($"exchange.webshell.baseline-mismatch: absent from the baseline of {Cu18}", finding.Evidence[0].Fields["alsoMatched"]);
    }

    [Theory]
    [InlineData("path,sha\n", "bad.csv:1: expected the header 'path,sha256,builds'")]
    [InlineData("", "bad.csv:1: expected the header 'path,sha256,builds'")]
    [InlineData("path,sha256,builds\n\\FrontEnd\\HttpProxy\\a.aspx,XYZ,15.1.1.1\n", "bad.csv:2: 'XYZ' is not a SHA-256")]
    [InlineData("path,sha256,builds\n\n\\Bin\\a.dll,E27198B07B110C03EEDBEA0C0BCCBEF8523D5DB1772DEBA26604DBD660B0B05C,15.1.1.1\n", "bad.csv:3: path '\\Bin\\a.dll' is not under \\FrontEnd\\HttpProxy\\ or \\ClientAccess\\")]
    [InlineData("path,sha256,builds\n\\ClientAccess\\a.aspx,E27198B07B110C03EEDBEA0C0BCCBEF8523D5DB1772DEBA26604DBD660B0B05C\n", "bad.csv:2: expected 3 fields (path,sha256,builds), found 2")]
    [InlineData("path,sha256,builds\n\\ClientAccess\\a.aspx,E27198B07B110C03EEDBEA0C0BCCBEF8523D5DB1772DEBA26604DBD660B0B05C,15.x\n", "bad.csv:2: '15.x' is not a build number")]
    public void Malformed_baseline_files_are_rejected_with_the_line(string csv, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ExchangeWebBaseline.Parse(new StringReader(csv), "bad.csv", [Cu18]));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Builds_must_be_version_numbers()
    {
        Assert.Throws<ArgumentException>(() => ExchangeWebBaseline.Parse(new StringReader("path,sha256,builds\n"), "x.csv", ["CU18"]));
        Assert.Throws<ArgumentException>(() => ExchangeWebBaseline.Parse(new StringReader("path,sha256,builds\n"), "x.csv", []));
    }

    private static Bulwark.Core.Sources.FileFacts WithHash(string path, string sha256) =>
        new() { Path = path, Length = 100, LastWriteTime = Written, Sha256 = sha256, Head = new byte[] { (byte)'<', (byte)'%' } };

    private static string HashOf(string baselinePath, string build)
    {
        foreach (var line in File.ReadLines(Csv))
        {
            var f = line.Split(',');
            if (f[0].Equals(baselinePath, StringComparison.OrdinalIgnoreCase) && f[2].Split(' ').Contains(build))
            {
                return f[1].ToLowerInvariant();
            }
        }

        throw new InvalidOperationException($"{baselinePath} not in the {build} baseline");
    }
}
