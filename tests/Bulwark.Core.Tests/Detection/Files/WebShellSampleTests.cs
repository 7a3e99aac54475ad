using Bulwark.Core.Detection.Files;
using Bulwark.Core.Indicators;
using static Bulwark.Core.Tests.Detection.Files.FileFactsBuilder;

namespace Bulwark.Core.Tests.Detection.Files;

/// <summary>The content rules over the real web-shell samples in shared/data/webshells (tennc/webshell, MIT).</summary>
public sealed class WebShellSampleTests
{
    private const string EcpFolder = "Program Files/Microsoft/Exchange Server/V15/ClientAccess/ecp/";

    [Fact]
    public void Content_rules_on_each_sample()
    {
        var root = SharedData.PathOf("webshells");
        var actual = Directory.EnumerateFiles(root, "*.txt", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(
                f => Path.GetRelativePath(root, f).Replace('\\', '/'),
                f =>
                {
                    var bytes = File.ReadAllBytes(f);
                    return string.Join(", ", WebShellContent.Scan(bytes, bytes.Length).Hits.Select(h => h.Name));
                });

        // Missed on purpose: a.asp evals through a variable, tie01.asp hides the call URL-encoded, hkmjj.asp
        // character-shifts it. Literal markers cannot see through that; hashes, names and paths can.
        var expected = new Dictionary<string, string>
        {
            ["aspx/ASPX-yijuhua.txt"] = "eval-request, jscript-server-page",
            ["aspx/abcd.aspx.txt"] = "jscript-server-page",
            ["aspx/as.ashx.txt"] = "command-shell",
            ["aspx/aspx-bianxing-yijuhua.aspx.txt"] = "jscript-server-page",
            ["aspx/editor.aspx.txt"] = "eval-request, jscript-server-page",
            ["aspx/web.config.txt"] = "command-shell",
            ["caidao-shell/a.asp.txt"] = "",
            ["caidao-shell/hkmjj.asp.txt"] = "",
            ["caidao-shell/ice.asp.txt"] = "eval-request, script-in-binary",
            ["caidao-shell/ice.aspx.txt"] = "eval-request, jscript-server-page, script-in-binary",
            ["caidao-shell/tie01.asp.txt"] = "",
        };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Detector_flags_the_samples_placed_under_their_upstream_names()
    {
        var root = SharedData.PathOf("webshells");
        var detector = new WebShellDetector(ExchangeIndicators.BuiltIn);
        var flagged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (sample, upstreamName, sha256) in Manifest(root))
        {
            var path = EcpFolder + upstreamName;
            var findings = Run(detector, Of(path, File.ReadAllBytes(Path.Combine(root, sample))));
            if (findings.Count > 0)
            {
                var finding = Assert.Single(findings);
                Assert.Equal(sha256, finding.Evidence[0].Fields["sha256"]);
                flagged[upstreamName] = finding.DetectionId;
            }
        }

        // ASPX一句话 has no page extension, so it is not a page; the three .asp misses are explained above.
        Assert.Equal(
            new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["abcd.aspx"] = "exchange.webshell.content",
                ["as.ashx"] = "exchange.webshell.content",
                ["aspx变形一句话.aspx"] = "exchange.webshell.content",
                ["editor.aspx"] = "exchange.webshell.content",
                ["ice.asp"] = "exchange.webshell.content",
                ["ice.aspx"] = "exchange.webshell.content",
                ["web.config"] = "exchange.webshell.content",
            },
            flagged);
    }

    [Fact]
    public void Evidence_of_the_ice_aspx_sample()
    {
        var root = SharedData.PathOf("webshells");
        var path = "inetpub/wwwroot/aspnet_client/system_web/ice.aspx";

        var finding = Assert.Single(Run(new WebShellDetector(ExchangeIndicators.BuiltIn), Of(path, File.ReadAllBytes(Path.Combine(root, "caidao-shell/ice.aspx.txt")))));

        Assert.Equal("exchange.webshell.content", finding.DetectionId);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "75",
                ["reason"] = "web-shell code markers in a server page",
                ["matched"] = "eval-request: eval(Request.Item[\"ice\"],\"unsafe\");%>; jscript-server-page: <%@ Page Language=\"Jscript\"%>; "
                    + "script-in-binary: GIF image header + <%",
                ["sha256"] = "0af43e6bd8e7d074ebd4e3f987b65072bfdd5bd439b8791ccf4ae7bc2360da57",
                ["alsoMatched"] = "exchange.webshell.unexpected-page: aspnet_client/system_web",
                ["keywords"] = "jscript, eval(",
            },
            Assert.Single(finding.Evidence).Fields);
    }

    private static IEnumerable<(string Sample, string UpstreamName, string Sha256)> Manifest(string root)
    {
        foreach (var line in File.ReadLines(Path.Combine(root, "manifest.csv")).Skip(1))
        {
            // file,source_repo,commit,source_path,bytes,sha256,description: the first six fields hold no commas.
            var f = line.Split(',');
            yield return (f[0], f[3][(f[3].LastIndexOf('/') + 1)..], f[5]);
        }
    }
}
