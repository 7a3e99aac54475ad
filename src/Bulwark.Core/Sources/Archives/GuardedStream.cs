namespace Bulwark.Core.Sources.Archives;

/// <summary>
/// Counts bytes through a stream. Under a decompressor it counts compressed bytes; over one it stops a
/// decompression bomb: past <see cref="ArchiveLimits.RatioGraceBytes"/>, output may not exceed
/// <see cref="ArchiveLimits.MaxRatio"/> times the input consumed.
/// </summary>
internal sealed class GuardedStream(Stream inner, Func<long>? compressedBytes, ArchiveLimits limits, string path) : ForwardReadStream(inner)
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = Inner.Read(buffer);
        BytesRead += n;
        if (compressedBytes is not null && BytesRead > limits.RatioGraceBytes)
        {
            var input = Math.Max(1, compressedBytes());
            if (BytesRead / input > limits.MaxRatio)
            {
                throw new ArchiveRefusedException($"{path}: compression ratio above {limits.MaxRatio}:1 (a decompression bomb?); rest of entry refused");
            }
        }

        if (BytesRead > limits.MaxEntryBytes)
        {
            throw new ArchiveRefusedException($"{path}: expands beyond {limits.MaxEntryBytes / (1L << 30)} GiB; rest of entry refused");
        }

        return n;
    }
}

/// <summary>Raised when an archive or an entry is refused as hostile; the scan reports it and goes on.</summary>
public sealed class ArchiveRefusedException(string message) : Exception(message);
