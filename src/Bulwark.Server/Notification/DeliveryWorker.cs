using Microsoft.Extensions.Options;

namespace Bulwark.Server.Notification;

/// <summary>Runs <see cref="DeliveryDispatcher"/> passes: straight on while batches are full, else every poll interval.</summary>
public sealed partial class DeliveryWorker(
    DeliveryDispatcher dispatcher,
    IOptions<NotificationOptions> options,
    IOptions<SmtpOptions> smtp,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RunWorker)
        {
            LogDisabled(logger);
            return;
        }

        if (!smtp.Value.Enabled)
        {
            LogNoSmtp(logger);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var found = 0;
            try
            {
                found = await dispatcher.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The exception's message can carry row values (addresses): log its type only.
                LogPassFailed(logger, e.GetType().FullName ?? e.GetType().Name);
            }

            if (found >= settings.BatchSize)
            {
                continue;
            }

            try
            {
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The delivery worker is off here (Notifications:RunWorker is false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Smtp:Host is not configured: email deliveries wait in the outbox until it is")]
    private static partial void LogNoSmtp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A delivery pass failed ({ExceptionType}); retrying after the poll interval")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
