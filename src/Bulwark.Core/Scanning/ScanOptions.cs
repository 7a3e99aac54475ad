using Bulwark.Core.Detection;
using Bulwark.Core.Sources.Archives;

namespace Bulwark.Core.Scanning;

public sealed record ScanOptions
{
    /// <summary>Files scanned at once.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Lines stamped before this are ignored by detectors (coverage still counts them).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Lines stamped after this are ignored by detectors.</summary>
    public DateTimeOffset? To { get; init; }

    public ArchiveLimits ArchiveLimits { get; init; } = ArchiveLimits.Default;

    /// <summary>Malformed-line reports kept per file; the rest are counted in one closing message.</summary>
    public int MaxErrorsPerFile { get; init; } = 20;

    /// <summary>ProxyLogon exploitation began in early January 2021 (Volexity, MSTIC); logs starting later can't show it.</summary>
    public DateTimeOffset ExploitationWindowStart { get; init; } = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Also compute MD5 and SHA-1 of files read for content (intel with MD5/SHA-1 indicators).</summary>
    public bool LegacyHashes { get; init; }

    /// <summary>
    /// Threat intelligence to match every web request and file against (null: none). The scanner adds the intel
    /// detectors and attributes the findings after the scan.
    /// </summary>
    public Intel.IntelSet? Intel { get; init; }

    /// <summary>Confirms an indicator whose pattern is more than its values, on the event that hit it (the pattern evaluator).</summary>
    public Func<Intel.Model.IntelIndicator, Sources.LogEvent, bool>? ConfirmPattern { get; init; }

    public required IReadOnlyList<ILogDetector> LogDetectors { get; init; }

    public required IReadOnlyList<IFileDetector> FileDetectors { get; init; }
}
