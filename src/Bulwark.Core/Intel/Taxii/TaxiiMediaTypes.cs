namespace Bulwark.Core.Intel.Taxii;

/// <summary>The media types TAXII 2.1 speaks (intel.md §2): TAXII resources, and the STIX objects they carry.</summary>
public static class TaxiiMediaTypes
{
    public const string TaxiiJson = "application/taxii+json";

    public const string StixJson = "application/stix+json";

    public const string Version = "2.1";

    /// <summary><c>application/taxii+json;version=2.1</c>: every TAXII 2.1 request and response body.</summary>
    public const string Taxii21 = TaxiiJson + ";version=" + Version;

    /// <summary><c>application/stix+json;version=2.1</c>: the media type of the objects a collection holds.</summary>
    public const string Stix21 = StixJson + ";version=" + Version;
}
