using Bulwark.LogGen.Model;
using Bulwark.LogGen.Traffic;

namespace Bulwark.LogGen.Plant;

/// <summary>
/// Lines that resemble the attacks but are not compromise: each one checks a condition that a correct
/// scanner must apply (Test-ProxyLogon's exclusions, the OAB temp folder, versioned vs "Current" OWA
/// paths, a plain ExternalUrl, a signed-in user's OWA POST).
/// </summary>
public sealed class DecoyPlant(PlantContext c)
{
    private const string Anchor = "ServerInfo~a]@" + Organization.ServerFqdn + ":444/autodiscover/autodiscover.xml?#";

    public IEnumerable<ScheduledEvent> Events()
    {
        yield return new ScheduledEvent(c.At(0, 9, 15, 40, 118), LocalhostProbe);
        yield return new ScheduledEvent(c.At(0, 10, 20, 33, 412), PlainExternalUrl);
        yield return new ScheduledEvent(c.At(0, 14, 3, 11, 402), AutodiscoverOnly);
        yield return new ScheduledEvent(c.At(0, 19, 13, 5, 0), OabTempFolder);
        yield return new ScheduledEvent(c.At(2, 9, 40, 12, 0), VersionedLogonCss);
        yield return new ScheduledEvent(c.At(2, 10, 5, 27, 0), OwaServicePost);
    }

    private void AutodiscoverOnly()
    {
        // An internet-wide scanner's user agent, not one of the attack indicators: the row tests the anchor rule alone.
        var r = c.Request(c.At(0, 14, 3, 11, 402), "Ecp", "POST", "/ecp/y.js", "198.51.100.23", "Mozilla/5.0 zgrab/0.x", 200)
            .ProxiedTo("/ecp/y.js", Anchor, "X-BEResource-Cookie").Sized(880, 4100, 133);
        r.AuthType = "FBA";
        r.InFrontEndIis = false;
        c.Manifest.Add(c.Logs.Write(r).Proxy, "DC-01", PlantKind.Decoy,
            "HttpProxy Ecp row, anonymous, AnchorMailbox " + Anchor + " (autodiscover only, nothing further from 198.51.100.23)",
            "no CVE-2021-26855 finding: Test-ProxyLogon excludes ServerInfo~*/autodiscover*; at most a low-severity 'ProxyLogon attempt'");
    }

    private void LocalhostProbe()
    {
        var r = c.Request(c.At(0, 9, 15, 40, 118), "Owa", "GET", "/owa/auth/x.js", "10.0.5.40",
                "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", 500)
            .ProxiedTo("/owa/auth/x.js", "ServerInfo~localhost/owa/auth/logon.aspx?", "X-BEResource-Cookie").Sized(420, 1800, 22);
        r.AuthType = "FBA";
        r.InFrontEndIis = false;
        c.Manifest.Add(c.Logs.Write(r).Proxy, "DC-02", PlantKind.Decoy,
            "HttpProxy Owa row, AnchorMailbox ServerInfo~localhost/owa/auth/logon.aspx? from the internal Nmap http-vuln-cve2021-26855 check, HTTP 500",
            "no CVE-2021-26855 finding: Test-ProxyLogon excludes ServerInfo~localhost*/*; at most informational");
    }

    private void PlainExternalUrl()
    {
        var admin = c.Org.Admin;
        var call = c.Ecp.Call(c.At(0, 10, 20, 33, 412), admin, EcpTraffic.AdminWorkstation, "/ecp/DDI/DDIService.svc/SetObject",
            "schema=OWAVirtualDirectory&msExchEcpCanary=" + EcpTraffic.Canary(admin),
            $"Set-OwaVirtualDirectory.ExternalUrl='https://mail.contoso.org/owa'.Identity='{Organization.ServerName}\\owa (Default Web Site)'");
        const string what = "the administrator sets the OWA virtual directory's ExternalUrl to https://mail.contoso.org/owa in ECP";
        const string none = "no finding: Set-*VirtualDirectory with a plain URL, no script tag (Test-ProxyLogon's current 27065 check does not match)";
        c.Manifest.Add(call.ServerLine, "DC-03", PlantKind.Decoy, "ECP server: " + what, none);
        c.Manifest.Add(call.Request, "DC-03", PlantKind.Decoy, "request of DC-03: " + what, "no finding: authenticated admin, Sid~ anchor");
    }

    private void OabTempFolder()
    {
        var at = c.Logs.WriteOabGenerator(c.At(0, 19, 13, 5), "OABFileDownload.Failure",
            @"Download failed and temporary file 'C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\OAB\Temp\" +
            @"0d6f3c2e-3b1a-4f0e-9a47-5c2e8b7d1f90\6c1b8e2a-0f4d-4c3b-8e5a-91d7f2a4b3c6-data-3.lzx' needs to be removed.");
        c.Manifest.Add(at, "DC-04", PlantKind.Decoy,
            @"OAB generator: download failed, temporary file under 'C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\OAB\Temp\...'",
            "no finding: the legitimate OAB temp folder (Test-ProxyLogon flags only paths outside {install}ClientAccess\\OAB)");
    }

    private void VersionedLogonCss()
    {
        var user = c.Org.Mailboxes[41];
        var r = c.Owa.StaticRequest(c.At(2, 9, 40, 12), "/owa/auth/" + Organization.OwaVersion + "/themes/resources/logon.css",
            "https://mail.contoso.org/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail.contoso.org%2fowa%2f", user.WorkstationIp, user);
        c.Manifest.Add(c.Logs.Write(r).FrontEnd, "DC-05", PlantKind.Decoy,
            $"IIS: GET /owa/auth/{Organization.OwaVersion}/themes/resources/logon.css by {user.Name}'s browser (a normal logon page load)",
            "no finding: a GET of the versioned theme file, not a POST to /owa/auth/Current/themes/resources/");
    }

    private void OwaServicePost()
    {
        var user = c.Org.Mailboxes[41];
        var r = c.Owa.ServiceRequest(c.At(2, 10, 5, 27), user, user.WorkstationIp, "FindConversation");
        c.Manifest.Add(c.Logs.Write(r), "DC-06", PlantKind.Decoy, $"POST /owa/service.svc?action=FindConversation by {user.Upn} (signed in)",
            "no finding: an authenticated user's OWA POST (no '@' path, no /powershell)");
    }
}
