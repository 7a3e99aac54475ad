namespace Bulwark.Core.Intel.Taxii;

/// <summary>A collection as the server describes it to this client, with this client's permissions on it.</summary>
public sealed record TaxiiCollectionInfo(string Id, string Title, string? Description, string? Alias, bool CanRead, bool CanWrite, IReadOnlyList<string> MediaTypes);
