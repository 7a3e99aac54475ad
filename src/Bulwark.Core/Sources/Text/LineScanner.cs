using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bulwark.Core.Sources.Text;

/// <summary>
/// Streams a text log in fixed blocks and hands a line to the handler only when it contains one of the
/// pre-filter literals (plus every '#' directive line and the file's first data line). The search runs
/// over the block widened to UTF-16 (Latin-1, so any byte maps to one char) with a vectorised
/// multi-literal <see cref="SearchValues{T}"/>; lines are counted with a vectorised newline count.
/// Memory per call is bounded by the block size whatever the file size.
/// </summary>
public sealed class LineScanner
{
    public const int DefaultBlockSize = 1 << 20;

    private readonly SearchValues<string> _literals;
    private readonly int _blockSize;

    /// <param name="literals">Pre-filter literals, compared case-insensitively.</param>
    public LineScanner(IEnumerable<string> literals, int blockSize = DefaultBlockSize)
    {
        // "\n#" finds directive lines after the first line (IIS rewrites #Fields mid-file).
        _literals = SearchValues.Create([.. literals.Append("\n#").Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);
        _blockSize = blockSize;
    }

    /// <summary>Called for each selected line: the line's text (no line break) and its 1-based number.</summary>
    public delegate void LineHandler(string line, long lineNumber);

    /// <summary>Decides from a line's bytes (without the line break) whether it is selected although it holds no literal.</summary>
    public delegate bool LineProbe(ReadOnlySpan<byte> line);

    /// <summary>
    /// Scans <paramref name="stream"/>. <paramref name="wantsFullLine"/> is asked, for each line from the
    /// start, whether the file's header is still being read; those lines all go to the handler.
    /// </summary>
    /// <returns>Total lines, the last non-empty line (for the file's time range), and bytes read.</returns>
    public (long Lines, string? LastLine, long Bytes) Scan(
        Stream stream,
        Func<bool> wantsFullLine,
        LineHandler handler,
        Action<string, long>? lineTooLong = null,
        Action<long>? progress = null,
        LineProbe? probe = null)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(_blockSize);
        var chars = ArrayPool<char>.Shared.Rent(_blockSize);
        try
        {
            return ScanCore(stream, bytes, chars, wantsFullLine, handler, lineTooLong, progress, probe);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    // Hot loops: optimise at first call instead of running instrumented tiers for the first seconds of a scan.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (long Lines, string? LastLine, long Bytes) ScanCore(
        Stream stream,
        byte[] bytes,
        char[] chars,
        Func<bool> wantsFullLine,
        LineHandler handler,
        Action<string, long>? lineTooLong,
        Action<long>? progress,
        LineProbe? probe)
    {
        var size = _blockSize;
        long lineBase = 1; // number of the line that starts at bytes[0]
        long total = 0;
        var filled = 0;
        var header = true;
        var first = true;
        var skippingLongLine = false;
        string? lastLine = null;

        while (true)
        {
            var read = stream.ReadAtLeast(bytes.AsSpan(filled, size - filled), size - filled, throwOnEndOfStream: false);
            total += read;
            progress?.Invoke(read);
            filled += read;
            var eof = read == 0 || filled < size;
            var start = 0;
            if (first)
            {
                first = false;
                if (filled >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
                {
                    start = 3; // UTF-8 byte order mark
                }
            }

            if (skippingLongLine)
            {
                var nl = bytes.AsSpan(0, filled).IndexOf((byte)'\n');
                if (nl < 0)
                {
                    filled = 0;
                    if (eof)
                    {
                        return (lineBase, lastLine, total);
                    }

                    continue;
                }

                skippingLongLine = false;
                start = nl + 1;
                lineBase++;
            }

            // Complete lines end at the last '\n'; at end of stream the remainder is a line too.
            var region = bytes.AsSpan(0, filled);
            var lastNl = region.LastIndexOf((byte)'\n');
            var end = Math.Max(eof ? filled : lastNl + 1, start);
            if (end == start && !eof)
            {
                if (start == 0)
                {
                    // A line longer than the block: report it and skip to its end.
                    lineTooLong?.Invoke($"line longer than {size} bytes; skipped", lineBase);
                    skippingLongLine = true;
                    filled = 0;
                    continue;
                }
            }

            if (end > start)
            {
                var block = bytes.AsSpan(start, end - start);
                var lines = ProcessBlock(block, chars, lineBase, ref header, wantsFullLine, handler, probe);
                var tail = LastLine(block);
                if (tail is not null)
                {
                    lastLine = tail;
                }

                lineBase += lines;
            }

            if (eof)
            {
                // lineBase is the number the next line would have had; a final line without '\n' counts.
                var count = lineBase - 1;
                if (end > start && bytes[end - 1] != (byte)'\n')
                {
                    count++;
                }

                return (count, lastLine, total);
            }

            var rest = filled - end;
            bytes.AsSpan(end, rest).CopyTo(bytes);
            filled = rest;
        }
    }

    /// <summary>Returns the number of '\n' in the block.</summary>
    // Hot loops: optimise at first call instead of running instrumented tiers for the first seconds of a scan.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long ProcessBlock(ReadOnlySpan<byte> block, char[] chars, long lineBase, ref bool header, Func<bool> wantsFullLine, LineHandler handler, LineProbe? probe)
    {
        var pos = 0;
        var line = lineBase;

        // Header phase: every line goes to the handler until the reader has its schema and first data line.
        while (header && pos < block.Length)
        {
            var nl = block[pos..].IndexOf((byte)'\n');
            var lineEnd = nl < 0 ? block.Length : pos + nl;
            handler(Decode(block[pos..lineEnd]), line);
            header = wantsFullLine();
            if (nl < 0)
            {
                pos = block.Length; // a final line without a break: counted by the caller
                break;
            }

            pos = lineEnd + 1;
            line++;
        }

        if (pos >= block.Length)
        {
            return line - lineBase;
        }

        var rest = block[pos..];
        var text = chars.AsSpan(0, rest.Length);
        Encoding.Latin1.GetChars(rest, text);

        if (probe is not null)
        {
            return line - lineBase + ProbeLines(rest, text, line, handler, probe);
        }

        var searchFrom = 0;
        var counted = 0;
        while (searchFrom < text.Length)
        {
            var hit = text[searchFrom..].IndexOfAny(_literals);
            if (hit < 0)
            {
                break;
            }

            hit += searchFrom;
            int lineStart;
            if (text[hit] == '\n')
            {
                lineStart = hit + 1; // the "\n#" literal: the directive line starts after the break
            }
            else
            {
                lineStart = text[..hit].LastIndexOf('\n') + 1;
            }

            var nl = text[lineStart..].IndexOf('\n');
            var lineEnd = nl < 0 ? text.Length : lineStart + nl;

            line += rest[counted..lineStart].Count((byte)'\n');
            counted = lineStart;
            if (lineStart < lineEnd)
            {
                handler(Decode(rest[lineStart..lineEnd]), line);
            }

            // Resume at the line break so a "\n#" directive on the next line is still found.
            searchFrom = Math.Max(lineEnd, hit + 1);
        }

        line += rest[counted..].Count((byte)'\n');
        return line - lineBase;
    }

    /// <summary>
    /// Walks every line: selected when it holds a literal, starts with '#', or passes the probe.
    /// Returns the number of '\n' in <paramref name="rest"/>.
    /// </summary>
    // Hot loops: optimise at first call instead of running instrumented tiers for the first seconds of a scan.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long ProbeLines(ReadOnlySpan<byte> rest, ReadOnlySpan<char> text, long line, LineHandler handler, LineProbe probe)
    {
        var first = line;
        var pos = 0;
        var nextHit = -1;
        while (pos < rest.Length)
        {
            var nl = rest[pos..].IndexOf((byte)'\n');
            var lineEnd = nl < 0 ? rest.Length : pos + nl;
            if (nextHit < pos && nextHit != int.MaxValue)
            {
                var hit = text[pos..].IndexOfAny(_literals);
                nextHit = hit < 0 ? int.MaxValue : pos + hit;
            }

            var current = rest[pos..lineEnd];
            if (current.Length > 0
                && (nextHit < lineEnd || current[0] == (byte)'#' || probe(current)))
            {
                handler(Decode(current), line);
            }

            if (nl < 0)
            {
                break;
            }

            pos = lineEnd + 1;
            line++;
        }

        return line - first;
    }

    private static string? LastLine(ReadOnlySpan<byte> block)
    {
        var end = block.Length;
        while (end > 0)
        {
            var trimmed = block[..end].TrimEnd("\r\n"u8);
            if (trimmed.Length == 0)
            {
                return null;
            }

            var startNl = trimmed.LastIndexOf((byte)'\n');
            var candidate = trimmed[(startNl + 1)..];
            if (candidate.Length > 0 && candidate[0] != (byte)'#')
            {
                return Decode(candidate);
            }

            end = startNl + 1;
            if (startNl < 0)
            {
                return null;
            }
        }

        return null;
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return Encoding.UTF8.GetString(line);
    }
}
