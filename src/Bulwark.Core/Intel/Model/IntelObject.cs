using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Model;

/// <summary>
/// A named intelligence object other than an indicator: an intrusion set, threat actor, campaign, malware,
/// tool, attack pattern, identity or report (STIX), or a MISP galaxy cluster mapped onto the nearest STIX type.
/// Only what matching, attribution and listing need is kept; the source file stays the record of the rest.
/// </summary>
/// <param name="Id">Stable id: the STIX id (<c>intrusion-set--…</c>), or for a MISP galaxy cluster
/// <c>misp-galaxy:&lt;galaxy type&gt;--&lt;cluster uuid&gt;</c>.</param>
/// <param name="Type">The STIX type (<c>intrusion-set</c>, <c>threat-actor</c>, <c>campaign</c>, <c>malware</c>,
/// <c>tool</c>, <c>attack-pattern</c>, <c>identity</c>, <c>report</c>, <c>observed-data</c>, <c>sighting</c>).</param>
/// <param name="Name">Its name as the source writes it.</param>
/// <param name="Source">The intel source it came from (<see cref="IntelSource.Id"/>).</param>
public sealed record IntelObject(string Id, string Type, string Name, string Source)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Description { get; init; }

    /// <summary>Identifiers in other naming systems: <c>("mitre-attack", "G0125")</c>, <c>("misp-galaxy", uuid)</c>.</summary>
    public IReadOnlyList<ExternalId> ExternalIds { get; init; } = [];

    /// <summary>ISO 3166-1 alpha-2 country the source attributes it to (MISP <c>meta.country</c>), if any.</summary>
    public string? Country { get; init; }

    /// <summary>The source's confidence in the country attribution, 0–100 (MISP <c>meta.attribution-confidence</c>).</summary>
    public int? AttributionConfidence { get; init; }

    /// <summary>STIX <c>threat_actor_types</c> / <c>malware_types</c> and similar labels.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    public bool Revoked { get; init; }

    /// <summary>ATT&amp;CK <c>x_mitre_deprecated</c>: kept for references, hidden from listings.</summary>
    public bool Deprecated { get; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Modified { get; init; }

    /// <summary>STIX <c>confidence</c> 0–100, when given.</summary>
    public int? Confidence { get; init; }

    public Tlp Tlp { get; init; } = Tlp.Amber;

    /// <summary>Ids of objects a report or observed-data refers to (<c>object_refs</c>).</summary>
    public IReadOnlyList<string> ObjectRefs { get; init; } = [];
}

/// <summary>An identifier of an object in another naming system.</summary>
public sealed record ExternalId(string System, string Value)
{
    public const string MitreAttack = "mitre-attack";
    public const string MispGalaxy = "misp-galaxy";

    public override string ToString() => $"{System}:{Value}";
}
