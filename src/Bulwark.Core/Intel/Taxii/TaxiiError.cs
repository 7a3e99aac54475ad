using System.Text.Json;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>A TAXII 2.1 error message body (title required; the rest optional).</summary>
public sealed record TaxiiError(string Title)
{
    public string? Description { get; init; }

    public string? ErrorId { get; init; }

    public string? ErrorCode { get; init; }

    /// <summary>The HTTP status as the server wrote it (a string in TAXII).</summary>
    public string? HttpStatus { get; init; }

    public string? ExternalDetails { get; init; }

    /// <summary>The <c>details</c> object, when present.</summary>
    public JsonElement? Details { get; init; }

    public override string ToString() => Description is { Length: > 0 } d ? $"{Title}: {d}" : Title;
}
