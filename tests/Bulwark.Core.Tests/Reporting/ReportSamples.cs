using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using Bulwark.Core.Scanning;

namespace Bulwark.Core.Tests.Reporting;

/// <summary>The scan result every report test writes: one ordinary finding, one full of hostile log values.</summary>
internal static class ReportSamples
{
    public const string ToolVersion = "0.1.0-test";

    public const string Script = "<script>alert(1)</script>";
    public const string Formula = "=cmd|' /C calc'!A0";
    public const string Awkward = "a \"quoted\", value\nnext line Ünïcødé";

    public const string EcpLog =
        "Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030307-1.LOG";

    public const string ShellFile =
        "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/Ünïcødé,1.aspx";

    public const string IisLog = "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log";

    public static Finding Ssrf { get; } = new(
        "BW-3f2a9c1d5e6b7a80",
        "exchange.proxylogon.ssrf",
        "ProxyLogon server-side request forgery",
        Severity.Critical,
        Confidence.High,
        ["CVE-2021-26855"],
        ["T1190"],
        new DateTimeOffset(2021, 3, 3, 7, 39, 4, 123, TimeSpan.Zero),
        new DateTimeOffset(2021, 3, 3, 9, 2, 11, TimeSpan.FromHours(1)),
        [
            new Evidence(
                EcpLog,
                123,
                new DateTimeOffset(2021, 3, 3, 7, 39, 4, 123, TimeSpan.Zero),
                new Dictionary<string, string>
                {
                    ["AnchorMailbox"] = "ServerInfo~a]@mail.example.org:444/autodiscover/autodiscover.xml?#",
                    ["UrlStem"] = "/ecp/y.js",
                }),
            new Evidence(
                EcpLog,
                4071,
                new DateTimeOffset(2021, 3, 3, 9, 2, 11, TimeSpan.FromHours(1)),
                new Dictionary<string, string> { ["AnchorMailbox"] = "ServerInfo~a]@mail.example.org:444/ecp/" }),
        ],
        3,
        "Install the March 2021 security update KB5000871, then hunt for web shells.",
        "Microsoft Threat Intelligence, HAFNIUM (2021-03-02)",
        "ServerInfo~a]@mail.example.org:444");

    public static Finding Shell { get; } = new(
        "BW-0c1d2e3f40516273",
        "exchange.webshell.request",
        "Request to a possible web shell",
        Severity.Medium,
        Confidence.Low,
        [],
        ["T1505.003", "T1190"],
        null,
        null,
        [
            new Evidence(ShellFile, 0, null, new Dictionary<string, string> { ["Sha256"] = "00ff" }),
            new Evidence(
                IisLog,
                57,
                null,
                new Dictionary<string, string>
                {
                    ["UserAgent"] = Script,
                    ["Query"] = Awkward,
                    ["Referer"] = Formula,
                }),
        ],
        2,
        "Compare the file with a clean Exchange install; if it is not yours, \"isolate\" the server, then remove it.",
        "Bulwark",
        Formula);

    public static ScanResult Result(params Finding[] findings) => new(
        "/cases/ngo-mail-01",
        findings,
        [
            new LogCoverage(
                "Logging/HttpProxy/Ecp",
                "exchange-httpproxy",
                2,
                new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2021, 3, 4, 23, 59, 59, TimeSpan.Zero),
                "Logs start 2021-03-01, after ProxyLogon exploitation began (January 2021)."),
            new LogCoverage(
                "inetpub/logs/LogFiles/W3SVC1",
                "iis-w3c",
                1,
                new DateTimeOffset(2021, 2, 1, 0, 0, 0, TimeSpan.Zero),
                null,
                null),
        ],
        [
            new ScanError("Logging/HttpProxy/Ecp/HttpProxy_2021030309-1.LOG", 17, "expected 31 fields, found 4"),
            new ScanError("pagefile.sys", 0, "access denied"),
        ],
        new ScanStatistics(12, 3, 5_242_880, 41_337, TimeSpan.FromMilliseconds(2345)));

    public static ScanResult Both() => Result(Ssrf, Shell);

    public static string Render(IReportWriter writer, ScanResult result)
    {
        using var output = new StringWriter();
        writer.Write(result, output);
        return output.ToString();
    }
}
