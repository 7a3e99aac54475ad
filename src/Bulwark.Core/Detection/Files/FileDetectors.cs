using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;

namespace Bulwark.Core.Detection.Files;

/// <summary>The file-tree detections: web shells, LSASS dumps, staged archives.</summary>
public static class FileDetectors
{
    /// <param name="indicators">Usually <see cref="ExchangeIndicators.BuiltIn"/>.</param>
    /// <param name="baseline">Known-good web files of the server's build(s) (CLI <c>--baselines FILE</c>); null to skip that comparison.</param>
    public static IReadOnlyList<IFileDetector> CreateDefault(ExchangeIndicators indicators, ExchangeWebBaseline? baseline = null) =>
        [new WebShellDetector(indicators, baseline), new LsassDumpDetector(), new StagedArchiveDetector()];

    /// <summary>Every detection the file detectors can report.</summary>
    public static IReadOnlyList<Findings.Detection> Detections { get; } =
        [.. WebShellDetector.Detections, .. LsassDumpDetector.Detections, .. StagedArchiveDetector.Detections];
}
