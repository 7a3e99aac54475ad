namespace Bulwark.Data.Intel;

/// <summary>How an intel source's content arrives.</summary>
public enum IntelSourceKind
{
    /// <summary>Files an operator uploads (STIX, MISP event/galaxy/warninglist JSON, plain lists).</summary>
    Upload,

    /// <summary>A TAXII 2.1 collection, polled on a schedule.</summary>
    Taxii,

    /// <summary>A MISP feed (<c>manifest.json</c> and one file per event) under a base URL, polled on a schedule.</summary>
    MispFeed,
}
