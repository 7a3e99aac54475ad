namespace Bulwark.Core.Intel.Taxii;

/// <summary>An API root's information: the TAXII versions it speaks and the largest request body it takes.</summary>
public sealed record TaxiiApiRoot(string Title, string? Description, IReadOnlyList<string> Versions, long MaxContentLength)
{
    /// <summary>The TAXII version the server answered in (from its media type).</summary>
    public TaxiiVersion Version { get; init; } = TaxiiVersion.Taxii21;
}
