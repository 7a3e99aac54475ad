using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using static Bulwark.Core.Tests.Detection.Files.FileFactsBuilder;

namespace Bulwark.Core.Tests.Detection.Files;

public sealed class WebShellDetectorTests
{
    private const string FrontEnd = "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/";
    private const string ClientAccess = "Program Files/Microsoft/Exchange Server/V15/ClientAccess/";
    private const string Benign = "<html><body>hello</body></html>";
    private const string Chopper = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"z\"],\"unsafe\");%>";
    private const string ChopperMatched = "eval-request: eval(Request.Item[\"z\"],\"unsafe\");%>; jscript-server-page: <%@ Page Language=\"Jscript\"%>";

    /// <summary>Shaped like a genuine Exchange page: C# directive, server form, client script that evals an XMLHttpRequest named <c>request</c>.</summary>
    private const string GenuineLikeLogon =
        "<%@ Page language=\"c#\" AutoEventWireup=\"false\" Inherits=\"Microsoft.Exchange.HttpProxy.Logon\" %>\r\n"
        + "<%@ Import namespace=\"Microsoft.Exchange.HttpProxy\"%>\r\n"
        + "<html><head><title><%=PageTitle %></title>\r\n"
        + "<script type=\"text/javascript\" language=\"javascript\">\r\n"
        + "var request = new XMLHttpRequest();\r\n"
        + "function load() { request.open(\"GET\", \"/owa/auth/x\", false); request.send(); return eval(request.responseText); }\r\n"
        + "</script></head>\r\n"
        + "<body><form runat=\"server\" action=\"/owa/auth.owa\" method=\"POST\"></form></body></html>\r\n";

    private const string NormalWebConfig =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <system.webServer>\n    <handlers>\n"
        + "      <add name=\"OwaHandler\" path=\"*.owa\" verb=\"*\" type=\"Microsoft.Exchange.Clients.Owa2.Server.Web.OwaHandler\" preCondition=\"integratedMode\" />\n"
        + "    </handlers>\n  </system.webServer>\n  <system.web><compilation defaultLanguage=\"c#\" debug=\"false\" /></system.web>\n</configuration>\n";

    private readonly WebShellDetector _detector = new(ExchangeIndicators.BuiltIn);

