using System.Text.Json;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// One page of a <see cref="TaxiiClient.ReadAllAsync"/> poll: its objects, and the checkpoint to store once they
/// are taken (the latest <c>date_added</c> seen so far; unchanged when the page was empty).
/// </summary>
public sealed record TaxiiPage(IReadOnlyList<JsonElement> Objects, TaxiiCheckpoint? Checkpoint, bool IsLast);
