namespace Bulwark.Data.Intel;

/// <summary>
/// One piece of a source's content as received (an uploaded file, a STIX object of a TAXII collection, a MISP event),
/// so the intel set is rebuilt after a restart without fetching anything again. (<see cref="SourceId"/>,
/// <see cref="Kind"/>, <see cref="Name"/>) is unique: a newer version replaces the one held.
/// </summary>
public sealed class IntelContent
{
    public long Id { get; set; }

    public Guid SourceId { get; set; }

    public IntelContentKind Kind { get; set; }

    /// <summary>The file name, the STIX id, or the MISP event uuid.</summary>
    public required string Name { get; set; }

    /// <summary>The version held: the STIX <c>modified</c> (else <c>created</c>), the MISP manifest timestamp, or the upload's SHA-256.</summary>
    public required string Version { get; set; }

    /// <summary>The bytes as received (UTF-8 JSON or text).</summary>
    public required byte[] Data { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
