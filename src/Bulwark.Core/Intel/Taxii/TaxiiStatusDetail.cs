namespace Bulwark.Core.Intel.Taxii;

/// <summary>What happened to one posted object: its id and version, and the server's message (why it failed).</summary>
public sealed record TaxiiStatusDetail(string Id, string Version, string? Message);
