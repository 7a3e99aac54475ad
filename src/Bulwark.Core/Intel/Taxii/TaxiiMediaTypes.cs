namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// The media types TAXII 2.1 speaks (intel.md §2): TAXII resources, and the STIX objects they carry; and those of
/// TAXII 2.0, which the client also reads.
/// </summary>
public static class TaxiiMediaTypes
{
    public const string TaxiiJson = "application/taxii+json";

    public const string StixJson = "application/stix+json";

    public const string Version = "2.1";

    /// <summary><c>application/taxii+json;version=2.1</c>: every TAXII 2.1 request and response body.</summary>
    public const string Taxii21 = TaxiiJson + ";version=" + Version;

    /// <summary><c>application/stix+json;version=2.1</c>: the media type of the objects a collection holds.</summary>
    public const string Stix21 = StixJson + ";version=" + Version;

    /// <summary>TAXII 2.0's resource media type (without the version parameter).</summary>
    public const string Taxii20Json = "application/vnd.oasis.taxii+json";

    /// <summary>TAXII 2.0's media type for STIX bundles (without the version parameter).</summary>
    public const string Stix20Json = "application/vnd.oasis.stix+json";

    /// <summary><c>application/vnd.oasis.taxii+json; version=2.0</c>: TAXII 2.0 resources (discovery, collections, status, manifest).</summary>
    public const string Taxii20 = Taxii20Json + "; version=2.0";

    /// <summary><c>application/vnd.oasis.stix+json; version=2.0</c>: the bundles TAXII 2.0 objects come and go in.</summary>
    public const string Stix20 = Stix20Json + "; version=2.0";
}
