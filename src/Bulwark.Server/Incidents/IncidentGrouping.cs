using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Posture;
using Bulwark.Data.Incidents;

namespace Bulwark.Server.Incidents;

/// <summary>The grouping rules of ADR 7: which incident key a finding belongs to, and which finding is worse.</summary>
public static class IncidentGrouping
{
    /// <summary>Family of incidents keyed by attacker infrastructure (a client address) across detection families.</summary>
    public const string Infrastructure = "infrastructure";

    /// <summary>Family of incidents keyed by a web shell's site-relative path, however it was seen.</summary>
    public const string WebShell = "webshell";

    /// <summary>
    /// Detections whose subject names a web-shell page, and whether that subject is the requested URL path (true)
    /// or a file path: found on disk, or written through the OAB generator. Probes (404s) and configuration
    /// mismatches are not here: a page that was not there, or a changed web.config, is not that shell.
    /// </summary>
    private static readonly FrozenDictionary<string, bool> WebShellPages = new Dictionary<string, bool>
    {
        [ExchangeDetections.WebShellRequestKnownName.Id] = true,
        [ExchangeDetections.WebShellRequestUnexpectedPage.Id] = true,
        [ExchangeDetections.OabFileWrite.Id] = false,
        [WebShellDetector.KnownHash.Id] = false,
        [WebShellDetector.OabVirtualDirectoryConfig.Id] = false,
        [WebShellDetector.Content.Id] = false,
        [WebShellDetector.KnownName.Id] = false,
        [WebShellDetector.UnexpectedPage.Id] = false,
        [WebShellDetector.BaselineMismatch.Id] = false,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Folders whose contents a web site serves from its root: the IIS default site and Exchange's front end.</summary>
    private static readonly string[] WebRoots = ["inetpub/wwwroot/", "frontend/httpproxy/"];

    /// <summary>The client address columns of the web logs Bulwark reads.</summary>
    private static readonly string[] ClientColumns = ["c-ip", "ClientIpAddress"];

    /// <summary>The incident key of a finding: (family, group key).</summary>
    public static (string Family, string GroupKey) KeyOf(string detectionId, string subject)
    {
        // Exposure is about a build, never an address: it stays apart even when a build looks like one (15.1.2106).
        if (detectionId == PostureFindings.DetectionId)
        {
            return (FamilyOf(detectionId), subject);
        }

        if (ClientAddress(subject) is { } address)
        {
            return (Infrastructure, address);
        }

        return WebShellPage(detectionId, subject) is { } page ? (WebShell, page) : (FamilyOf(detectionId), subject);
    }

    /// <summary>
    /// The page a web-shell finding is about, as the site serves it (<c>/aspnet_client/system_web/discover.aspx</c>),
    /// or null when the detection is not about a page or its subject cannot be placed in a site.
    /// </summary>
    public static string? WebShellPage(string detectionId, string subject) =>
        WebShellPages.TryGetValue(detectionId, out var requested) ? (requested ? UrlPath(subject) : SitePath(subject)) : null;

    /// <summary>A requested URL path in the key's form: <c>/owa/auth/x.aspx</c>; null when it is not an absolute path.</summary>
    public static string? UrlPath(string subject) =>
        subject.StartsWith('/') && !subject.StartsWith("//", StringComparison.Ordinal) ? Canonical(subject) : null;

    /// <summary>
    /// A file path as the web site serves it, from its web root on: <c>C:\inetpub\wwwroot\aspnet_client\x.aspx</c>
    /// and <c>…/V15/FrontEnd/HttpProxy/owa/auth/x.aspx</c> (any drive, share, mount or archive name before the root)
    /// become <c>/aspnet_client/x.aspx</c> and <c>/owa/auth/x.aspx</c>. Null under neither root: the back end's
    /// <c>ClientAccess</c> folders are another site, so they stay apart.
    /// </summary>
    public static string? SitePath(string subject)
    {
        var path = subject.Replace('\\', '/');
        var at = -1;
        var length = 0;
        foreach (var root in WebRoots)
        {
            var found = SegmentIndex(path, root);
            if (found >= 0 && (at < 0 || found < at))
            {
                (at, length) = (found, root.Length);
            }
        }

        return at < 0 ? null : Canonical(path[(at + length)..]);
    }

    /// <summary>
    /// Lower case (IIS paths are case-insensitive), forward slashes, a leading slash, no empty segments; null for a
    /// path with <c>.</c> or <c>..</c> segments (which page it names is not certain) or none at all.
    /// </summary>
    private static string? Canonical(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 || segments.Any(s => s is "." or "..") ? null : "/" + string.Join('/', segments).ToLowerInvariant();
    }

    /// <summary>Where <paramref name="folders"/> starts a segment of <paramref name="path"/> (ignoring case), or -1.</summary>
    private static int SegmentIndex(string path, string folders)
    {
        for (var from = 0; from < path.Length;)
        {
            var at = path.IndexOf(folders, from, StringComparison.OrdinalIgnoreCase);
            if (at <= 0 || path[at - 1] == '/')
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }

    /// <summary>The detection id without its last dot-part: <c>exchange.proxylogon.ssrf</c> → <c>exchange.proxylogon</c>.</summary>
    public static string FamilyOf(string detectionId)
    {
        var dot = detectionId.LastIndexOf('.');
        return dot > 0 ? detectionId[..dot] : detectionId;
    }

    /// <summary>
    /// The subject as a canonical client address when it is one: a dotted-quad IPv4 address (not the short forms
    /// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also takes, which build numbers resemble) or an
    /// IPv6 address; IPv4-mapped IPv6 becomes IPv4.
    /// </summary>
    public static string? ClientAddress(string subject)
    {
        if (subject.Length is 0 or > 64 || !IPAddress.TryParse(subject, out var address))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var parts = subject.Split('.');
            // Leading zeros would be read as octal: "010.1.1.1" is not the address it seems to name.
            return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0'))
                ? address.ToString()
                : null;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && subject.Contains(':', StringComparison.Ordinal))
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return address.MapToIPv4().ToString();
            }

            address.ScopeId = 0;
            return address.ToString();
        }

