namespace Bulwark.Core.Intel.Misp;

/// <summary>The ids MISP content gets in the catalog, in one place so every reader derives the same id.</summary>
internal static class MispIds
{
    public static string Indicator(string attributeUuid) => $"misp-attribute--{attributeUuid}";

    /// <summary>The one indicator of a MISP object whose attributes describe one observable (a file, a URL, an e-mail).</summary>
    public static string ObjectIndicator(string objectUuid) => $"misp-object--{objectUuid}";

    /// <summary>An event is a STIX report; misp-stix gives it the event's uuid too.</summary>
    public static string Report(string eventUuid) => $"report--{eventUuid}";

    public static string Cluster(string galaxyType, string clusterUuid) => $"misp-galaxy:{galaxyType}--{clusterUuid}";

    /// <summary>A cluster known only from a tag (no uuid in the event, none read from a galaxy): the tag itself.</summary>
    public static string ClusterTag(string galaxyType, string value) => $"misp-galaxy:{galaxyType}=\"{value}\"";

    /// <summary>A cluster named by uuid alone (a galaxy's <c>related</c> entry into a galaxy not read).</summary>
    public static string UnresolvedCluster(string clusterUuid) => $"misp-galaxy--{clusterUuid}";

    public static string Relationship(string sourceRef, string type, string targetRef) => $"misp-relationship:{sourceRef}|{type}|{targetRef}";

    /// <summary>The cluster uuid at the end of a <c>misp-galaxy:…--uuid</c> id, or null.</summary>
    public static string? ClusterUuid(string id)
    {
        if (!id.StartsWith("misp-galaxy", StringComparison.Ordinal))
        {
            return null;
        }

        var at = id.LastIndexOf("--", StringComparison.Ordinal);
        return at > 0 && Guid.TryParse(id.AsSpan(at + 2), out _) ? id[(at + 2)..] : null;
    }

    /// <summary>True for a MISP uuid (RFC 4122 text, 36 characters with hyphens).</summary>
    public static bool IsUuid(string text) => text.Length == 36 && Guid.TryParseExact(text, "D", out _);
}
