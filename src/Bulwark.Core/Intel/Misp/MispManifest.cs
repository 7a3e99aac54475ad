using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>A MISP feed's <c>manifest.json</c>: one entry per event, keyed by event uuid.</summary>
public sealed record MispManifest(IReadOnlyDictionary<string, MispManifestEntry> Events, IReadOnlyList<IntelProblem> Problems)
{
    public static readonly MispManifest Empty = new(new Dictionary<string, MispManifestEntry>(), []);
}
