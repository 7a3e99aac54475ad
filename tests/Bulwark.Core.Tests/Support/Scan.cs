using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Scanning;

namespace Bulwark.Core.Tests.Support;

/// <summary>Runs the real scanner with the built-in detectors over a path.</summary>
public static class Scan
{
    public const string HttpProxyEcp = "V15/Logging/HttpProxy/Ecp/HttpProxy_2021030300-1.LOG";
    public const string HttpProxyOwa = "V15/Logging/HttpProxy/Owa/HttpProxy_2021030300-1.LOG";
    public const string Iis = "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log";
    public const string Ecp = "V15/Logging/ECP/Server/ECPServer_20210303-1.LOG";
    public const string Oab = "V15/Logging/OABGeneratorLog/OABGenerator_20210303-1.LOG";

    public static ScanResult Path(string path, DateTimeOffset? from = null, DateTimeOffset? to = null, int threads = 2, IReadOnlyList<IFileDetector>? fileDetectors = null)
    {
        var options = new ScanOptions
        {
            Threads = threads,
            From = from,
            To = to,
            LogDetectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
            FileDetectors = fileDetectors ?? FileDetectors.CreateDefault(ExchangeIndicators.BuiltIn),
        };
        return new Scanner(options).Scan(path);
    }

    public static ScanResult Files(params (string Path, string Content)[] files)
    {
        using var tree = new TempTree();
        foreach (var (path, content) in files)
        {
            tree.Write(path, content);
        }

        return Path(tree.Root);
    }

    /// <summary>The findings of one detection.</summary>
    public static List<Finding> Of(this ScanResult result, string detectionId) =>
        [.. result.Findings.Where(f => f.DetectionId == detectionId)];

    /// <summary>Findings other than the build posture (which every HttpProxy test header triggers).</summary>
    public static List<Finding> Attacks(this ScanResult result) =>
        [.. result.Findings.Where(f => !Bulwark.Core.Posture.PostureFindings.IsExposure(f))];
}
