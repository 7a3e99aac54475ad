namespace Bulwark.Server.Taxii;

/// <summary>A posted object that passed validation, ready to store.</summary>
/// <param name="Version">Its <c>modified</c> or <c>created</c> (microseconds); null for objects with neither (they take their <c>date_added</c>).</param>
/// <param name="VersionText">The version as the object wrote it, for the status resource.</param>
public sealed record TaxiiCandidate(int Index, string Id, string Type, string SpecVersion, DateTimeOffset? Version, string VersionText, string Json);
