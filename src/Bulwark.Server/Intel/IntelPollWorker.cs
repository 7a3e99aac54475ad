using Bulwark.Data;
using Bulwark.Data.Intel;
using Bulwark.Server.Audit;
using Bulwark.Server.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Intel;

/// <summary>
/// Builds the intel set at start, then every <see cref="IntelOptions.CheckInterval"/>: polls the enabled TAXII and
/// MISP-feed sources whose poll interval has passed (one instance claims each poll), rebuilds and retro-hunts after
/// new content, and rebuilds when another instance changed the sources.
/// </summary>
public sealed partial class IntelPollWorker(
    IServiceScopeFactory scopes, CurrentIntel current, IOptions<IntelOptions> options, TimeProvider time, ILogger<IntelPollWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The first round builds the set (there is none yet); later ones pick up other instances' changes.
                await current.RebuildIfChangedAsync(stoppingToken);
                if (options.Value.PollerEnabled)
                {
                    await PollDueAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or IOException or InvalidOperationException or System.Data.Common.DbException)
            {
                LogRetry(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Polls every enabled source that is due now; returns how many were polled.</summary>
    internal async Task<int> PollDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<IntelSourceRecord> due;
        await using (var scope = WorkerTenant.CreateInstanceWideScope(scopes))
        {
            var db = scope.ServiceProvider.GetRequiredService<BulwarkDbContext>();
            var polled = await db.IntelSources.AsNoTracking()
                .Where(s => s.Enabled && (s.Kind == IntelSourceKind.Taxii || s.Kind == IntelSourceKind.MispFeed))
                .ToListAsync(ct);
            due = [.. polled.Where(s => s.LastPolledAt is not { } last || last + TimeSpan.FromMinutes(s.PollMinutes) <= now).OrderBy(s => s.LastPolledAt ?? DateTimeOffset.MinValue).ThenBy(s => s.Name, StringComparer.Ordinal)];
        }

        var count = 0;
        foreach (var source in due)
        {
            await using var scope = WorkerTenant.CreateInstanceWideScope(scopes);
            var db = scope.ServiceProvider.GetRequiredService<BulwarkDbContext>();
            // Claim it: of several instances, the one whose update matches the time it read polls.
            var seen = source.LastPolledAt;
            var claimed = await db.IntelSources
                .Where(s => s.Id == source.Id && s.LastPolledAt == seen)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastPolledAt, now), ct);
            if (claimed == 0)
            {
                continue;
            }

            var outcome = await scope.ServiceProvider.GetRequiredService<IntelPoller>().PollAsync(source, ct);
            await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendAsync(
                null, "system", outcome.Succeeded ? "intel.source.poll" : "intel.source.poll-failed", PollTarget(outcome), null, ct);
            if (outcome.Changed)
            {
                await scope.ServiceProvider.GetRequiredService<IntelRefresher>().RefreshAsync(outcome.NewContent, ct);
            }

            count++;
        }

        return count;
    }

    /// <summary>The audit target of a poll: the source and what it did, never its URL or credentials.</summary>
    public static string PollTarget(PollOutcome outcome) =>
        outcome.Succeeded ? $"intel-source/{outcome.SourceId} stored {outcome.Stored} removed {outcome.Removed}" : $"intel-source/{outcome.SourceId}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intel poller: the database failed; trying again at the next check")]
    private static partial void LogRetry(ILogger logger, Exception exception);
}
