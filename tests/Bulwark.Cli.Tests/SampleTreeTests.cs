using System.Text.Json;

namespace Bulwark.Cli.Tests;

/// <summary>The README tour end to end: every attack planted in samples/ is found, no decoy is (samples/README.md).</summary>
public sealed class SampleTreeTests
{
    private const string Logging = "Program Files/Microsoft/Exchange Server/V15/Logging/";
    private const string W3svc1 = "inetpub/logs/LogFiles/W3SVC1/";

    /// <summary>(detection, subject, evidence count, first evidence file:line). Compared as a set: file findings are
    /// dated by the file's modification time, which a fresh clone sets to checkout time.</summary>
    private static readonly (string Detection, string Subject, int Count, string First)[] Expected =
    [
        ("exchange.posture.missing-updates", "15.1.2106.2", 1, Logging + "HttpProxy/Autodiscover/HttpProxy_2021030200-1.LOG:2"),
        ("exchange.proxylogon.ssrf", "198.51.100.77", 1, Logging + "HttpProxy/Ecp/HttpProxy_2021030223-1.LOG:2"), // PL-04, BackEndCookie form
        ("exchange.proxylogon.request", "130.255.189.21", 7, W3svc1 + "u_ex210303.log:56"), // PL-02.1-7
        ("exchange.proxylogon.ssrf", "130.255.189.21", 6, Logging + "HttpProxy/Ecp/HttpProxy_2021030306-1.LOG:11"), // PL-01.2-7
        ("exchange.proxylogon.ecp-vdir-script", "Set-OabVirtualDirectory -ExternalUrl", 1, Logging + "ECP/Server/ECPServer20210303-1.LOG:11"), // PL-03
        ("exchange.proxylogon.vdir-reset", "130.255.189.21", 1, Logging + "HttpProxy/Ecp/HttpProxy_2021030306-1.LOG:15"), // PL-01.6
        ("exchange.proxylogon.oab-file-write", "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx", 1, Logging + "OABGeneratorLog/OABGeneratorLog_20210303-1.LOG:10"), // PL-05
        ("exchange.webshell.request.known-name", "/aspnet_client/system_web/discover.aspx", 2, W3svc1 + "u_ex210303.log:64"), // PL-06
        ("exchange.proxylogon.request", "104.140.114.110", 2, W3svc1 + "u_ex210303.log:122"), // PL-07
        ("exchange.webshell.request.known-name", "/owa/auth/redirsuiteserverproxy.aspx", 1, W3svc1 + "u_ex210304.log:15"), // PL-08
        ("exchange.proxyshell", "203.0.113.45", 2, W3svc1 + "u_ex210304.log:348"), // PL-09
        ("exchange.proxynotshell", "203.0.113.61", 1, W3svc1 + "u_ex210304.log:438"), // PL-10
        ("exchange.owassrf", "203.0.113.99", 1, W3svc1 + "u_ex210304.log:467"), // PL-11
        ("exchange.webshell.oab-vd-config", "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx", 1, "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx:0"),
        ("exchange.webshell.content", "inetpub/wwwroot/aspnet_client/system_web/discover.aspx", 1, "inetpub/wwwroot/aspnet_client/system_web/discover.aspx:0"),
        ("exchange.postexploit.lsass-dump", "Windows/Temp/lsass.dmp", 1, "Windows/Temp/lsass.dmp:0"),
        ("exchange.intel.attacker-user-agent", "198.51.100.77", 1, Logging + "HttpProxy/Ecp/HttpProxy_2021030223-1.LOG:2"),
        ("exchange.intel.attacker-user-agent", "130.255.189.21", 14, W3svc1 + "u_ex210303.log:56"),
        ("exchange.intel.attacker-user-agent", "203.0.113.77", 2, W3svc1 + "u_ex210303.log:64"),
        ("exchange.intel.attacker-user-agent", "104.140.114.110", 2, W3svc1 + "u_ex210303.log:122"),
        ("exchange.proxylogon.ssrf-attempt", "198.51.100.23", 1, Logging + "HttpProxy/Ecp/HttpProxy_2021030214-1.LOG:6"), // DC-01: an attempt, by design
        ("exchange.proxylogon.ssrf-attempt", "130.255.189.21", 1, Logging + "HttpProxy/Ecp/HttpProxy_2021030306-1.LOG:10"), // PL-01.1
        ("exchange.intel.attacker-ip", "104.140.114.110", 2, W3svc1 + "u_ex210303.log:122"),
        ("exchange.postexploit.staged-archive", "ProgramData/it.zip", 1, "ProgramData/it.zip:0"),
    ];

