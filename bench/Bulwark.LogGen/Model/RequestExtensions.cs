namespace Bulwark.LogGen.Model;

/// <summary>Fluent setters so a traffic scenario reads as a description of the request.</summary>
public static class RequestExtensions
{
    public static Request By(this Request r, string proxyUser, string iisUser, string authType)
    {
        r.ProxyUser = proxyUser;
        r.IisUser = iisUser;
        r.AuthType = authType;
        return r;
    }

    public static Request From(this Request r, string ip, string userAgent)
    {
        r.ClientIp = ip;
        r.UserAgent = userAgent;
        return r;
    }

    /// <summary>The front end proxies the request to the back-end site at <paramref name="backEndStem"/>.</summary>
    public static Request ProxiedTo(this Request r, string backEndStem, string anchor, string routingHint)
    {
        r.BackEndStem = backEndStem;
        r.AnchorMailbox = anchor;
        r.RoutingHint = routingHint;
        return r;
    }

    public static Request WithQuery(this Request r, string? query)
    {
        r.Query = query;
        return r;
    }

    public static Request Sized(this Request r, int requestBytes, int responseBytes, int latencyMs)
    {
        r.RequestBytes = requestBytes;
        r.ResponseBytes = responseBytes;
        r.LatencyMs = latencyMs;
        return r;
    }

    public static Request Returning(this Request r, int status, int subStatus = 0, long win32Status = 0)
    {
        r.Status = status;
        r.SubStatus = subStatus;
        r.Win32Status = win32Status;
        return r;
    }
}
