namespace Bulwark.Data.Intel;

/// <summary>What one stored piece of an intel source's content is.</summary>
public enum IntelContentKind
{
    /// <summary>An uploaded file, kept as uploaded.</summary>
    File,

    /// <summary>One STIX object from a TAXII collection (its latest version).</summary>
    StixObject,

    /// <summary>One MISP event of a feed (its latest version).</summary>
    MispEvent,
}