    [Fact]
    public void Scan_of_the_samples_reports_every_planted_attack_and_no_decoy()
    {
        var (exit, output, error) = Cli.Run("scan", Cli.Samples, "--format", "jsonl");

        Assert.Equal(ExitCodes.Findings, exit);
        var findings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var actual = findings.Select(f =>
        {
            var first = f.GetProperty("evidence")[0];
            return (
                f.GetProperty("detection").GetString()!,
                f.GetProperty("subject").GetString()!,
                f.GetProperty("evidenceCount").GetInt32(),
                $"{first.GetProperty("file").GetString()}:{first.GetProperty("line").GetInt64()}");
        });
        Assert.Equal(Expected.Order(), actual.Order());
        Assert.StartsWith("bulwark: 24 findings (16 critical, 4 high, 4 medium) in 403 files (396 logs, ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_the_same_whatever_the_thread_count()
    {
        var one = Cli.Run("scan", Cli.Samples, "--format", "jsonl", "-q", "--threads", "1").Out;
        var four = Cli.Run("scan", Cli.Samples, "--format", "jsonl", "-q", "--threads", "4").Out;

        Assert.Equal(one, four);
    }

    [Fact]
    public void Decoy_lines_appear_in_no_evidence()
    {
        var (_, output, _) = Cli.Run("scan", Cli.Samples, "--format", "json", "-q");
        using var doc = JsonDocument.Parse(output);
        var evidence = doc.RootElement.GetProperty("findings").EnumerateArray()
            .SelectMany(f => f.GetProperty("evidence").EnumerateArray())
            .Select(e => $"{e.GetProperty("file").GetString()}:{e.GetProperty("line").GetInt64()}")
            .ToHashSet();

        string[] decoys =
        [
            Logging + "HttpProxy/Owa/HttpProxy_2021030209-1.LOG:4", // DC-02 localhost probe
            Logging + "ECP/Server/ECPServer20210302-1.LOG:12", // DC-03
            Logging + "HttpProxy/Ecp/HttpProxy_2021030210-1.LOG:9",
            W3svc1 + "u_ex210302.log:223",
            "inetpub/logs/LogFiles/W3SVC2/u_ex210302.log:184",
            Logging + "OABGeneratorLog/OABGeneratorLog_20210302-1.LOG:18", // DC-04
            W3svc1 + "u_ex210304.log:186", // DC-05
            Logging + "HttpProxy/Owa/HttpProxy_2021030410-1.LOG:7", // DC-06
            W3svc1 + "u_ex210304.log:207",
            "inetpub/logs/LogFiles/W3SVC2/u_ex210304.log:180",
        ];
        Assert.All(decoys, d => Assert.DoesNotContain(d, evidence));
        Assert.Equal("compromise", doc.RootElement.GetProperty("summary").GetProperty("verdict").GetString());
        var coverage = doc.RootElement.GetProperty("coverage").EnumerateArray().ToList();
        Assert.Equal(14, coverage.Count);
        Assert.All(coverage, c => Assert.StartsWith("logs start 2021-03-02:", c.GetProperty("warning").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Html_report_puts_the_verdict_first()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Root, "report.html");

        var (exit, _, _) = Cli.Run("scan", Cli.Samples, "--format", "html", "--output", file, "-q");

        Assert.Equal(ExitCodes.Findings, exit);
        var html = File.ReadAllText(file);
        var verdict = html.IndexOf("Signs of compromise found", StringComparison.Ordinal);
        var todo = html.IndexOf("What to do now", StringComparison.Ordinal);
        var evidence = html.IndexOf("u_ex210303.log", StringComparison.Ordinal);
        Assert.True(verdict > 0 && verdict < todo && todo < evidence, $"order verdict {verdict}, todo {todo}, evidence {evidence}");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }
}