    [Fact]
    public void Flags_a_published_hash_and_names_the_other_matches()
    {
        const string path = "server1/C/inetpub/wwwroot/aspnet_client/system_web/x.aspx";
        const string cisaShell = "b67a11f17434f5ee501cc1d2acab2da14ae8dfc5a27dc00bbd7652425d5c3d23";
        var file = Of(path, Benign);
        file = new() { Path = file.Path, Length = file.Length, LastWriteTime = file.LastWriteTime, Head = file.Head, Sha256 = cisaShell };

        var finding = Assert.Single(Run(_detector, file));

        Assert.Equal("exchange.webshell.known-hash", finding.DetectionId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(Confidence.High, finding.Confidence);
        Assert.Empty(finding.Cves);
        Assert.Equal(["T1505.003"], finding.Attack);
        Assert.Equal(path, finding.Subject);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(path, evidence.File);
        Assert.Equal(0, evidence.Line);
        Assert.Equal(Written, evidence.Timestamp);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "31",
                ["reason"] = "SHA-256 is on the CISA-AR21-084A list of web-shell hashes",
                ["matched"] = "shell.aspx (" + cisaShell + ")",
                ["sha256"] = cisaShell,
                ["indicatorSource"] = "CISA-AR21-084A",
                ["alsoMatched"] = "exchange.webshell.unexpected-page: aspnet_client/system_web",
            },
            evidence.Fields);
    }

    [Fact]
    public void Flags_a_hash_from_a_loaded_indicator_file_anywhere_under_the_web_roots()
    {
        var content = Encoding.UTF8.GetBytes("<%@ Page Language=\"C#\" %>hello");
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var json = $$"""{"sources":{"Test":"unit test"},"sha256":[{"value":"{{sha.ToUpperInvariant()}}","name":null,"source":"Test"}]}""";
        var detector = new WebShellDetector(ExchangeIndicators.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        var path = ClientAccess + "ecp/Reporting/extra.aspx";

        var finding = Assert.Single(Run(detector, Of(path, content)));

        Assert.Equal("exchange.webshell.known-hash", finding.DetectionId);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "30",
                ["reason"] = "SHA-256 is on the Test list of web-shell hashes",
                ["matched"] = sha,
                ["sha256"] = sha,
                ["indicatorSource"] = "Test",
            },
            Assert.Single(finding.Evidence).Fields);
        Assert.Empty(Run(_detector, Of(path, content)));
    }

    [Theory]
    [InlineData(FrontEnd + "owa/auth/RedirSuiteServerProxy.aspx", "RedirSuiteServerProxy.aspx", "file name listed by helsecert", "helsecert", "exchange.webshell.unexpected-page: owa/auth")]
    [InlineData("Exchange/FrontEnd/HttpProxy/ecp/SHELL.ASPX", "SHELL.ASPX", "file name listed by MSTIC", "MSTIC", null)]
    [InlineData("server1/C/inetpub/wwwroot/aspnet_client/system_web/log.aspx", "inetpub/wwwroot/aspnet_client/system_web/log.aspx", "path listed by MSTIC", "MSTIC", "exchange.webshell.unexpected-page: aspnet_client/system_web")]
    public void Flags_a_published_web_shell_name_or_path(string path, string matched, string reason, string source, string? alsoMatched)
    {
        var finding = Assert.Single(Run(_detector, Of(path, Benign)));

        Assert.Equal("exchange.webshell.known-name", finding.DetectionId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(Confidence.High, finding.Confidence);
        var fields = Assert.Single(finding.Evidence).Fields;
        Assert.Equal(matched, fields["matched"]);
        Assert.Equal(reason, fields["reason"]);
        Assert.Equal(source, fields["indicatorSource"]);
        Assert.Equal(alsoMatched, fields.GetValueOrDefault("alsoMatched"));
    }

    [Fact]
    public void Flags_a_published_non_page_path_from_the_path_alone()
    {
        const string path = "srv/C/" + FrontEnd + "owa/auth/Current/google.log";
        Assert.Equal(FileInterest.PathOnly, _detector.Interest(path));

        var finding = Assert.Single(Run(_detector, Of(path, "log")));

        Assert.Equal("exchange.webshell.known-name", finding.DetectionId);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "3",
                ["reason"] = "path listed by MSTIC",
                ["matched"] = FrontEnd + "owa/auth/Current/google.log",
                ["indicatorSource"] = "MSTIC",
            },
            Assert.Single(finding.Evidence).Fields);
    }

    [Theory]
    [InlineData(ClientAccess + "ecp/default.aspx")]
    [InlineData(ClientAccess + "owa/auth/error.aspx")]
    [InlineData("inetpub/wwwroot/default.aspx")]
    [InlineData("Users/bob/Documents/shell.aspx")]
    public void Does_not_flag_a_shell_name_where_genuine_pages_use_it(string path)
    {
        Assert.Empty(Run(_detector, Of(path, Benign)));
    }

    [Theory]
    [InlineData(FrontEnd + "owa/auth/x.aspx", "owa/auth", "server page directly in owa/auth, not one of the pages genuine Exchange builds install there")]
    [InlineData(FrontEnd + "ecp/auth/TimeoutLogoff.aspx", "ecp/auth", "server page directly in ecp/auth, not one of the pages genuine Exchange builds install there")]
    [InlineData(FrontEnd + "OAB/x.ashx", "OAB", "server page directly in OAB, not one of the pages genuine Exchange builds install there")]
    [InlineData(FrontEnd + "owa/auth/Current/themes/x.aspx", "owa/auth/Current/themes", "server page under owa/auth/Current, which holds only static files in genuine builds")]
    [InlineData(FrontEnd + "owa/auth/15.1.2106/scripts/x.asmx", "owa/auth/15.1.2106/scripts", "server page under owa/auth/15.1.2106, which holds only static files in genuine builds")]
    [InlineData("server1/C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/x.svc", "aspnet_client/system_web/4_0_30319", "server page under aspnet_client, which holds no pages on a genuine server")]
    [InlineData("C/INETPUB/WWWROOT/ASPNET_CLIENT/X.ASP", "ASPNET_CLIENT", "server page under aspnet_client, which holds no pages on a genuine server")]
    [InlineData("PROGRAM FILES/MICROSOFT/EXCHANGE SERVER/V15/FRONTEND/HTTPPROXY/OWA/AUTH/LOGON2.ASPX", "OWA/AUTH", "server page directly in OWA/AUTH, not one of the pages genuine Exchange builds install there")]
    public void Flags_a_server_page_where_genuine_installs_have_none(string path, string folder, string reason)
    {
        var finding = Assert.Single(Run(_detector, Of(path, Benign)));

        Assert.Equal("exchange.webshell.unexpected-page", finding.DetectionId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(Confidence.Medium, finding.Confidence);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "31",
                ["reason"] = reason,
                ["matched"] = folder,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Benign))),
            },
            Assert.Single(finding.Evidence).Fields);
    }

    [Theory]
    [InlineData(FrontEnd + "owa/auth/logon.aspx", GenuineLikeLogon)]
    [InlineData(FrontEnd + "owa/auth/RedirSuiteServiceProxy.aspx", Benign)]
    [InlineData(FrontEnd + "ecp/auth/TimeoutLogout.aspx", Benign)]
    [InlineData(FrontEnd + "oab/Global.asax", Benign)]
    [InlineData(FrontEnd + "owa/auth/15.1.2106/scripts/premium/flogon.js", Chopper)]
    [InlineData(FrontEnd + "owa/auth/15.1.2106/themes/resources/logon.css", Benign)]
    [InlineData(ClientAccess + "owa/web.config", NormalWebConfig)]
    [InlineData(ClientAccess + "owa/auth/x.aspx", Benign)]
    [InlineData("Users/bob/Documents/page.aspx", Chopper)]
    [InlineData("Backup/MyFrontEnd/HttpProxy/owa/auth/x.aspx", Chopper)]
    [InlineData("Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa/x.aspx", Chopper)]
    [InlineData("backup-inetpub/wwwroot/aspnet_client/x.aspx", Chopper)]
    public void Does_not_flag_genuine_files_and_files_outside_the_web_roots(string path, string content)
    {
        Assert.Empty(Run(_detector, Of(path, content)));
        Assert.Empty(Run(_detector, Of(path, Utf16(content))));
    }

    [Fact]
    public void Flags_China_Chopper_code_with_its_keywords()
    {
        var path = ClientAccess + "ecp/Reporting/x.aspx";

        var finding = Assert.Single(Run(_detector, Of(path, Chopper)));

        Assert.Equal("exchange.webshell.content", finding.DetectionId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(Confidence.High, finding.Confidence);
        Assert.Empty(finding.Cves);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = "66",
                ["reason"] = "web-shell code markers in a server page",
                ["matched"] = ChopperMatched,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Chopper))),
                ["keywords"] = "jscript, eval(",
            },
            Assert.Single(finding.Evidence).Fields);
    }

    [Fact]
    public void Sees_wide_text_at_either_byte_alignment()
    {
        var path = ClientAccess + "ecp/Reporting/x.aspx";
        var even = Utf16(Chopper);
        byte[] odd = [0x41, .. Encoding.Unicode.GetBytes(Chopper)];

        foreach (var bytes in (byte[][])[even, odd])
        {
            var fields = Assert.Single(Assert.Single(Run(_detector, Of(path, bytes))).Evidence).Fields;
            Assert.Equal(ChopperMatched, fields["matched"]);
            Assert.Equal("jscript, eval(", fields["keywords"]);
        }
    }

    [Fact]
    public void Matches_content_case_insensitively()
    {
        const string upper = "<%@ PAGE LANGUAGE=\"JSCRIPT\"%><%EVAL(REQUEST.ITEM[\"Z\"],\"UNSAFE\");%>";

        var finding = Assert.Single(Run(_detector, Of(ClientAccess + "ecp/x.aspx", upper)));

        Assert.Equal(
            "eval-request: EVAL(REQUEST.ITEM[\"Z\"],\"UNSAFE\");%>; jscript-server-page: <%@ PAGE LANGUAGE=\"JSCRIPT\"%>",
            Assert.Single(finding.Evidence).Fields["matched"]);
    }

    [Theory]
    [InlineData(
        "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load() { var code = Request.Form[\"c\"]; Response.Write(eval(code)); }</script>",
        "page-load-eval: Page_Load + eval(",
        "eval(")]
    [InlineData(
        "<%@ WebHandler Language=\"C#\" Class=\"H\" %>\nvar psi = new ProcessStartInfo(\"cmd.exe\", \"/c \" + context.Request[\"c\"]);",
        "command-shell: ProcessStartInfo + cmd.exe",
        "processstartinfo, cmd.exe")]
    [InlineData(
        "<%@ Page Language=\"C#\" %><% var s = CreateObject(\"WScript.Shell\"); s.Exec(\"cmd /c \" + Request(\"c\")); %>",
        "command-shell: WScript.Shell + cmd /c",
        "wscript, createobject, cmd /c")]
    public void Flags_server_code_that_runs_input_or_shells(string content, string matched, string keywords)
    {
        var finding = Assert.Single(Run(_detector, Of(ClientAccess + "ecp/x.ashx", content)));

        Assert.Equal("exchange.webshell.content", finding.DetectionId);
        var fields = Assert.Single(finding.Evidence).Fields;
        Assert.Equal(matched, fields["matched"]);
        Assert.Equal(keywords, fields["keywords"]);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, "GIF image header")]
    [InlineData(new byte[] { (byte)'!', (byte)'B', (byte)'D', (byte)'N', 0x00, 0x00 }, "PST file header")]
    [InlineData(new byte[] { 0x30, 0x82, 0x03, 0x1A }, "DER certificate header")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "JPEG image header")]
    public void Flags_server_script_smuggled_in_a_binary_file(byte[] header, string format)
    {
        byte[] content = [.. header, 0x01, 0x00, 0x02, .. Encoding.ASCII.GetBytes("<% Response.Write(1); %>")];

        var finding = Assert.Single(Run(_detector, Of(ClientAccess + "owa/x.aspx", content)));

        Assert.Equal("exchange.webshell.content", finding.DetectionId);
        Assert.Equal("script-in-binary: " + format + " + <%", Assert.Single(finding.Evidence).Fields["matched"]);
    }

    [Fact]
    public void Flags_an_OAB_virtual_directory_dump_as_the_CVE_2021_27065_shell()
    {
        const string dump =
            "Name                            : OAB (Default Web Site)\r\n"
            + "InternalUrl                     : https://mail.contoso.local/OAB\r\n"
            + "ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"p\"],\"unsafe\");}</script>\r\n"
            + "InternalAuthenticationMethods   : {WindowsIntegrated}\r\n"
            + "ExtendedProtectionTokenChecking : None\r\n";
        var path = FrontEnd + "owa/auth/discover2.aspx";
        var bytes = Utf16(dump);

        var finding = Assert.Single(Run(_detector, Of(path, bytes)));

        Assert.Equal("exchange.webshell.oab-vd-config", finding.DetectionId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(["CVE-2021-27065"], finding.Cves);
        Assert.Equal(["T1190", "T1505.003"], finding.Attack);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["path"] = path,
                ["size"] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["reason"] = "OAB virtual-directory settings with server script, under 50 KB",
                ["matched"] = "oab-vd-config: InternalUrl + InternalAuthenticationMethods + ExtendedProtectionTokenChecking + script language",
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                ["alsoMatched"] = "exchange.webshell.content: eval-request: eval(Request[\"p\"],\"unsafe\");}</script>; "
                    + "jscript-server-page: <script language=\"JScript\" runat=\"server\">; page-load-eval: Page_Load + eval( "
                    + "| exchange.webshell.unexpected-page: owa/auth",
                ["keywords"] = "jscript, eval(",
            },
            Assert.Single(finding.Evidence).Fields);

        // MSTIC's rule stops at 50 KB; the shell code is still caught.
        var padded = dump + new string(' ', 60 * 1024);
        var large = Assert.Single(Run(_detector, Of(ClientAccess + "ecp/x.aspx", padded)));
        Assert.Equal("exchange.webshell.content", large.DetectionId);
    }

    [Theory]
    [InlineData(FrontEnd + "owa/auth/x.aspx", FileInterest.Content)]
    [InlineData(ClientAccess + "owa/web.config", FileInterest.Content)]
    [InlineData("inetpub/wwwroot/aspnet_client/x.asp", FileInterest.Content)]
    [InlineData(FrontEnd + "owa/auth/Current/google.log", FileInterest.PathOnly)]
    [InlineData("inetpub/wwwroot/aspnet_client/google.log", FileInterest.PathOnly)]
    [InlineData(FrontEnd + "owa/auth/15.1.2106/scripts/premium/flogon.js", FileInterest.None)]
    [InlineData(FrontEnd + "owa/auth/GetIdToken.htm", FileInterest.None)]
    [InlineData("inetpub/wwwroot/aspnet_client/readme.txt", FileInterest.None)]
    [InlineData("Users/bob/Documents/page.aspx", FileInterest.None)]
    [InlineData("FrontEnd/HttpProxy/", FileInterest.None)]
    public void Asks_for_content_only_of_pages_under_the_web_roots(string path, FileInterest expected)
    {
        Assert.Equal(expected, _detector.Interest(path));
    }
}
