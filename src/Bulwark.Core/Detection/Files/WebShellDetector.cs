using System.Collections.Frozen;
using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Files;

/// <summary>
/// Web shells under the Exchange web roots (<c>FrontEnd/HttpProxy/**</c>, <c>ClientAccess/**</c>) and the IIS
/// web root (<c>inetpub/wwwroot/**</c>). Every rule is evaluated; a file yields one finding, of the strongest
/// detection that matched, and its evidence names the others, so one shell is one line in the report.
/// Strength order: known hash, OAB-VD config page, shell code, known name/path, unexpected page, baseline.
/// </summary>
public sealed class WebShellDetector : IFileDetector
{
    private const string WebShellRemediation =
        "Treat the server as compromised. 1) Isolate it now: take it off the network, or at least block inbound HTTPS to it. "
        + "2) Preserve evidence before changing anything: copy this file with its timestamps, the IIS logs (inetpub/logs/LogFiles) "
        + "and the Exchange HttpProxy, ECP and OAB generator logs, and take a memory image if you can. "
        + "3) Do not just delete the shell: attackers plant several and use the first to dump credentials; search the IIS logs "
        + "for requests to this file to learn who used it and what else they ran, and hunt for other shells and LSASS dumps. "
        + "4) Reset the passwords of every account that signed in on or administers the server (and its computer account) and revoke their sessions. "
        + "5) Install the latest Exchange cumulative update and security update. "
        + "6) If credentials were dumped or the extent of the intrusion is unclear, rebuild the server from clean media instead of cleaning it.";

    private const string ConfigRemediation =
        "Compare the file with the same file on a clean server of the same build or from the installation media. "
        + "Configuration files and static pages change legitimately (bindings, custom settings, branding). If the difference adds "
        + "handlers, script mappings, server code or script that sends credentials elsewhere, treat it as a web shell: isolate the "
        + "server, preserve the file and the IIS logs, do not just revert the file, reset the credentials of accounts used on the "
        + "server, and rebuild it if credentials were taken.";

    public static readonly Findings.Detection KnownHash = new(
        "exchange.webshell.known-hash",
        "Known web shell: the file's SHA-256 is a published web-shell hash",
        Severity.Critical,
        Confidence.High,
        [],
        ["T1505.003"],
        WebShellRemediation,
        "MSTIC HAFNIUM blog and IOC feed (2021-03-02); CISA MAR-10329496-1 (AR21-084A); Volexity (2021-03-02); hashes in Bulwark's exchange-indicators.json");

    public static readonly Findings.Detection OabVirtualDirectoryConfig = new(
        "exchange.webshell.oab-vd-config",
        "Web shell written through ProxyLogon: OAB virtual-directory settings saved as a web page",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-27065"],
        ["T1190", "T1505.003"],
        WebShellRemediation,
        "MSTIC YARA rule WEBSHELL_CVE_2021_27065_Webshells (Neo23x0/signature-base apt_hafnium.yar); CISA MAR-10329496-1 (AR21-084A)");

    public static readonly Findings.Detection Content = new(
        "exchange.webshell.content",
        "Web-shell code in a page under an Exchange or IIS web folder",
        Severity.Critical,
        Confidence.High,
        [],
        ["T1505.003"],
        WebShellRemediation,
        "China Chopper forms: MSTIC HAFNIUM blog (2021-03-02) and Neo23x0/signature-base ChinaChopper rules; keyword list: cert-lv detect_webshells.ps1");

    public static readonly Findings.Detection KnownName = new(
        "exchange.webshell.known-name",
        "File with a published web-shell name or path in an Exchange or IIS web folder",
        Severity.Critical,
        Confidence.High,
        [],
        ["T1505.003"],
        WebShellRemediation,
        "MSTIC HAFNIUM blog and IOC feed (2021-03-02); TrustedSec HAFNIUM hunting queries; helsecert/2021-march-exchange; names and paths in Bulwark's exchange-indicators.json");

    public static readonly Findings.Detection UnexpectedPage = new(
        "exchange.webshell.unexpected-page",
        "Server page in a folder where genuine Exchange and IIS installs put none",
        Severity.High,
        Confidence.Medium,
        [],
        ["T1505.003"],
        WebShellRemediation,
        "MSTIC HAFNIUM blog and CISA AA21-062A (owa/auth, ecp/auth, oab, aspnet_client); cert-lv detect_webshells.ps1; genuine pages from microsoft/CSS-Exchange Security/src/Baselines");

