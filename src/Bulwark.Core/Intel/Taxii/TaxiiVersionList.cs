namespace Bulwark.Core.Intel.Taxii;

/// <summary>A page of one object's versions (its <c>modified</c> timestamps), oldest added first.</summary>
public sealed record TaxiiVersionList(bool More, string? Next, IReadOnlyList<string> Versions)
{
    public TaxiiCheckpoint? DateAddedFirst { get; init; }

    public TaxiiCheckpoint? DateAddedLast { get; init; }
}
