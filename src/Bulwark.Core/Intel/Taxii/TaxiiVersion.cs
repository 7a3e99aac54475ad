namespace Bulwark.Core.Intel.Taxii;

/// <summary>The TAXII version an API root speaks, as its responses' media types tell.</summary>
public enum TaxiiVersion
{
    /// <summary>TAXII 2.1: <c>application/taxii+json;version=2.1</c>, envelopes, <c>limit</c>/<c>next</c> paging.</summary>
    Taxii21,

    /// <summary>
    /// TAXII 2.0: <c>application/vnd.oasis.taxii+json; version=2.0</c> resources, objects as STIX 2.0 bundles
    /// (<c>application/vnd.oasis.stix+json; version=2.0</c>), <c>Range: items a-b</c> / <c>Content-Range</c> paging, no
    /// versions resource and no deletion.
    /// </summary>
    Taxii20,
}
