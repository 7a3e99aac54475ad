using Bulwark.Core.Findings;

namespace Bulwark.Core.Posture;

/// <summary>Turns an Exchange build seen in the logs into a finding when it lacks security updates.</summary>
public static class PostureFindings
{
    /// <summary>Findings with this detection id describe exposure (a missing update), not an attack.</summary>
    public const string DetectionId = "exchange.posture.missing-updates";

    public static bool IsExposure(Finding finding) => finding.DetectionId == DetectionId;

    /// <summary>Adds a finding for <paramref name="buildText"/> (as written in <c>#Version:</c>) when it is unpatched.</summary>
    public static void Add(ExchangePosture posture, string buildText, Evidence evidence, FindingCollector findings)
    {
        if (!ExchangeBuild.TryParse(buildText, out var build))
        {
            return;
        }

        var report = posture.Assess(build);
        if (report.MissingUpdates.Count == 0)
        {
            return;
        }

        var name = report.CuName is null ? report.ProductName ?? "Exchange" : $"{report.ProductName} {report.CuName}";
        var proxyLogon = report.UnpatchedCves.Contains("CVE-2021-26855");
        var detection = new Findings.Detection(
            DetectionId,
            $"{name} (build {build}) lacks security updates: {string.Join(", ", report.MissingUpdates.Select(m => m.Campaign ?? m.Key).Distinct(StringComparer.Ordinal))}",
            proxyLogon ? Severity.Critical : Severity.High,
            Confidence.High,
            report.UnpatchedCves,
            ["T1190"],
            report.Action,
            "microsoft/CSS-Exchange HealthChecker build table and security-update CVE map (MIT)");

        var fields = new Dictionary<string, string>(evidence.Fields, StringComparer.Ordinal)
        {
            ["build"] = build.ToString(),
            ["missing"] = string.Join(", ", report.MissingUpdates.Select(m => $"{m.Key} ({m.Kb})")),
        };
        findings.Add(detection, build.ToString(), evidence with { Fields = fields });
    }
}
