namespace Bulwark.Core.Sources;

/// <summary>
/// What the scanner knows of a plain (non-log) file in the input tree when file detectors look at it.
/// The content is read once: its SHA-256 and its first <see cref="HeadLimit"/> bytes.
/// </summary>
public sealed class FileFacts
{
    public const int HeadLimit = 256 * 1024;

    public required string Path { get; init; }

    public required long Length { get; init; }

    public DateTimeOffset? LastWriteTime { get; init; }

    /// <summary>Lower-case hex SHA-256 of the whole file; null when no detector asked for content.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Lower-case hex MD5, computed only when a detector asked for legacy digests (intel with MD5 indicators).</summary>
    public string? Md5 { get; init; }

    /// <summary>Lower-case hex SHA-1, computed with <see cref="Md5"/>.</summary>
    public string? Sha1 { get; init; }

    /// <summary>The first bytes of the file (at most <see cref="HeadLimit"/>); empty when not read.</summary>
    public ReadOnlyMemory<byte> Head { get; init; }
}
