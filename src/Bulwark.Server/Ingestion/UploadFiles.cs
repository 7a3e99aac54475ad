using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Server.Storage;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// The uploaded bytes on disk: <c>&lt;UploadDirectory&gt;/&lt;upload id&gt;/&lt;file name&gt;</c>, so the scanner sees the
/// client's file name (it recognises formats by name and extension). Written once, fsynced, deleted after the scan.
/// </summary>
public sealed class UploadFiles(IOptions<StorageOptions> storage)
{
    public const int MaxNameLength = 200;

    private static readonly SearchValues<char> Forbidden = SearchValues.Create("<>:\"|?*");

    private string Root => storage.Value.UploadDirectory;

    public string DirectoryOf(Guid id) => Path.Combine(Root, id.ToString("N"));

    public string PathOf(Guid id, string fileName) => Path.Combine(DirectoryOf(id), fileName);

    /// <summary>
    /// Turns the client's <c>?name=</c> into a safe file name: its last path segment, without control or reserved
    /// characters, runs of dots collapsed (no <c>..</c>), at most <see cref="MaxNameLength"/> characters (keeping
    /// the extension). Null when nothing usable is left.
    /// </summary>
    public static string? Sanitise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "upload";
        }

        var last = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var clean = new StringBuilder(last.Length);
        foreach (var c in last)
        {
            if (char.IsControl(c) || Forbidden.Contains(c) || char.IsSurrogate(c) || (c == '.' && clean.Length > 0 && clean[^1] == '.'))
            {
                continue;
            }

            clean.Append(c);
        }

        var result = clean.ToString().Trim().Trim('.').Trim();
        if (result.Length == 0)
        {
            return null;
        }

        if (result.Length > MaxNameLength)
        {
            var extension = Path.GetExtension(result);
            extension = extension.Length > 16 ? "" : extension;
            result = result[..(MaxNameLength - extension.Length)] + extension;
        }

        return result;
    }

    /// <summary>
    /// Streams <paramref name="body"/> to the upload's file, hashing as it goes, and flushes file and directory to
    /// disk. Throws <see cref="UploadTooLargeException"/> past <paramref name="maxBytes"/>; on any failure nothing
    /// is left behind.
    /// </summary>
    public async Task<(long Size, string Sha256)> ReceiveAsync(Guid id, string fileName, Stream body, long maxBytes, CancellationToken ct)
    {
        var directory = DirectoryOf(id);
        Directory.CreateDirectory(directory);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            long total = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(PathOf(id, fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int n;
                while ((n = await body.ReadAsync(buffer.AsMemory(), ct)) > 0)
                {
                    total += n;
                    if (total > maxBytes)
                    {
                        throw new UploadTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }

                file.Flush(flushToDisk: true);
            }

            // The file's own fsync does not make its new directory entries durable; sync the directories too.
            SyncDirectory(directory);
            SyncDirectory(Root);
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            Delete(id);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Removes the upload's bytes (least data); missing is fine.</summary>
    public void Delete(Guid id)
    {
        try
        {
            Directory.Delete(DirectoryOf(id), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Upload directories on disk: their upload id and when a file in them was last written.</summary>
    public IEnumerable<(Guid Id, DateTime LastWriteUtc)> List()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var directory in new DirectoryInfo(Root).EnumerateDirectories())
        {
            if (Guid.TryParseExact(directory.Name, "N", out var id))
            {
                var files = directory.EnumerateFiles().Select(f => f.LastWriteTimeUtc).DefaultIfEmpty(directory.LastWriteTimeUtc);
                yield return (id, files.Max());
            }
        }
    }

    private static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return; // NTFS journals directory entries itself.
        }

        var fd = Native.open(path, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Native.fsync(fd) != 0)
            {
                throw new IOException($"cannot flush {path} to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        public static extern int close(int fd);
    }
}

/// <summary>The upload went past <c>Storage:MaxUploadBytes</c>.</summary>
public sealed class UploadTooLargeException(long maxBytes) : Exception($"uploads are limited to {maxBytes} bytes (Storage:MaxUploadBytes)")
{
    public long MaxBytes { get; } = maxBytes;
}
