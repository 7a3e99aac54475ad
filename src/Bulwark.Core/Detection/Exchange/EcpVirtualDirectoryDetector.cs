using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Exchange;

/// <summary>
/// CVE-2021-27065 in ECP server logs: a <c>Set-*VirtualDirectory</c> cmdlet whose <c>*Url</c> parameter holds
/// markup. Unlike Test-ProxyLogon's regex it needs no second <c>VirtualDirectory</c> token later on the line,
/// so it still fires on lines whose trailing columns were stripped or cut.
/// </summary>
public sealed partial class EcpVirtualDirectoryDetector : ILogDetector
{
    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.EcpServer];

    public IReadOnlyCollection<string> Prefilter { get; } = ["VirtualDirectory"];

    public IReadOnlyList<Findings.Detection> Detections { get; } = [ExchangeDetections.EcpVirtualDirectoryScript];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        // The unquoted EventData column when the line parsed as CSV; the raw line when it did not.
        var text = e["EventData"] is { Length: > 0 } data ? data : e.Raw;
        var cmd = Cmdlet().Match(text);
        if (!cmd.Success)
        {
            return;
        }

        foreach (Match p in UrlParameter().Matches(text, cmd.Index + cmd.Length))
        {
            var value = p.Groups["value"].Value;
            if (!Markup().IsMatch(value))
            {
                continue;
            }

            var cmdlet = cmd.Value;
            var parameter = p.Groups["name"].Value;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["cmdlet"] = cmdlet,
                ["parameter"] = parameter,
                ["value"] = value.Length <= 400 ? value : value[..400] + "…",
            };
            var server = e["ServerName"];
            if (server.Length > 0)
            {
                fields["ServerName"] = server;
            }

            findings.Add(ExchangeDetections.EcpVirtualDirectoryScript, $"{cmdlet} -{parameter}", new Evidence(e.File, e.Line, e.Timestamp, fields));
            return;
        }
    }

    [GeneratedRegex(@"Set-\w*VirtualDirectory\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Cmdlet();

    // ECP writes cmdlet parameters as .Name='value', doubling the quotes ('') when the whole S:CMD is quoted;
    // the value may be cut off with the line. The leading '.' keeps log keys such as S:URL= out.
    [GeneratedRegex(@"\.(?<name>\w*Url)\s*=\s*'*(?<value>[^']*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlParameter();

    [GeneratedRegex(@"<\s*/?\s*[a-z][\w:-]*[^<]*>|<\s*script", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Markup();
}
