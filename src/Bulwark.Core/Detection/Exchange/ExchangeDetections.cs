using Bulwark.Core.Findings;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>The log-based Exchange detections: what each means and what to do about it.</summary>
public static class ExchangeDetections
{
    private const string AssumeCompromise =
        "Treat the server as compromised: patching does not remove an attacker already inside. " +
        "Keep a copy of these logs and the server's web folders before anything rotates or cleans them, " +
        "hunt for web shells (.aspx/.ashx files in FrontEnd\\HttpProxy\\owa\\auth, ecp\\auth, OAB and inetpub\\wwwroot\\aspnet_client), " +
        "look for LSASS memory dumps and archives in ProgramData, and reset the passwords of every account that signed in to the server.";

    private const string InstallMarch2021 =
        "Install the March 2021 Exchange security update (KB5000871), or a cumulative update that includes it, and then the latest security update for your CU. ";

    public static readonly Findings.Detection ProxyLogonSsrf = new(
        "exchange.proxylogon.ssrf",
        "ProxyLogon server-side request forgery (CVE-2021-26855)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-26855"],
        ["T1190"],
        InstallMarch2021 + AssumeCompromise,
        "Test-ProxyLogon.ps1 (microsoft/CSS-Exchange): AnchorMailbox like ServerInfo~*/*; BackEndCookie like Server~*/*~* (microsoft/CSS-Exchange#310); MSTIC HAFNIUM blog, 2021-03-02");

    public static readonly Findings.Detection ProxyLogonSsrfAttempt = new(
        "exchange.proxylogon.ssrf-attempt",
        "ProxyLogon attempt that reached only autodiscover (CVE-2021-26855)",
        Severity.Medium,
        Confidence.Medium,
        ["CVE-2021-26855"],
        ["T1190"],
        InstallMarch2021 + "The attacker probed the server but these lines show no mailbox reached; check the rest of this report and the same client address in other logs before ruling out compromise.",
        "microsoft/CSS-Exchange#312: ServerInfo~*/autodiscover* rows excluded by Test-ProxyLogon, reported here as an attempt");

    public static readonly Findings.Detection ProxyLogonVirtualDirectoryReset = new(
        "exchange.proxylogon.vdir-reset",
        "ProxyLogon virtual-directory reset through the proxy (CVE-2021-27065)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-27065", "CVE-2021-26855"],
        ["T1190", "T1505.003"],
        InstallMarch2021 + "The reset writes the virtual directory's configuration, with the attacker's script in it, to a file of the attacker's choosing: find and preserve that file (often an .aspx under owa\\auth or aspnet_client). " + AssumeCompromise,
        "Test-ProxyLogon.ps1 (microsoft/CSS-Exchange): HttpProxy Ecp AnchorMailbox like ServerInfo~*/*Reset*VirtualDirectory# with HttpStatus 200");

    public static readonly Findings.Detection EcpVirtualDirectoryScript = new(
        "exchange.proxylogon.ecp-vdir-script",
        "Script planted in an Exchange virtual directory URL (CVE-2021-27065)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-27065"],
        ["T1190", "T1505.003"],
        InstallMarch2021 + "Reset the named virtual directory's URL properties to real URLs (Set-<App>VirtualDirectory -ExternalUrl/-InternalUrl) and find the file the configuration was exported to. " + AssumeCompromise,
        "Test-ProxyLogon.ps1 (microsoft/CSS-Exchange) ECP server log rule, made robust to lines with stripped columns; MSTIC HAFNIUM blog; CISA AA21-062A");

    public static readonly Findings.Detection OabFileWrite = new(
        "exchange.proxylogon.oab-file-write",
        "Offline address book download written outside its folder (CVE-2021-26858)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-26858"],
        ["T1190", "T1505.003"],
        InstallMarch2021 + "Inspect and preserve the file at the logged path: legitimate OAB downloads go only to ClientAccess\\OAB. " + AssumeCompromise,
        "Test-ProxyLogon.ps1 (microsoft/CSS-Exchange): 'Download failed and temporary file' outside ClientAccess\\OAB; MSTIC HAFNIUM blog");

    public static readonly Findings.Detection ProxyLogonRequests = new(
        "exchange.proxylogon.request",
        "ProxyLogon exploitation requests in the web server log",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-26855", "CVE-2021-27065"],
        ["T1190"],
        InstallMarch2021 + AssumeCompromise,
        "CISA AA21-062A and Volexity (POST /ecp/<1-3 chars>.js, /owa/auth/Current/, /ecp/default.flt, /ecp/main.css); Neo23x0/signature-base apt_hafnium_log_sigs.yar");

    public static readonly Findings.Detection ProxyShell = new(
        "exchange.proxyshell",
        "ProxyShell exploitation: autodiscover path confusion reached a back-end service (CVE-2021-34473, CVE-2021-34523, CVE-2021-31207)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"],
        ["T1190"],
        "Install the April and May 2021 Exchange security updates (KB5001779, KB5003435) or a later CU with its latest security update. " +
        "Check the MSExchange Management log for New-MailboxExportRequest, New-ManagementRoleAssignment and New-ExchangeCertificate -RequestFile, which ProxyShell uses to write web shells. " + AssumeCompromise,
        "SigmaHQ 992be1eb (Florian Roth, Rich Warren) and 23eee45e; Neo23x0/signature-base expl_proxyshell.yar");

    public static readonly Findings.Detection ProxyShellAttempt = new(
        "exchange.proxyshell.attempt",
        "ProxyShell attempt refused by the server (CVE-2021-34473)",
        Severity.Medium,
        Confidence.Medium,
        ["CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"],
        ["T1190"],
        "Confirm the server has the April and May 2021 security updates (KB5001779, KB5003435) or later; look for the same client address with a 200 status in the rest of this report.",
        "SigmaHQ 23eee45e (Florian Roth, Rich Warren): autodiscover.json path confusion answered 401");

    public static readonly Findings.Detection ProxyNotShell = new(
        "exchange.proxynotshell",
        "ProxyNotShell exploitation: autodiscover request routed to remote PowerShell (CVE-2022-41040, CVE-2022-41082)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2022-41040", "CVE-2022-41082"],
        ["T1190", "T1059.001"],
        "Install the November 2022 Exchange security update (KB5019758 family) or later; URL-rewrite mitigations alone were bypassed (OWASSRF). " +
        "The attacker held valid credentials: reset the password of the account used and review its mailbox rules and sign-ins. " + AssumeCompromise,
        "Microsoft EOMTv2 rule (?=.*autodiscover)(?=.*powershell) on the URL-decoded URI; Neo23x0/signature-base expl_cve_2022_41040_proxynoshell.yar");

    public static readonly Findings.Detection ProxyNotShellAttempt = new(
        "exchange.proxynotshell.attempt",
        "ProxyNotShell attempt refused by the server (CVE-2022-41040)",
        Severity.Medium,
        Confidence.Medium,
        ["CVE-2022-41040", "CVE-2022-41082"],
        ["T1190"],
        "Confirm the server has the November 2022 security update (KB5019758 family) or later; the request needs valid credentials, so find which account was used.",
        "Microsoft EOMTv2 rule (?=.*autodiscover)(?=.*powershell) on the URL-decoded URI");

    public static readonly Findings.Detection Owassrf = new(
        "exchange.owassrf",
        "OWASSRF exploitation: OWA request routed to remote PowerShell (CVE-2022-41080, CVE-2022-41082)",
        Severity.Critical,
        Confidence.High,
        ["CVE-2022-41080", "CVE-2022-41082"],
        ["T1190", "T1059.001"],
        "Install the November 2022 Exchange security update (KB5019758 family) or later. The attacker held valid credentials: reset the password of the account used. " + AssumeCompromise,
        "SigmaHQ 181f49fa and 92d78c63 (Nasreddine Bencherchali); CrowdStrike OWASSRF research, December 2022");

    public static readonly Findings.Detection WebShellRequestKnownName = new(
        "exchange.webshell.request.known-name",
        "Requests to a page with a known web-shell name",
        Severity.Critical,
        Confidence.High,
        [],
        ["T1505.003"],
        "Preserve the page named in the evidence and the web server logs, then remove it from service; find how it got there (this report's ProxyLogon/ProxyShell findings). " + AssumeCompromise,
        "MSTIC HAFNIUM blog and IOC feed; TrustedSec; helsecert/2021-march-exchange");

    public static readonly Findings.Detection WebShellRequestUnexpectedPage = new(
        "exchange.webshell.request.unexpected-page",
        "Requests to a script page that a standard Exchange install does not have",
        Severity.High,
        Confidence.Medium,
        [],
        ["T1505.003"],
        "Check whether the page exists on the server and what it contains; a page in these folders that Exchange did not install is most likely a web shell. If so: preserve it and the logs, then " + char.ToLowerInvariant(AssumeCompromise[0]) + AssumeCompromise[1..],
        "genuine pages from microsoft/CSS-Exchange baselines (131 builds); MSTIC and CISA web-shell locations");

    public static readonly Findings.Detection WebShellProbe = new(
        "exchange.webshell.probe",
        "Probing for web shells that are not there (HTTP 404)",
        Severity.Low,
        Confidence.Medium,
        [],
        ["T1595.003"],
        "No action needed for the requests themselves; make sure the server is patched, because someone is looking for servers that were already broken into.",
        "MSTIC and TrustedSec web-shell names; requests answered 404");

    public static readonly Findings.Detection AttackerAddress = new(
        "exchange.intel.attacker-ip",
        "Traffic from an address used in the 2021 Exchange attacks",
        Severity.Medium,
        Confidence.Low,
        [],
        ["T1190"],
        "Review everything this address did in these logs. These are ageing VPS and VPN addresses that may since have changed hands: treat a match as a lead, not as proof.",
        "Volexity (CISA AA21-062A); TrustedSec ProxyLogon hunting queries");

    public static readonly Findings.Detection AttackerUserAgent = new(
        "exchange.intel.attacker-user-agent",
        "Request with a user agent seen in the 2021 Exchange attacks",
        Severity.High,
        Confidence.Medium,
        [],
        ["T1190", "T1505.003"],
        "Review every request from the same client address; the combination of this user agent and path was seen in ProxyLogon exploitation and web-shell use. " + AssumeCompromise,
        "Volexity; CISA AA21-062A; SigmaHQ 67bce556 (Florian Roth)");
}
