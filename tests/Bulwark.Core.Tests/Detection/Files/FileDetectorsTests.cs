using Bulwark.Core.Detection.Files;
using Bulwark.Core.Indicators;

namespace Bulwark.Core.Tests.Detection.Files;

public sealed class FileDetectorsTests
{
    [Fact]
    public void Default_set_holds_the_three_file_detectors()
    {
        var detectors = FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn);

        Assert.Collection(
            detectors,
            d => Assert.IsType<WebShellDetector>(d),
            d => Assert.IsType<LsassDumpDetector>(d),
            d => Assert.IsType<StagedArchiveDetector>(d));
    }

    [Fact]
    public void Every_detection_is_described_and_only_the_OAB_dump_claims_a_CVE()
    {
        Assert.Equal(
            [
                "exchange.webshell.known-hash",
                "exchange.webshell.oab-vd-config",
                "exchange.webshell.content",
                "exchange.webshell.known-name",
                "exchange.webshell.unexpected-page",
                "exchange.webshell.baseline-mismatch",
                "exchange.webshell.baseline-config-mismatch",
                "exchange.postexploit.lsass-dump",
                "exchange.postexploit.lsass-dump-other",
                "exchange.postexploit.staged-archive",
            ],
            FileDetectors.Detections.Select(d => d.Id));
        Assert.All(FileDetectors.Detections, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
            Assert.False(string.IsNullOrWhiteSpace(d.Remediation));
            Assert.False(string.IsNullOrWhiteSpace(d.Source));
            Assert.NotEmpty(d.Attack);
        });
        Assert.Equal(
            ["exchange.webshell.oab-vd-config"],
            FileDetectors.Detections.Where(d => d.Cves.Count > 0).Select(d => d.Id));
    }

    [Fact]
    public void Every_indicator_path_under_a_web_root_is_recognised()
    {
        // The indicator file's paths are drive-relative; every web-shell path must parse to a web root,
        // or the detector would silently ignore it. Only the PlugX side-load path lies outside.
        var outside = ExchangeIndicators.BuiltIn.WebShellPaths.Keys.Where(p => !WebPath.TryParse(p, out _)).ToList();

        Assert.Equal(["users/public/opera/opera_browser.exe"], outside.Select(p => p.ToLowerInvariant()));
    }
}
