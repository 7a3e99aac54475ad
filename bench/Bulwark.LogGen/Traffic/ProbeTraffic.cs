using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>Managed Availability: Exchange probing its own protocols from ::1 with HealthMailbox accounts.</summary>
public sealed class ProbeTraffic(Rng rng, RequestFactory requests, ExchangeLogs logs, Organization org)
{
    private static readonly (string Protocol, string Method, string Stem, string BackEnd)[] Targets =
    [
        ("Eas", "GET", "/Microsoft-Server-ActiveSync/default.eas", "/Microsoft-Server-ActiveSync/Proxy/default.eas"),
        ("Owa", "GET", "/owa/", "/owa/"),
        ("Ecp", "GET", "/ecp/", "/ecp/"),
        ("Ews", "POST", "/EWS/Exchange.asmx", "/EWS/Exchange.asmx"),
        ("Autodiscover", "POST", "/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"),
        ("Mapi", "POST", "/mapi/emsmdb/", "/mapi/emsmdb/"),
        ("Oab", "GET", "/OAB/", "/OAB/"),
        ("RpcHttp", "RPC_IN_DATA", "/rpc/rpcproxy.dll", "/rpc/rpcproxy.dll"),
    ];

    public DateTime Emit(DateTime t)
    {
        var (protocol, method, stem, backEnd) = rng.Pick(Targets);
        var mailbox = rng.Pick(org.HealthMailboxes);
        var agent = protocol == "Ews" ? UserAgents.EwsProbe : UserAgents.Probe;
        var probe = requests.New(t, protocol, method, "localhost", stem).From("::1", agent)
            .By(mailbox, mailbox, protocol is "Owa" or "Ecp" ? "FBA" : "Basic")
            .ProxiedTo(backEnd, "Smtp~" + mailbox, "Smtp")
            .Sized(rng.Next(200, 1200), rng.Next(300, 8000), rng.Latency(30));
        probe.EncodingToken = protocol == "Owa";
        if (protocol == "Eas")
        {
            logs.Write(requests.Challenge(probe));
        }

        logs.Write(probe);
        return t;
    }
}
