using System.Formats.Tar;
using System.IO.Compression;

namespace Bulwark.Core.Sources.Archives;

/// <summary>One file inside an archive, streamed; valid only during the callback.</summary>
public sealed record ArchiveEntry(string Path, long? Length, DateTimeOffset? LastWriteTime, Stream Content);

/// <summary>
/// Streams the files of <c>.zip</c>, <c>.gz</c>, <c>.tar</c>, <c>.tar.gz</c> and <c>.tgz</c> archives without
/// extracting them to disk. Entries that climb out of the archive (<c>../</c>, absolute paths), links, and
/// entries that expand beyond <see cref="ArchiveLimits"/> are refused with a reason; the rest goes on.
/// </summary>
public static class ArchiveReader
{
    public static bool IsArchive(string path) =>
        path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    /// <param name="path">The archive's own path (relative to the scanned root); entries are named <c>path/entry</c>.</param>
    /// <param name="onEntry">Receives each accepted file entry.</param>
    /// <param name="onRefused">Receives a reason for each refused entry or a broken archive.</param>
    public static void Read(Stream stream, string path, ArchiveLimits limits, Action<ArchiveEntry> onEntry, Action<string> onRefused)
    {
        try
        {
            if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                ReadZip(stream, path, limits, onEntry, onRefused);
            }
            else if (path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            {
                ReadTar(stream, path, limits, onEntry, onRefused);
            }
            else
            {
                ReadGzip(stream, path, limits, onEntry, onRefused);
            }
        }
        catch (ArchiveRefusedException ex)
        {
            onRefused(ex.Message);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or IOException)
        {
            onRefused($"{path}: not a readable archive ({ex.Message})");
        }
    }

    /// <summary>Checks an entry name; null when acceptable, else why it is refused.</summary>
    public static string? RefuseName(string name)
    {
        if (name.Length == 0)
        {
            return "entry without a name";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "entry name contains a NUL character";
        }

        var n = name.Replace('\\', '/');
        if (n.StartsWith('/') || (n.Length >= 2 && n[1] == ':'))
        {
            return $"entry '{name}' has an absolute path";
        }

        if (n.Split('/').Any(s => s == ".."))
        {
            return $"entry '{name}' climbs out of the archive (../)";
        }

        return null;
    }

    private static void ReadZip(Stream stream, string path, ArchiveLimits limits, Action<ArchiveEntry> onEntry, Action<string> onRefused)
    {
        Stream seekable = stream;
        FileStream? spill = null;
        if (!stream.CanSeek)
        {
            // A zip nested in another archive: its central directory is at the end, so spool it to a
            // private temporary file (deleted on close) rather than into memory.
            spill = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            stream.CopyTo(spill);
            spill.Position = 0;
            seekable = spill;
        }

        try
        {
            using var zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries)
            {
                var name = $"{path}/{entry.FullName.Replace('\\', '/')}";
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
                {
                    continue; // directory
                }

                if (RefuseName(entry.FullName) is { } reason)
                {
                    onRefused($"{path}: {reason}; refused");
                    continue;
                }

                var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
                if (unixType == 0xA000)
                {
                    onRefused($"{name}: symbolic link entry refused");
                    continue;
                }

                if (entry.CompressedLength > 0 && entry.Length > limits.RatioGraceBytes && entry.Length / entry.CompressedLength > limits.MaxRatio)
                {
                    onRefused($"{name}: declared compression ratio {entry.Length / entry.CompressedLength}:1 exceeds {limits.MaxRatio}:1 (a decompression bomb?); refused");
                    continue;
                }

                try
                {
                    var compressed = entry.CompressedLength;
                    using var content = new GuardedStream(entry.Open(), () => compressed, limits, name);
                    onEntry(new ArchiveEntry(name, entry.Length, entry.LastWriteTime, content));
                }
                catch (ArchiveRefusedException ex)
                {
                    onRefused(ex.Message);
                }
                catch (InvalidDataException ex)
                {
                    onRefused($"{name}: corrupt entry ({ex.Message})");
                }
            }
        }
        finally
        {
            spill?.Dispose();
        }
    }

    private static void ReadGzip(Stream stream, string path, ArchiveLimits limits, Action<ArchiveEntry> onEntry, Action<string> onRefused)
    {
        // .NET's GZipStream ends quietly at a truncated member; the trailer's ISIZE (size mod 2^32) catches that.
        var expectedSize = TrailerSize(stream);
        var counter = new GuardedStream(stream, null, limits, path);
        using var gzip = new GZipStream(counter, CompressionMode.Decompress, leaveOpen: true);
        var inner = path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? path[..^4] + ".tar" : path[..^3];
        var output = new GuardedStream(gzip, () => counter.BytesRead, limits, inner);
        using var content = new PeekStream(output);
        var head = content.Peek(512);
        if (IsTar(head) || inner.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
        {
            ReadTar(content, inner, limits, onEntry, onRefused);
        }
        else
        {
            onEntry(new ArchiveEntry(inner, null, null, content));
        }

        content.CopyTo(Stream.Null);
        if (expectedSize is { } size && (uint)output.BytesRead != size)
        {
            onRefused($"{path}: truncated or corrupt gzip: trailer says {size} bytes, {output.BytesRead} decompressed; what was read is scanned");
        }
    }

    private static uint? TrailerSize(Stream stream)
    {
        if (!stream.CanSeek || stream.Length < 18)
        {
            return null;
        }

        var position = stream.Position;
        Span<byte> trailer = stackalloc byte[4];
        stream.Position = stream.Length - 4;
        stream.ReadExactly(trailer);
        stream.Position = position;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static void ReadTar(Stream stream, string path, ArchiveLimits limits, Action<ArchiveEntry> onEntry, Action<string> onRefused)
    {
        using var tar = new TarReader(stream, leaveOpen: true);
        while (tar.GetNextEntry(copyData: false) is { } entry)
        {
            var name = $"{path}/{entry.Name.Replace('\\', '/')}";
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    continue;
                case TarEntryType.SymbolicLink:
                case TarEntryType.HardLink:
                    onRefused($"{name}: link entry (to '{entry.LinkName}') refused");
                    continue;
                case TarEntryType.RegularFile:
                case TarEntryType.V7RegularFile:
                case TarEntryType.ContiguousFile:
                    break;
                default:
                    continue;
            }

            if (RefuseName(entry.Name) is { } reason)
            {
                onRefused($"{path}: {reason}; refused");
                continue;
            }

            if (entry.DataStream is null)
            {
                continue;
            }

            try
            {
                onEntry(new ArchiveEntry(name, entry.Length, entry.ModificationTime, entry.DataStream));
            }
            catch (ArchiveRefusedException ex)
            {
                onRefused(ex.Message);
            }
        }
    }

    private static bool IsTar(ReadOnlySpan<byte> head) =>
        head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8);
}
