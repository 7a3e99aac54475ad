using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// Turns Bulwark's events into STIX observations, so a pattern can be evaluated on the events that hit one of its
/// values. Built per matching event, not per line.
/// <para>
/// A web request (IIS W3C or Exchange HttpProxy line) gives: <c>ipv4-addr</c> / <c>ipv6-addr</c> for the client
/// (and for the server when the log has <c>s-ip</c>); <c>domain-name</c> for the requested host (IIS <c>cs-host</c>,
/// HttpProxy <c>UrlHost</c>); <c>url</c> (scheme from the server port, https unless port 80; host from the log, else
/// the server address); <c>network-traffic</c> with <c>src_ref</c> (client), <c>dst_ref</c> (server address, else
/// host), <c>dst_port</c>, <c>protocols</c>, <c>start</c> and <c>extensions.'http-request-ext'</c> (lower-case
/// <c>request_method</c>, <c>request_value</c> = path and query, <c>request_version</c>, <c>request_header</c> with
/// <c>User-Agent</c>, <c>Host</c>, <c>Referer</c>); <c>user-account</c> (<c>account_login</c>) for the authenticated
/// user, and <c>email-addr</c> (<c>belongs_to_ref</c> that account) when the user name is an address. IIS's '+' for
/// spaces in headers is undone. Cookies are not carried: they hold session secrets.
/// </para>
/// <para>
/// A scanned file gives <c>file</c> (<c>name</c>, <c>size</c>, <c>hashes</c> SHA-256 / SHA-1 / MD5 as known,
/// <c>mtime</c>, <c>parent_directory_ref</c>) and <c>directory</c> (<c>path</c>, as the scanner names it).
/// </para>
/// </summary>
public static class EventObservations
{
    private static readonly string[] References = [.. Enumerable.Range(0, 16).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>
    /// The observation of one web request line, seen once at the line's time (<see cref="DateTimeOffset.MinValue"/>
    /// when the line has none); null when the event is not a request.
    /// </summary>
    public static Observation? FromRequest(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Request is not { } request)
        {
            return null;
        }

        var iis = e.Kind == LogKind.Iis;
        var time = e.Timestamp ?? DateTimeOffset.MinValue;
        var objects = new List<(string, ObservedObject)>(8);

        string? clientRef = null;
        if (ParseAddress(WithoutPort(request.ClientIp)) is { } client)
        {
            clientRef = Add(objects, Address(client));
        }

        var host = Field(e, iis ? "cs-host" : "UrlHost");
        host = host.Length == 0 ? "" : WithoutPort(host).ToLowerInvariant();
        var hostAddress = ParseAddress(host);
        var serverAddress = (iis ? ParseAddress(Field(e, "s-ip")) : null) ?? hostAddress;
        string? serverRef = serverAddress is null ? null : Add(objects, Address(serverAddress));
        string? domainRef = host.Length > 0 && hostAddress is null ? Add(objects, new ObservedObject("domain-name", ("value", host))) : null;

        _ = int.TryParse(iis ? Field(e, "s-port") : "", NumberStyles.None, CultureInfo.InvariantCulture, out var port);
        var scheme = port == 80 ? "http" : "https";
        var urlHost = host.Length > 0 ? host : serverAddress is null ? "" : serverAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + serverAddress + "]" : serverAddress.ToString();
        if (urlHost.Length > 0)
        {
            var portText = port is 0 or 80 or 443 ? "" : ":" + port.ToString(CultureInfo.InvariantCulture);
            var path = request.UriStem.StartsWith('/') ? request.Uri : "/" + request.Uri;
            Add(objects, new ObservedObject("url", ("value", scheme + "://" + urlHost + portText + path)));
        }

        var headers = new List<(string, ObservedValue)>(3);
        var agent = Header(request.UserAgent, iis);
        if (agent.Length > 0)
        {
            headers.Add(("User-Agent", agent));
        }

        if (host.Length > 0)
        {
            headers.Add(("Host", host));
        }

        var referer = Header(Field(e, iis ? "cs(Referer)" : "Referer"), iis);
        if (referer.Length > 0)
        {
            headers.Add(("Referer", referer));
        }

        var http = new List<(string, ObservedValue)>(4)
        {
            ("request_method", request.Method.ToLowerInvariant()),
            ("request_value", request.Uri),
        };
        var version = iis ? Field(e, "cs-version") : "";
        if (version.Length > 0)
        {
            http.Add(("request_version", version.ToLowerInvariant()));
        }

        http.Add(("request_header", ObservedValue.Dictionary(ObservedDictionary.Own([.. headers]))));

        var traffic = new List<(string, ObservedValue)>(7);
        if (clientRef is not null)
        {
            traffic.Add(("src_ref", clientRef));
        }

        if ((serverRef ?? domainRef) is { } destination)
        {
            traffic.Add(("dst_ref", destination));
        }

        if (port > 0)
        {
            traffic.Add(("dst_port", port));
        }

        traffic.Add(("protocols", ObservedValue.List("tcp", scheme)));
        if (e.Timestamp is { } start)
        {
            traffic.Add(("start", start));
        }

        traffic.Add(("extensions", ObservedValue.Dictionary(("http-request-ext", ObservedValue.Dictionary(ObservedDictionary.Own([.. http]))))));
        Add(objects, new ObservedObject("network-traffic", ObservedDictionary.Own([.. traffic])));

        var user = Field(e, iis ? "cs-username" : "AuthenticatedUser");
        if (user.Length > 0)
        {
            var account = Add(objects, new ObservedObject("user-account", ("account_login", user)));
            if (IsEmailAddress(user))
            {
                Add(objects, new ObservedObject("email-addr", ("value", user), ("belongs_to_ref", account)));
            }
        }

        return new Observation(time, time, 1, [.. objects]);
    }

