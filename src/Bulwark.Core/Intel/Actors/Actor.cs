namespace Bulwark.Core.Intel.Actors;

/// <summary>
/// One threat actor as Bulwark knows it: every intrusion set, threat actor and galaxy cluster that the sources say
/// are the same group, merged on stable ids (ATT&amp;CK ids, <c>revoked-by</c>, <c>attributed-to</c>) and on
/// unambiguous names.
/// </summary>
/// <param name="Id">Stable key: the ATT&amp;CK id (<c>G0125</c>) when the group has one, else the lowest member object id.</param>
/// <param name="Name">Display name: ATT&amp;CK's name when known, else the first source's.</param>
/// <param name="Aliases">Every other name the sources give, Microsoft's weather names included, sorted.</param>
/// <param name="Country">ISO 3166-1 alpha-2 country the sources attribute it to, if any.</param>
/// <param name="CountryConfidence">The sources' confidence in that country, 0–100 (100 when a source states it without a figure).</param>
/// <param name="ObjectIds">The catalog objects merged into this actor (STIX ids and galaxy cluster ids), sorted.</param>
public sealed record Actor(
    string Id,
    string Name,
    IReadOnlyList<string> Aliases,
    string? Country,
    int? CountryConfidence,
    IReadOnlyList<string> ObjectIds)
{
    /// <summary>ATT&amp;CK group ids of the merged objects (more than one only when ATT&amp;CK revoked one into another).</summary>
    public IReadOnlyList<string> AttackIds { get; init; } = [];

    /// <summary>Names that other actors share too (e.g. <c>Thrip</c>): they do not resolve to this actor alone.</summary>
    public IReadOnlyList<string> SharedAliases { get; init; } = [];

    /// <summary>The intel sources that describe it.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}
