using Bulwark.Core.Findings;

namespace Bulwark.Core.Scanning;

/// <summary>Everything one scan produced.</summary>
public sealed record ScanResult(
    string Root,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<LogCoverage> Coverage,
    IReadOnlyList<ScanError> Errors,
    ScanStatistics Statistics)
{
    /// <summary>Exchange builds named in the logs' <c>#Version:</c> directives.</summary>
    public IReadOnlyList<ObservedBuild> ExchangeBuilds { get; init; } = [];
}

public sealed record ScanStatistics(
    int FilesScanned,
    int LogFiles,
    long Bytes,
    long Lines,
    TimeSpan Elapsed);
