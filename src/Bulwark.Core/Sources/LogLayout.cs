using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Sources;

/// <summary>
/// Recognises a log by where it lives (the real Exchange and IIS folder layouts) or, for a loose file,
/// by its first bytes.
/// </summary>
public static partial class LogLayout
{
    public const int SniffBytes = 4096;

    /// <summary>The kind a path implies, the HttpProxy protocol folder, and the coverage folder name.</summary>
    public static (LogKind Kind, string? Protocol, string Folder)? FromPath(string path)
    {
        var m = HttpProxyPath().Match(path);
        if (m.Success)
        {
            var protocol = m.Groups["protocol"].Value;
            return (LogKind.HttpProxy, protocol, "HttpProxy/" + protocol);
        }

        if (EcpPath().IsMatch(path))
        {
            return (LogKind.EcpServer, null, "ECP/Server");
        }

        if (OabPath().IsMatch(path))
        {
            return (LogKind.OabGenerator, null, "OABGeneratorLog");
        }

        m = IisPath().Match(path);
        if (m.Success)
        {
            return (LogKind.Iis, null, m.Groups["site"].Value.ToUpperInvariant());
        }

        return null;
    }

    /// <summary>Recognises a loose log from its first bytes.</summary>
    public static (LogKind Kind, string? Protocol, string Folder)? FromContent(ReadOnlySpan<byte> head, string path)
    {
        var text = Encoding.UTF8.GetString(head);
        var folder = Path.GetDirectoryName(path)?.Replace('\\', '/') is { Length: > 0 } d ? d : ".";
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        if (text.StartsWith("#Software: Microsoft Internet Information Services", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith("#Version: 1.0", StringComparison.Ordinal) && text.Contains("#Fields: date time", StringComparison.OrdinalIgnoreCase)))
        {
            return (LogKind.Iis, null, folder);
        }

        if (text.Contains("#Log-type: HttpProxy", StringComparison.OrdinalIgnoreCase) || text.StartsWith("DateTime,RequestId,", StringComparison.OrdinalIgnoreCase))
        {
            return (LogKind.HttpProxy, ProtocolFromContent(text), folder);
        }

        if (text.Contains("#Log-type: ECP", StringComparison.OrdinalIgnoreCase) || text.StartsWith("TimeStamp,ServerName,EventId,EventData", StringComparison.OrdinalIgnoreCase))
        {
            return (LogKind.EcpServer, null, folder);
        }

        if (text.Contains("OABGenerator", StringComparison.OrdinalIgnoreCase) || text.Contains("#Log-type: OAB", StringComparison.OrdinalIgnoreCase))
        {
            return (LogKind.OabGenerator, null, folder);
        }

        return null;
    }

    private static string? ProtocolFromContent(string text)
    {
        var m = ProtocolColumn().Match(text);
        return m.Success ? m.Groups["p"].Value : null;
    }

    [GeneratedRegex(@"(?:^|/)Logging/HttpProxy/(?<protocol>[^/]+)/[^/]+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpProxyPath();

    [GeneratedRegex(@"(?:^|/)Logging/ECP/Server/[^/]+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EcpPath();

    [GeneratedRegex(@"(?:^|/)Logging/OABGeneratorLog/(?:.+/)?[^/]+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OabPath();

    [GeneratedRegex(@"(?:^|/)(?:LogFiles/)?(?<site>W3SVC\d+)/[^/]+\.log$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IisPath();

    [GeneratedRegex(@"\n[^,\n]*,[^,\n]*,\d+,\d+,\d+,\d+,[^,\n]*,(?<p>[A-Za-z]+),", RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolColumn();
}
