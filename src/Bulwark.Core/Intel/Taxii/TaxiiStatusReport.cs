namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// The status resource of an "add objects" request: <c>complete</c> or <c>pending</c>, counts, and per object
/// the successes, failures (with the server's reason) and pendings.
/// </summary>
public sealed record TaxiiStatusReport(string Id, string Status, int TotalCount, int SuccessCount, int FailureCount, int PendingCount)
{
    public TaxiiCheckpoint? RequestTimestamp { get; init; }

    public IReadOnlyList<TaxiiStatusDetail> Successes { get; init; } = [];

    public IReadOnlyList<TaxiiStatusDetail> Failures { get; init; } = [];

    public IReadOnlyList<TaxiiStatusDetail> Pendings { get; init; } = [];

    public bool IsComplete => Status == "complete";
}
