using System.Text;

namespace Bulwark.Benchmarks;

/// <summary>Deterministic in-memory logs for the micro-benchmarks (the whole-process comparison uses bench/Bulwark.LogGen).</summary>
public static class SampleLogs
{
    private static readonly string[] Stems =
    [
        "/owa/service.svc", "/EWS/Exchange.asmx", "/mapi/emsmdb/", "/Microsoft-Server-ActiveSync/default.eas", "/rpc/rpcproxy.dll",
        "/autodiscover/autodiscover.xml", "/owa/", "/mapi/nspi/", "/OAB/9b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/oab.xml", "/owa/auth/logon.aspx",
    ];

    private static readonly string[] Agents =
    [
        "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.13801;+Pro)",
        "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36",
        "Outlook-iOS/709.2226530.prod.iphone+(4.2109.0)",
        "MSRPC", "AMProbe/Local/ClientAccess",
    ];

    public const string IisFields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    /// <summary>An IIS log of about <paramref name="bytes"/> bytes; one line in 20,000 is an attack.</summary>
    public static byte[] Iis(int bytes)
    {
        var random = new Random(42);
        var sb = new StringBuilder(bytes + 1024);
        sb.Append("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2021-03-03 00:00:00\n#Fields: ").Append(IisFields).Append('\n');
        var i = 0;
        while (sb.Length < bytes)
        {
            var seconds = i / 10;
            var time = $"{seconds / 3600 % 24:00}:{seconds / 60 % 60:00}:{seconds % 60:00}";
            if (i % 20_000 == 19_999)
            {
                sb.Append($"2021-03-03 {time} 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=1;&encoding=; 443 - 192.0.2.7 python-requests/2.25.1 - 200 0 0 31\n");
            }
            else
            {
                var user = random.Next(500);
                sb.Append($"2021-03-03 {time} 10.0.0.5 {(random.Next(4) == 0 ? "GET" : "POST")} {Stems[random.Next(Stems.Length)]} &CorrelationID=<empty>;&cafeReqId={Guid.NewGuid()};&encoding=; 443 CONTOSO\\user{user:000} 10.1.{user / 250}.{user % 250} {Agents[random.Next(Agents.Length)]} - 200 0 0 {random.Next(5, 900)}\n");
            }

            i++;
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
