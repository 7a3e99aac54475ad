namespace Bulwark.Core.Scanning;

/// <summary>
/// Live counters of a running scan, updated by every worker and read by one progress renderer
/// (progress UIs are not thread-safe, so workers never draw).
/// </summary>
public sealed class ScanCounters
{
    private long _filesDone;
    private long _bytesRead;

    public int TotalFiles { get; internal set; }

    public long TotalBytes { get; internal set; }

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Pieces of evidence found so far.</summary>
    public long Hits => Findings?.Hits ?? 0;

    internal Findings.FindingCollector? Findings { get; set; }

    internal void FileDone() => Interlocked.Increment(ref _filesDone);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesRead, n);
}
