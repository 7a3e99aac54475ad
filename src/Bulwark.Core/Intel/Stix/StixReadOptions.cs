namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// Limits for reading STIX from untrusted sources: a bundle is streamed object by object, so memory stays bounded
/// by the largest object taken, not by the file; anything larger or deeper is reported and skipped.
/// </summary>
public sealed record StixReadOptions
{
    public static StixReadOptions Default { get; } = new();

    /// <summary>Largest single object read (its JSON text, in bytes); larger ones are reported and skipped. 16 MiB by default.</summary>
    public int MaxObjectBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Deepest nesting of arrays and objects inside one STIX object (the object itself is level 1). 64 by default.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Size of the first read buffer; it grows up to <see cref="MaxObjectBytes"/> when an object needs it.</summary>
    public int BufferBytes { get; init; } = 64 * 1024;
}
