namespace Bulwark.Core.Intel.Misp;

/// <summary>What the manifest says of one event; <see cref="Timestamp"/> (seconds since 1970) changes whenever the event does.</summary>
public sealed record MispManifestEntry(string Uuid, long Timestamp)
{
    public string? Info { get; init; }

    public DateTimeOffset? Date { get; init; }

    /// <summary>The creating organisation's name (<c>Orgc.name</c>).</summary>
    public string? Organisation { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public int? ThreatLevel { get; init; }
}
