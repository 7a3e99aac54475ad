namespace Bulwark.LogGen.Model;

/// <summary>
/// One HTTP request to the Exchange front end, described once and written to every log that records it:
/// the HttpProxy log of its protocol, the front-end IIS site (W3SVC1) and, when proxied, the back-end IIS
/// site (W3SVC2).
/// </summary>
public sealed class Request
{
    /// <summary>End of the request (Exchange and IIS both log at completion).</summary>
    public DateTime Time { get; set; }

    public Guid RequestId { get; set; }

    /// <summary>HttpProxy protocol folder (Eas, Ecp, Ews, ...); null when Exchange does not proxy the path.</summary>
    public string? Protocol { get; set; }

    public string Method { get; set; } = "GET";

    public string UrlHost { get; set; } = "";

    public string UrlStem { get; set; } = "/";

    /// <summary>Query as the client sent it, without '?'; null for none.</summary>
    public string? Query { get; set; }

    public string? ProtocolAction { get; set; }

    public string AuthType { get; set; } = "";

    /// <summary>AuthenticatedUser in HttpProxy; empty when anonymous.</summary>
    public string ProxyUser { get; set; } = "";

    /// <summary>cs-username in IIS; empty when anonymous.</summary>
    public string IisUser { get; set; } = "";

    public string AnchorMailbox { get; set; } = "";

    public string RoutingHint { get; set; } = "";

    public string BackEndCookie { get; set; } = "";

    public string? DatabaseGuid { get; set; }

    /// <summary>User agent with spaces (HttpProxy form); IIS writes it with '+'.</summary>
    public string UserAgent { get; set; } = "";

    public string ClientIp { get; set; } = "";

    public string? Referer { get; set; }

    public string? Cookie { get; set; }

    public int Status { get; set; } = 200;

    public int SubStatus { get; set; }

    public long Win32Status { get; set; }

    public int RequestBytes { get; set; }

    public int ResponseBytes { get; set; }

    public int LatencyMs { get; set; }

    public string? GenericErrors { get; set; }

    /// <summary>Whether IIS appends Exchange's <c>&amp;CorrelationID=&lt;empty&gt;;&amp;cafeReqId=…;</c> tokens.</summary>
    public bool ExchangeTokens { get; set; } = true;

    /// <summary>OWA also appends <c>&amp;encoding=;</c>.</summary>
    public bool EncodingToken { get; set; }

    /// <summary>Path on the back-end site (port 444) when the front end proxies the request; null otherwise.</summary>
    public string? BackEndStem { get; set; }

    /// <summary>Whether the front-end IIS site logs the request (false for rows that exist only in HttpProxy).</summary>
    public bool InFrontEndIis { get; set; } = true;

    /// <summary>Whether the back-end IIS site logs the proxied request (planted rows stop at the front end).</summary>
    public bool InBackEndIis { get; set; } = true;

    public bool IsAuthenticated => ProxyUser.Length > 0;
}
