namespace Bulwark.Server.Taxii;

/// <summary>Which versions of each object <c>match[version]</c> selects (several are alternatives).</summary>
public sealed record TaxiiVersionMatch
{
    public static readonly TaxiiVersionMatch LastOnly = new() { Last = true };

    public static readonly TaxiiVersionMatch Every = new() { All = true };

    public bool Last { get; init; }

    public bool First { get; init; }

    public bool All { get; init; }

    public IReadOnlyList<DateTimeOffset> Exact { get; init; } = [];
}
