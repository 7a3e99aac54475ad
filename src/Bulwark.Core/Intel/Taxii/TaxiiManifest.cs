namespace Bulwark.Core.Intel.Taxii;

/// <summary>A page of a collection's manifest.</summary>
public sealed record TaxiiManifest(bool More, string? Next, IReadOnlyList<TaxiiManifestRecord> Objects)
{
    public TaxiiCheckpoint? DateAddedFirst { get; init; }

    public TaxiiCheckpoint? DateAddedLast { get; init; }
}