    /// <summary>
    /// The observation of one scanned file, seen once at <paramref name="observedAt"/>, else at its last write time,
    /// else at <see cref="DateTimeOffset.MinValue"/>.
    /// </summary>
    public static Observation FromFile(FileFacts file, DateTimeOffset? observedAt = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var time = observedAt ?? file.LastWriteTime ?? DateTimeOffset.MinValue;
        var cut = file.Path.AsSpan().LastIndexOfAny('/', '\\');
        var name = cut < 0 ? file.Path : file.Path[(cut + 1)..];
        var directory = cut <= 0 ? "" : file.Path[..cut];

        var hashes = new List<(string, ObservedValue)>(3);
        if (file.Sha256 is { Length: > 0 } sha256)
        {
            hashes.Add(("SHA-256", sha256));
        }

        if (file.Sha1 is { Length: > 0 } sha1)
        {
            hashes.Add(("SHA-1", sha1));
        }

        if (file.Md5 is { Length: > 0 } md5)
        {
            hashes.Add(("MD5", md5));
        }

        var properties = new List<(string, ObservedValue)>(5) { ("name", name), ("size", file.Length) };
        if (hashes.Count > 0)
        {
            properties.Add(("hashes", ObservedValue.Dictionary(ObservedDictionary.Own([.. hashes]))));
        }

        if (file.LastWriteTime is { } written)
        {
            properties.Add(("mtime", written));
        }

        if (directory.Length > 0)
        {
            properties.Add(("parent_directory_ref", "1"));
            return new Observation(time, time, 1, ("0", new ObservedObject("file", ObservedDictionary.Own([.. properties]))), ("1", new ObservedObject("directory", ("path", directory))));
        }

        return new Observation(time, time, 1, ("0", new ObservedObject("file", ObservedDictionary.Own([.. properties]))));
    }

    private static string Add(List<(string, ObservedObject)> objects, ObservedObject item)
    {
        var reference = References[objects.Count];
        objects.Add((reference, item));
        return reference;
    }

    private static ObservedObject Address(IPAddress address) =>
        new(address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6-addr" : "ipv4-addr", ("value", address.ToString()));

    private static string Field(LogEvent e, string name)
    {
        var value = e[name];
        return value == "-" ? "" : value;
    }

    private static string Header(string value, bool iis) => value == "-" ? "" : iis ? value.Replace('+', ' ') : value;

    /// <summary>An address as logged: IPv4 (dotted quad), IPv6, IPv4-mapped IPv6 (read as IPv4); null for anything else.</summary>
    private static IPAddress? ParseAddress(string text)
    {
        if (text.Length == 0 || text.Contains('/', StringComparison.Ordinal) || !IpRange.TryParse(text, out var range))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, range.Bits);
        return new IPAddress(range.V6 ? bytes : bytes[12..]);
    }

    /// <summary>"203.0.113.5:51234" → "203.0.113.5"; "[2001:db8::1]:443" → "2001:db8::1"; bare IPv6 is kept.</summary>
    private static string WithoutPort(string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? text[1..close] : text;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && text.IndexOf(':', colon + 1) < 0 ? text[..colon] : text;
    }

    private static bool IsEmailAddress(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.')
            && text.AsSpan().IndexOfAny(" \\/\t,;<>\"") < 0;
    }
}
