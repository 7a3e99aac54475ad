using System.Net;
using System.Net.Sockets;
using Bulwark.Core.Findings;
using Bulwark.Core.Posture;

namespace Bulwark.Server.Incidents;

/// <summary>The grouping rules of ADR 7: which incident key a finding belongs to, and which finding is worse.</summary>
public static class IncidentGrouping
{
    /// <summary>Family of incidents keyed by attacker infrastructure (a client address) across detection families.</summary>
    public const string Infrastructure = "infrastructure";

    /// <summary>The incident key of a finding: (family, group key).</summary>
    public static (string Family, string GroupKey) KeyOf(string detectionId, string subject)
    {
        // Exposure is about a build, never an address: it stays apart even when a build looks like one (15.1.2106).
        if (detectionId == PostureFindings.DetectionId)
        {
            return (FamilyOf(detectionId), subject);
        }

        return ClientAddress(subject) is { } address ? (Infrastructure, address) : (FamilyOf(detectionId), subject);
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
}