    public static readonly Findings.Detection BaselineMismatch = new(
        "exchange.webshell.baseline-mismatch",
        "Exchange web page missing from, or different to, the known-good files of the server's build",
        Severity.High,
        Confidence.Medium,
        [],
        ["T1505.003"],
        WebShellRemediation,
        "microsoft/CSS-Exchange CompareExchangeHashes.ps1 and Security/src/Baselines (commit 1c9607dfc7ab, MIT)");

    public static readonly Findings.Detection BaselineConfigMismatch = new(
        "exchange.webshell.baseline-config-mismatch",
        "Exchange web configuration or static page differs from the known-good files of the server's build",
        Severity.Medium,
        Confidence.Low,
        [],
        ["T1505.003"],
        ConfigRemediation,
        "microsoft/CSS-Exchange CompareExchangeHashes.ps1 and Security/src/Baselines (commit 1c9607dfc7ab, MIT)");

    private readonly ExchangeIndicators _indicators;
    private readonly ExchangeWebBaseline? _baseline;

    /// <summary>Indicator paths by web root, keyed by the path below the root (e.g. <c>owa/auth/one.aspx</c>).</summary>
    private readonly FrozenDictionary<string, KnownPath>[] _knownPaths;

    public WebShellDetector(ExchangeIndicators indicators, ExchangeWebBaseline? baseline = null)
    {
        _indicators = indicators;
        _baseline = baseline;
        var byRoot = Enum.GetValues<WebRoot>().Select(_ => new Dictionary<string, KnownPath>(StringComparer.OrdinalIgnoreCase)).ToArray();
        foreach (var (path, source) in indicators.WebShellPaths)
        {
            // Paths outside the web roots (e.g. users/public/opera/opera_browser.exe) are not web shells.
            if (WebPath.TryParse(path, out var web))
            {
                byRoot[(int)web.Root].TryAdd(web.Relative, new KnownPath(path, source));
            }
        }

        _knownPaths = [.. byRoot.Select(d => d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>The detections this detector can report, strongest first.</summary>
    public static IReadOnlyList<Findings.Detection> Detections { get; } =
        [KnownHash, OabVirtualDirectoryConfig, Content, KnownName, UnexpectedPage, BaselineMismatch, BaselineConfigMismatch];

    public FileInterest Interest(string path)
    {
        if (!WebPath.TryParse(path, out var web))
        {
            return FileInterest.None;
        }

        var extension = FilePaths.Extension(web.Relative);
        if (FilePaths.IsContentScanned(extension)
            || (_baseline is not null && web.IsExchange && ExchangeWebBaseline.CoversExtension(extension)))
        {
            return FileInterest.Content;
        }

        return _knownPaths[(int)web.Root].ContainsKey(web.Relative) ? FileInterest.PathOnly : FileInterest.None;
    }

    public void Inspect(FileFacts file, FindingCollector findings)
    {
        if (!WebPath.TryParse(file.Path, out var web))
        {
            return;
        }

        var extension = FilePaths.Extension(web.Relative);
        var hits = new List<Hit>(4);

        if (file.Sha256 is { } sha && _indicators.Sha256.TryGetValue(sha, out var hash))
        {
            hits.Add(new Hit(
                KnownHash,
                $"SHA-256 is on the {hash.Source} list of web-shell hashes",
                hash.Name is null ? hash.Sha256 : $"{hash.Name} ({hash.Sha256})",
                hash.Source));
        }

        ContentMatch? content = null;
        if (FilePaths.IsContentScanned(extension) && !file.Head.IsEmpty)
        {
            content = WebShellContent.Scan(file.Head.Span, file.Length);
            var oab = content.Hits.Where(h => h.Rule == ContentRule.OabVirtualDirectoryConfig).ToList();
            var code = content.Hits.Where(h => h.Rule != ContentRule.OabVirtualDirectoryConfig).ToList();
            if (oab.Count > 0)
            {
                hits.Add(new Hit(OabVirtualDirectoryConfig, "OAB virtual-directory settings with server script, under 50 KB", oab[0].ToString(), null));
            }

            if (code.Count > 0)
            {
                hits.Add(new Hit(Content, "web-shell code markers in a server page", string.Join("; ", code), null));
            }
        }

        if (_knownPaths[(int)web.Root].TryGetValue(web.Relative, out var known))
        {
            hits.Add(new Hit(KnownName, $"path listed by {known.Source}", known.Path, known.Source));
        }
        else if (InShellDropFolder(web) && _indicators.WebShellNames.TryGetValue(web.Name.ToString(), out var nameSource))
        {
            hits.Add(new Hit(KnownName, $"file name listed by {nameSource}", web.Name.ToString(), nameSource));
        }

        if (FilePaths.IsScriptPage(extension) && UnexpectedPageReason(web) is { } why)
        {
            hits.Add(new Hit(UnexpectedPage, why, web.Folder.ToString(), null));
        }

        if (_baseline?.Check(web, file.Sha256) is { IsSuspicious: true } verdict)
        {
            var lesser = extension.Equals(".config", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".htm", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".html", StringComparison.OrdinalIgnoreCase);
            hits.Add(new Hit(
                lesser ? BaselineConfigMismatch : BaselineMismatch,
                verdict.Outcome == BaselineOutcome.Absent ? "not part of the server's Exchange build" : "differs from the genuine file of the server's Exchange build",
                verdict.Describe(),
                null));
        }

        if (hits.Count == 0)
        {
            return;
        }

        var top = hits[0];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["path"] = file.Path,
            ["size"] = file.Length.ToString(CultureInfo.InvariantCulture),
            ["reason"] = top.Reason,
            ["matched"] = top.Matched,
        };
        if (file.Sha256 is { } sha256)
        {
            fields["sha256"] = sha256;
        }

        if (top.IndicatorSource is { } source)
        {
            fields["indicatorSource"] = source;
        }

        if (hits.Count > 1)
        {
            fields["alsoMatched"] = string.Join(" | ", hits.Skip(1).Select(h => $"{h.Detection.Id}: {h.Matched}"));
        }

        if (content is { Keywords.Count: > 0 })
        {
            fields["keywords"] = string.Join(", ", content.Keywords);
        }

        findings.Add(top.Detection, file.Path, new Evidence(file.Path, 0, file.LastWriteTime, fields));
    }

    /// <summary>Where attackers dropped named shells: anywhere in the front end, and IIS <c>aspnet_client</c>. Not ClientAccess, whose genuine pages include <c>default.aspx</c> and <c>error.aspx</c>.</summary>
    private static bool InShellDropFolder(WebPath web) => web.Root switch
    {
        WebRoot.ExchangeFrontEnd => true,
        WebRoot.IisWwwroot => IsUnder(web.Relative, "aspnet_client/"),
        _ => false,
    };

    private string? UnexpectedPageReason(WebPath web)
    {
        var folder = web.Folder;
        if (web.Root == WebRoot.IisWwwroot)
        {
            return IsUnder(web.Relative, "aspnet_client/") ? "server page under aspnet_client, which holds no pages on a genuine server" : null;
        }

        if (web.Root != WebRoot.ExchangeFrontEnd)
        {
            return null;
        }

        if (_indicators.GenuinePages.TryGetValue(folder.ToString(), out var genuine))
        {
            return genuine.Contains(web.Name.ToString())
                ? null
                : $"server page directly in {folder}, not one of the pages genuine Exchange builds install there";
        }

        if (IsUnder(folder, "owa/auth/"))
        {
            var below = folder["owa/auth/".Length..];
            var slash = below.IndexOf('/');
            var sub = slash < 0 ? below : below[..slash];
            if (sub.Equals("current", StringComparison.OrdinalIgnoreCase) || FilePaths.IsVersionSegment(sub))
            {
                return $"server page under owa/auth/{sub}, which holds only static files in genuine builds";
            }
        }

        return null;
    }

    private static bool IsUnder(ReadOnlySpan<char> relative, string folderWithSlash) =>
        relative.StartsWith(folderWithSlash, StringComparison.OrdinalIgnoreCase);

    private sealed record KnownPath(string Path, string Source);

    private sealed record Hit(Findings.Detection Detection, string Reason, string Matched, string? IndicatorSource);
}
