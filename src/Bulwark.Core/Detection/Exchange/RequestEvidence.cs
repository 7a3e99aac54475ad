using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>Evidence for a web request line: the columns that show what was asked, by whom, with what result.</summary>
internal static class RequestEvidence
{
    private static readonly string[] IisFields =
        ["date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port", "cs-username", "c-ip", "cs(User-Agent)", "cs(Cookie)", "sc-status"];

    private static readonly string[] ProxyFields =
        ["DateTime", "RequestId", "Method", "UrlHost", "UrlStem", "UrlQuery", "AuthenticatedUser", "AnchorMailbox", "BackEndCookie", "RoutingHint", "ClientIpAddress", "UserAgent", "HttpStatus"];

    public static Evidence For(LogEvent e, params ReadOnlySpan<string> extra)
    {
        var fields = e.Pick(e.Kind == LogKind.Iis ? IisFields : ProxyFields);
        foreach (var name in extra)
        {
            var value = e[name];
            if (value.Length > 0)
            {
                fields[name] = value;
            }
        }

        return new Evidence(e.File, e.Line, e.Timestamp, fields);
    }

    public static Evidence With(LogEvent e, string name, string value)
    {
        var evidence = For(e);
        ((Dictionary<string, string>)evidence.Fields)[name] = value;
        return evidence;
    }

    /// <summary>The client address without a port, or a placeholder when the log has none.</summary>
    public static string Client(HttpRequestView request)
    {
        var ip = request.ClientIp;
        if (ip.Length == 0)
        {
            return "unknown client";
        }

        // IPv4 with a port ("203.0.113.5:51234"); IPv6 keeps its colons.
        var colon = ip.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && ip.IndexOf(':', colon + 1) < 0)
        {
            ip = ip[..colon];
        }

        return ip;
    }

    /// <summary>URL-decodes twice (attackers double-encode '@' and '?').</summary>
    public static string Decode(string text)
    {
        if (text.IndexOf('%', StringComparison.Ordinal) < 0)
        {
            return text;
        }

        var once = Uri.UnescapeDataString(text);
        return once.IndexOf('%', StringComparison.Ordinal) < 0 ? once : Uri.UnescapeDataString(once);
    }
}