        return null;
    }

    /// <summary>Worse = more severe, or as severe and more certain.</summary>
    public static bool IsWorse(Severity severity, Confidence confidence, Severity thanSeverity, Confidence thanConfidence) =>
        severity > thanSeverity || (severity == thanSeverity && confidence > thanConfidence);

    /// <summary>
    /// An incident's title, severity and confidence are its worst finding's (ADR 7 rule 4): takes the finding's when it
    /// is worse, and says so. Among equally bad findings the incident keeps the title it has. Used when a finding
    /// joins an incident and when a finding already in one becomes worse (a retro-hunt's attribution).
    /// </summary>
    public static bool TakeWorse(Incident incident, string title, Severity severity, Confidence confidence)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (!IsWorse(severity, confidence, incident.Severity, incident.Confidence))
        {
            return false;
        }

        incident.Title = title;
        incident.Severity = severity;
        incident.Confidence = confidence;
        return true;
    }

    /// <summary>
    /// True for a finding grouped by what its evidence shows rather than by its key alone (ADR 7, 2026-11-28 note): an
    /// intel match whose value is not a client address (a user agent, referer, path, hash…). It joins the incident
    /// of the client address its lines came from, else an incident holding a finding on the same lines, else its own.
    /// </summary>
    public static bool FollowsEvidence(string detectionId, (string Family, string GroupKey) key) =>
        detectionId == IntelDetections.IndicatorMatch.Id && key.Family != Infrastructure;

    /// <summary>
    /// The canonical client address a piece of evidence names in its client column (IIS <c>c-ip</c>, HttpProxy
    /// <c>ClientIpAddress</c>), without a port; null when it names none or something that is not an address.
    /// </summary>
    public static string? EvidenceAddress(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var column in ClientColumns)
        {
            if (fields.TryGetValue(column, out var value) && ClientAddress(WithoutPort(value)) is { } address)
            {
                return address;
            }
        }

        return null;
    }

    /// <summary>"203.0.113.5:51234" → "203.0.113.5"; "[2001:db8::1]:443" → "2001:db8::1"; bare IPv6 keeps its colons.</summary>
    private static string WithoutPort(string value)
    {
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? value[1..close] : value;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && value.IndexOf(':', colon + 1) < 0 ? value[..colon] : value;
    }
}
