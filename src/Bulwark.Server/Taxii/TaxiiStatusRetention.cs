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
public sealed partial class TaxiiStatusRetentionWorker(TaxiiStatusRetention retention, TimeProvider time, ILogger<TaxiiStatusRetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await retention.RunOnceAsync(stoppingToken);
                if (deleted > 0)
                {
                    Deleted(logger, deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, ex);
            }

            await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TAXII status retention deleted {Count} status resources")]
    private static partial void Deleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TAXII status retention failed; it runs again later")]
    private static partial void Failed(ILogger logger, Exception exception);
}
