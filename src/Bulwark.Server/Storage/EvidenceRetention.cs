using Bulwark.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Storage;

/// <summary>
/// Least data kept: once a finding is older than <see cref="StorageOptions.EvidenceRetentionDays"/>, its
/// evidence (log lines' fields, file paths) is dropped; the finding's summary, counts and times stay so incidents
/// and notices still read correctly.
/// </summary>
public sealed class EvidenceRetention(TenantDatabase databases, IOptions<StorageOptions> options, TimeProvider time)
{
    public const string Cleared = "[]";

    /// <summary>Clears expired evidence; returns how many findings were cleared.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var days = options.Value.EvidenceRetentionDays;
        if (days == 0)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().AddDays(-days);
        await using var db = databases.OpenInstanceWide();
        return await db.Findings
            .Where(f => f.ReceivedAt < cutoff && f.EvidenceJson != Cleared)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.EvidenceJson, Cleared), ct);
    }
}

/// <summary>Runs <see cref="EvidenceRetention"/> at start and then every six hours.</summary>
public sealed partial class EvidenceRetentionWorker(EvidenceRetention retention, TimeProvider time, ILogger<EvidenceRetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cleared = await retention.RunOnceAsync(stoppingToken);
                if (cleared > 0)
                {
                    Cleared(logger, cleared);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, ex);
            }

            await Task.Delay(TimeSpan.FromHours(6), time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence retention cleared the evidence of {Count} findings")]
    private static partial void Cleared(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence retention failed; it runs again later")]
    private static partial void Failed(ILogger logger, Exception exception);
}
