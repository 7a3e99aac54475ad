using Bulwark.Core.Intel.Model;

namespace Bulwark.Server.Intel;

/// <summary>What one poll of a TAXII or MISP-feed source did.</summary>
/// <param name="Succeeded">False when the source could not be read at all (the checkpoint was kept).</param>
/// <param name="Stored">STIX objects or MISP events stored: new, or newer versions of ones held.</param>
/// <param name="Removed">MISP events the feed no longer lists, removed.</param>
/// <param name="Error">Why the poll failed, when it did.</param>
/// <param name="Problems">What the source sent that could not be taken (the rest was).</param>
public sealed record PollOutcome(Guid SourceId, string Name, bool Succeeded, int Stored, int Removed, string? Checkpoint, string? Error, IReadOnlyList<IntelProblem> Problems)
{
    /// <summary>True when the poll brought content the intel set does not have yet.</summary>
    public bool NewContent => Stored > 0;

    /// <summary>True when the stored content changed (new, newer or removed).</summary>
    public bool Changed => Stored + Removed > 0;
}
