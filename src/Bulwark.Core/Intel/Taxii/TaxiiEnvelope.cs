using System.Text.Json;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// One page of objects: the objects (STIX JSON, for a STIX reader to take), whether <see cref="More"/> follow and
/// the token for them, and the <c>date_added</c> range of this page from the <c>X-TAXII-Date-Added-*</c> headers.
/// </summary>
public sealed record TaxiiEnvelope(bool More, string? Next, IReadOnlyList<JsonElement> Objects)
{
    public TaxiiCheckpoint? DateAddedFirst { get; init; }

    public TaxiiCheckpoint? DateAddedLast { get; init; }
}
