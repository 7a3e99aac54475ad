namespace Bulwark.Core.Intel.Taxii;

/// <summary>A server's discovery resource (<c>/taxii2/</c>): what it is and where its API roots are (absolute URLs).</summary>
public sealed record TaxiiDiscovery(string Title, string? Description, string? Contact, Uri? Default, IReadOnlyList<Uri> ApiRoots)
{
    /// <summary>The TAXII version the server answered in (from its media type).</summary>
    public TaxiiVersion Version { get; init; } = TaxiiVersion.Taxii21;
}
