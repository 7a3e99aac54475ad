using Bulwark.LogGen.Model;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Logs;

/// <summary>Formats one HttpProxy CSV row (74 fields) the way the CAFE front end logs a request.</summary>
public static class HttpProxyRow
{
    public static void Format(Request r, LineBuffer b)
    {
        b.Clear();
        Identity(r, b);
        Client(r, b);
        Routing(r, b);
        Latencies(r, b);
        Trailer(r, b);
    }

    private static void Identity(Request r, LineBuffer b)
    {
        b.AppendIsoTime(r.Time).Append(',').Append(r.RequestId).Append(",15,1,2106,2,,")
            .Append(r.Protocol).Append(',').AppendCsv(r.UrlHost).Append(',').AppendCsv(r.UrlStem).Append(',')
            .AppendCsv(r.ProtocolAction).Append(',').Append(r.AuthType).Append(',')
            .Append(r.IsAuthenticated ? "true" : "false").Append(',').AppendCsv(r.ProxyUser).Append(",,");
    }

    private static void Client(Request r, LineBuffer b)
    {
        b.AppendCsv(r.AnchorMailbox).Append(',').AppendCsv(r.UserAgent).Append(',').Append(r.ClientIp).Append(',')
            .Append(Organization.ServerName).Append(',').Append(r.Status).Append(',');
        if (Proxied(r))
        {
            b.Append(r.Status);
        }

        b.Append(',').AppendCsv(r.GenericErrors is null ? null : "ProtocolError").Append(',').Append(r.Method).Append(',');
    }

    private static void Routing(Request r, LineBuffer b)
    {
        if (Proxied(r))
        {
            b.Append("Proxy,").Append(Organization.ServerFqdn).Append(',').Append(Organization.TargetServerVersion)
                .Append(",IntraForest,");
        }
        else
        {
            b.Append(",,,,");
        }

        b.AppendCsv(r.RoutingHint).Append(',').AppendCsv(r.BackEndCookie).Append(",,,")
            .Append(r.RequestBytes).Append(',').Append(r.ResponseBytes).Append(',');
    }

    private static void Latencies(Request r, LineBuffer b)
    {
        var total = r.LatencyMs;
        var backEnd = Proxied(r) ? total * 7 / 8 : 0;
        var core = Math.Min(Math.Max(0, total - backEnd) / 3, 9);
        b.Append(",,0,0,,0,,0,,0,").Append(core).Append(",,0,").Append(total).Append(",0,1,0,0,").Append(backEnd)
            .Append(",0,0,0,0,0,").Append(total).Append(",0,").Append(backEnd).Append(',').Append(core).Append(',')
            .Append(core).Append(',').Append(core).Append(',').Append(total).Append(",,");
        if (r.Query is not null)
        {
            b.AppendCsv("?" + r.Query);
        }

        b.Append(",,");
    }

    private static void Trailer(Request r, LineBuffer b)
    {
        GenericInfo(r, b);
        b.Append(',').AppendCsv(r.GenericErrors).Append(",,");
        if (r.DatabaseGuid is not null)
        {
            b.Append("|RoutingDB:").Append(r.DatabaseGuid);
        }

        b.Append(",,,CafeV1");
    }

    private static void GenericInfo(Request r, LineBuffer b)
    {
        var begin = r.Time.AddMilliseconds(-r.LatencyMs);
        b.Append("BeginRequest=").AppendIsoTime(begin).Append(";CorrelationID=<empty>;ProxyState-Run=None;");
        if (!Proxied(r))
        {
            b.Append("EndRequest=").AppendIsoTime(r.Time).Append(';');
            return;
        }

        var ready = r.Time.AddMilliseconds(-Math.Min(2, r.LatencyMs));
        b.Append("FEAuth=BEVersion-").Append(Organization.ServerVersionNumber).Append(";BeginGetResponse=")
            .AppendIsoTime(begin.AddMilliseconds(1)).Append(";OnResponseReady=").AppendIsoTime(ready)
            .Append(";EndGetResponse=").AppendIsoTime(ready)
            .Append(";ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest=").AppendIsoTime(r.Time)
            .Append(";I32:ADS.C[DC01]=1;F:ADS.AL[DC01]=").Append(1 + (r.LatencyMs % 7)).Append(';');
    }

    /// <summary>A request the front end passed to a back end (not one it answered itself).</summary>
    private static bool Proxied(Request r) => r.BackEndStem is not null;
}
