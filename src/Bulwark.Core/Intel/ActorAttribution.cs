using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel;

/// <summary>
/// Who is behind a match, and how sure: the actor reached from the matched indicators through <c>indicates</c>
/// (and a campaign's <c>attributed-to</c>), with a confidence combined from the indicator's confidence, its age
/// at the time of the activity and the relationship's confidence. <see cref="Tlp"/> is the strictest marking of
/// everything used to reach it: where it may be shown is decided from it.
/// </summary>
/// <param name="ActorId">Stable actor id (<c>G0125</c>).</param>
/// <param name="ActorName">Display name (<c>HAFNIUM</c>).</param>
/// <param name="Country">ISO 3166-1 alpha-2 country the sources attribute the actor to, if any.</param>
/// <param name="Confidence">0–100.</param>
/// <param name="Tlp">Strictest TLP of the indicators, relationships and actor objects used.</param>
/// <param name="IndicatorIds">The matched indicators that lead to the actor.</param>
/// <param name="Sources">The intel sources involved.</param>
public sealed record ActorAttribution(
    string ActorId,
    string ActorName,
    string? Country,
    int Confidence,
    Tlp Tlp,
    IReadOnlyList<string> IndicatorIds,
    IReadOnlyList<string> Sources)
{
    /// <summary>Aliases of the actor, Microsoft's weather names included.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
