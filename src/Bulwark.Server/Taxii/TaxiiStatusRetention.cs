using Bulwark.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Taxii;

/// <summary>
/// Least data kept: a status resource is what a partner needs to learn how its post went, minutes after it; once
/// its request is older than <see cref="TaxiiOptions.StatusRetentionHours"/> it is deleted (the objects stay).
/// </summary>
public sealed class TaxiiStatusRetention(TenantDatabase databases, IOptions<TaxiiOptions> options, TimeProvider time)
{
    /// <summary>Deletes expired status resources; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddHours(-options.Value.StatusRetentionHours);
        await using var db = databases.OpenInstanceWide();
        return await db.TaxiiStatuses.Where(s => s.RequestTimestamp < cutoff).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Runs <see cref="TaxiiStatusRetention"/> at start and then every hour.</summary>
public sealed class TaxiiStatusRetentionWorker(TaxiiStatusRetention retention, TimeProvider time, ILogger<TaxiiStatusRetentionWorker> logger)
    : RetentionWorker(time, logger, TimeSpan.FromHours(1))
{
    protected override string Job => "TAXII status retention (status resources)";

    protected override Task<int> RunOnceAsync(CancellationToken ct) => retention.RunOnceAsync(ct);
}
