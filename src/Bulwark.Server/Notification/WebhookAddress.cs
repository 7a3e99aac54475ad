using System.Net;
using System.Net.Sockets;

namespace Bulwark.Server.Notification;

/// <summary>
/// Where webhooks may go. Only https, to public addresses: a member must not be able to make the instance call
/// into its own network (SSRF). The address check runs on every connection, after DNS resolution, so a name
/// that later resolves to a private address is refused too. Loopback over http is allowed only when
/// <see cref="NotificationOptions.AllowLoopbackWebhooks"/> says so (tests).
/// </summary>
public static class WebhookAddress
{
    public const int MaxLength = 2000;

    /// <summary>Why this URL cannot be a webhook, or null when it can.</summary>
    public static string? Problem(string? url, bool allowLoopback)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength)
        {
            return $"an absolute https URL of at most {MaxLength} characters is required";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "an absolute https URL is required";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "the URL must not carry a user name or password; authenticate requests with the signature instead";
        }

        if (uri.Fragment.Length > 0)
        {
            return "the URL must not have a fragment (#…)";
        }

        var loopback = uri.IsLoopback;
        if (uri.Scheme == Uri.UriSchemeHttp && !(loopback && allowLoopback))
        {
            return "the URL must use https";
        }

        if (IPAddress.TryParse(uri.IdnHost, out var literal) && !IsAllowed(literal, allowLoopback))
        {
            return "the URL points to a private, loopback or link-local address; webhooks go to public addresses";
        }

        if (loopback && !allowLoopback)
        {
            return "the URL points to this machine; webhooks go to public addresses";
        }

        return null;
    }

    /// <summary>True for a public unicast address (or loopback when allowed).</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0
                || b[0] == 10
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                || b[0] >= 224);
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None)
                || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc);
        }

        return false;
    }

    /// <summary>Connects only to allowed addresses of the request's host, resolving it on every new connection.</summary>
    public static async ValueTask<Stream> ConnectAsync(System.Net.Http.SocketsHttpConnectionContext context, bool allowLoopback, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => IsAllowed(a, allowLoopback)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "the webhook's host resolves only to private, loopback or link-local addresses");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
