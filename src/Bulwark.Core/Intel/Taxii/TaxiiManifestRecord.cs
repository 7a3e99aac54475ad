namespace Bulwark.Core.Intel.Taxii;

/// <summary>One object version in a collection's manifest: what is there without fetching it.</summary>
public sealed record TaxiiManifestRecord(string Id, TaxiiCheckpoint DateAdded, string Version, string? MediaType);
