using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Model;

/// <summary>
/// A directed link between two objects: STIX <c>relationship</c> (<c>indicates</c>, <c>attributed-to</c>,
/// <c>uses</c>, <c>revoked-by</c>…), a STIX sighting's <c>sighting_of_ref</c>, or a MISP galaxy cluster's
/// <c>related</c> entry / an event's galaxy tag (as <c>indicates</c> from the attribute to the cluster).
/// </summary>
/// <param name="Id">The relationship's own id when it has one (STIX), else a stable derived id.</param>
public sealed record IntelRelationship(string Id, string SourceRef, string Type, string TargetRef, string Source)
{
    public const string Indicates = "indicates";
    public const string AttributedTo = "attributed-to";
    public const string Uses = "uses";
    public const string RevokedBy = "revoked-by";
    public const string SimilarTo = "similar-to";

    public int? Confidence { get; init; }

    public Tlp Tlp { get; init; } = Tlp.Amber;

    public bool Revoked { get; init; }

    public DateTimeOffset? Modified { get; init; }
}
