using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Model;

/// <summary>
/// One indicator: a STIX <c>indicator</c>, a MISP attribute with <c>to_ids</c> (or a MISP object describing one
/// observable), or a value of a plain list.
/// <see cref="Values"/> are the exact values the IOC index holds for it (each with
/// <see cref="IocIndicator.Reference"/> = <see cref="Id"/>). When the pattern is more than an OR of equalities
/// (<see cref="Pattern"/> set and <see cref="Complex"/> true), the values are only the pre-filter: a hit on one
/// of them makes the pattern be evaluated on the event; a pattern with no indexable value cannot match.
/// </summary>
/// <param name="Id">STIX id, or <c>misp-attribute--&lt;uuid&gt;</c> / <c>misp-object--&lt;uuid&gt;</c>, or <c>list--&lt;source&gt;:&lt;line&gt;</c>.</param>
/// <param name="Source">The intel source it came from (<see cref="IntelSource.Id"/>).</param>
public sealed record IntelIndicator(string Id, string Source)
{
    public string? Name { get; init; }

    /// <summary>STIX <c>pattern_type</c>: <c>stix</c>, or <c>yara</c>, <c>sigma</c>… (kept, not matched).</summary>
    public string PatternType { get; init; } = "stix";

    /// <summary>The pattern as written (STIX), or <c>type:value</c> for MISP and list values.</summary>
    public string? PatternText { get; init; }

    /// <summary>The parsed STIX pattern, when <see cref="PatternType"/> is <c>stix</c> and it parsed.</summary>
    public Pattern? Pattern { get; init; }

    /// <summary>True when a hit on <see cref="Values"/> is not enough: the pattern must be evaluated.</summary>
    public bool Complex { get; init; }

    public IReadOnlyList<IocIndicator> Values { get; init; } = [];

    /// <summary>STIX <c>indicator_types</c>, MISP category/type, list name.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    public Tlp Tlp { get; init; } = Tlp.Amber;

    /// <summary>Confidence 0–100 (STIX <c>confidence</c>; source default when absent).</summary>
    public int Confidence { get; init; } = 50;

    public DateTimeOffset? ValidFrom { get; init; }

    /// <summary>Exclusive end of validity.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Modified { get; init; }

    public bool Revoked { get; init; }

    public string? Description { get; init; }
}
