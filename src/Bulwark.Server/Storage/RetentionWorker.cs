namespace Bulwark.Server.Storage;

/// <summary>
/// Runs one retention job (least data kept) at start and then every <paramref name="interval"/>; a failed run is
/// logged and tried again at the next one.
/// </summary>
public abstract partial class RetentionWorker(TimeProvider time, ILogger logger, TimeSpan interval) : BackgroundService
{
    /// <summary>What the job is, for the log ("evidence retention").</summary>
    protected abstract string Job { get; }

    /// <summary>Runs the job once; returns how many records it deleted or cleared.</summary>
    protected abstract Task<int> RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await RunOnceAsync(stoppingToken);
                if (count > 0)
                {
                    Removed(logger, Job, count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, Job, ex);
            }

            await Task.Delay(interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} deleted or cleared {Count} records")]
    private static partial void Removed(ILogger logger, string job, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; it runs again later")]
    private static partial void Failed(ILogger logger, string job, Exception exception);
}
