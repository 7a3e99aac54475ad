namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// What one feed sync did. Persist <see cref="Checkpoint"/> and pass it to the next sync: an event whose file was
/// missing or unreadable keeps its old timestamp there (or none), so it is tried again.
/// </summary>
public sealed record MispFeedSync
{
    public MispManifest Manifest { get; init; } = MispManifest.Empty;

    /// <summary>Events new since the checkpoint or with a newer timestamp: the ones fetched.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>Events in the checkpoint that the manifest no longer lists.</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Changed events whose file could not be fetched or held no readable event.</summary>
    public IReadOnlyList<string> Failed { get; init; } = [];

    /// <summary>Event uuid → manifest timestamp (seconds since 1970) of the version now read.</summary>
    public IReadOnlyDictionary<string, long> Checkpoint { get; init; } = new Dictionary<string, long>();

    /// <summary>Everything read from the manifest and the events, with every problem.</summary>
    public MispReadResult Result { get; init; } = MispReadResult.Empty;
}
