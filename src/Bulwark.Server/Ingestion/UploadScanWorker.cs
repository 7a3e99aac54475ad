using System.Text;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Indicators;
using Bulwark.Core.Scanning;
using Bulwark.Core.Sources.Archives;
using Bulwark.Data;
using Bulwark.Data.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Scans queued uploads with Core's scanner, one at a time: stores the findings (and their incidents), deletes
/// the bytes, records the outcome. Crash-safe: on start, uploads left in Scanning are queued again (storing is
/// idempotent), and upload folders whose outcome is already recorded are deleted.
/// </summary>
public sealed partial class UploadScanWorker(
    IServiceScopeFactory scopes,
    UploadFiles files,
    UploadSignal signal,
    IOptions<IngestionOptions> options,
    BulwarkMetrics metrics,
    Intel.CurrentIntel intel,
    TimeProvider time,
    ILogger<UploadScanWorker> logger) : BackgroundService
{
    /// <summary>Folders without an upload row are an upload still arriving, or one whose row never committed.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromHours(6);

    public const int MaxReasonLength = 2000;

    /// <summary>The reason a re-queued upload carries until it is scanned again.</summary>
    public const string Interrupted = "queued again: the server stopped while scanning it";

    public const string InterruptedTwice = "not scanned: the server stopped twice while scanning it";

    public static string NotRecognised(string fileName) =>
        ArchiveReader.IsArchive(fileName)
            ? $"{fileName} holds no log Bulwark recognises: expected Exchange HttpProxy, ECP server or OAB generator logs or IIS W3C logs (recognised by their folders or first lines)"
            : $"{fileName} is not a log or archive Bulwark recognises: expected an Exchange HttpProxy, ECP server or OAB generator log, an IIS W3C log (recognised by name, folder or first lines), or a .zip, .gz, .tar, .tar.gz or .tgz archive of them";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            LogDisabled(logger);
            return;
        }

        await UntilDoneAsync(RecoverAsync, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var scanned = false;
            await UntilDoneAsync(async ct => scanned = await ScanNextAsync(ct), stoppingToken);
            if (!scanned)
            {
                await signal.WaitAsync(options.Value.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/>, retrying after a pause when the database or disk fails.</summary>
    private async Task UntilDoneAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await work(ct);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or IOException or InvalidOperationException or System.Data.Common.DbException)
            {
                LogRetry(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Re-queues uploads a stopped process left in Scanning, and removes bytes whose outcome is recorded.</summary>
    internal async Task RecoverAsync(CancellationToken ct)
    {
        await using var scope = WorkerTenant.CreateInstanceWideScope(scopes);
        var db = scope.ServiceProvider.GetRequiredService<BulwarkDbContext>();
        // An upload whose scan stopped the process twice is not tried a third time (a poison upload would otherwise
        // stop every restart); the Reason column remembers the first interruption.
        var given = await db.Uploads
            .Where(u => u.Status == UploadStatus.Scanning && u.Reason == Interrupted)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Failed).SetProperty(u => u.Reason, InterruptedTwice).SetProperty(u => u.CompletedAt, time.GetUtcNow()), ct);
        var requeued = await db.Uploads
            .Where(u => u.Status == UploadStatus.Scanning)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Queued).SetProperty(u => u.StartedAt, (DateTimeOffset?)null).SetProperty(u => u.Reason, Interrupted), ct);
        metrics.UploadsFailedUnscanned(given);
        if (requeued + given > 0)
        {
            LogRequeued(logger, requeued, given);
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (id, lastWrite) in files.List().ToList())
        {
            var status = await db.Uploads.Where(u => u.Id == id).Select(u => (UploadStatus?)u.Status).FirstOrDefaultAsync(ct);
            if (status is UploadStatus.Done or UploadStatus.Failed || (status is null && now - lastWrite > OrphanAge))
            {
                files.Delete(id);
            }
        }
    }

    /// <summary>Claims and scans the oldest queued upload; false when there was none.</summary>
    internal async Task<bool> ScanNextAsync(CancellationToken ct)
    {
        await using var scope = WorkerTenant.CreateInstanceWideScope(scopes);
        var db = scope.ServiceProvider.GetRequiredService<BulwarkDbContext>();
        var next = await db.Uploads.Where(u => u.Status == UploadStatus.Queued)
            .OrderBy(u => u.ReceivedAt).ThenBy(u => u.Id)
            .Select(u => (Guid?)u.Id)
            .FirstOrDefaultAsync(ct);
        if (next is not { } id)
        {
            return false;
        }

        // Claim it: the conditional update lets only one worker (of several instances) take an upload.
        var claimed = await db.Uploads
            .Where(u => u.Id == id && u.Status == UploadStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Scanning).SetProperty(u => u.StartedAt, time.GetUtcNow()), ct);
        if (claimed == 0)
        {
            return true;
        }

        var started = time.GetTimestamp();
        var upload = await db.Uploads.AsNoTracking().FirstAsync(u => u.Id == id, ct);
        var path = files.PathOf(id, upload.FileName);
        if (!File.Exists(path))
        {
            await FailAsync(db, id, "the uploaded file is missing from the data directory (removed before it was scanned)", started, ct);
            return true;
        }

        LogScanning(logger, id, upload.Size);
        // The intel set current when the scan starts; a rebuild meanwhile does not change it under the scan.
        var intelSet = (await intel.GetAsync(ct)).Set;
        ScanResult result;
        try
        {
            result = await Task.Run(() => CreateScanner(intelSet).Scan(path, null, ct), ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await FailAsync(db, id, $"{upload.FileName} could not be read: {ex.Message}", started, ct);
            files.Delete(id);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: hand the upload back to the queue now rather than as an interruption at the next start.
            await db.Uploads.Where(u => u.Id == id && u.Status == UploadStatus.Scanning)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Queued).SetProperty(u => u.StartedAt, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogScanCrashed(logger, ex, id);
            await FailAsync(db, id, "the scanner failed on this upload (an error in Bulwark, logged on the server); it was not scanned", started, ct);
            files.Delete(id);
            return true;
        }

        if (result.Statistics.LogFiles == 0 && result.Findings.Count == 0)
        {
            var reason = result.Errors.Count > 0 ? $"{upload.FileName} could not be read: {Summarise(result.Errors)}" : NotRecognised(upload.FileName);
            await FailAsync(db, id, reason, started, ct);
        }
        else
        {
            var now = time.GetUtcNow();
            var records = result.Findings.Select(f => FindingRecords.From(f, upload.OrganisationId, FindingOrigin.Upload, id, now)).ToList();
            var intake = scope.ServiceProvider.GetRequiredService<FindingIntake>();
            var reason = result.Errors.Count > 0 ? Summarise(result.Errors) : null;
            await intake.StoreAsync(
                upload.OrganisationId,
                records,
                async token =>
                {
                    var row = await db.Uploads.FirstAsync(u => u.Id == id, token);
                    row.Status = UploadStatus.Done;
                    row.Reason = reason;
                    row.Findings = records.Count;
                    row.CompletedAt = time.GetUtcNow();
                },
                ct);
            metrics.UploadScanned(done: true, time.GetElapsedTime(started));
            LogScanned(logger, id, records.Count, result.Errors.Count);
        }

        // Least data: the bytes go once the outcome is committed (a crash in between is cleaned up by RecoverAsync).
        files.Delete(id);
        return true;
    }

    private async Task FailAsync(BulwarkDbContext db, Guid id, string reason, long started, CancellationToken ct)
    {
        var row = await db.Uploads.FirstAsync(u => u.Id == id, ct);
        row.Status = UploadStatus.Failed;
        row.Reason = Truncate(reason);
        row.Findings = 0;
        row.CompletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        metrics.UploadScanned(done: false, time.GetElapsedTime(started));
        LogFailed(logger, id, row.Reason);
    }

    /// <summary>"N read errors: first; second; third; …", within <see cref="MaxReasonLength"/>.</summary>
    public static string Summarise(IReadOnlyList<ScanError> errors)
    {
        var text = new StringBuilder();
        text.Append(errors.Count == 1 ? "1 read error: " : $"{errors.Count} read errors: ");
        // Archive errors already name the archive: "x.zip: x.zip: not a readable archive" reads badly.
        text.AppendJoin("; ", errors.Take(5).Select(e => e.Line == 0 && e.Message.StartsWith(e.File + ":", StringComparison.Ordinal) ? e.Message : e.ToString()));
        if (errors.Count > 5)
        {
            text.Append("; …");
        }

        return Truncate(text.ToString());
    }

    private static string Truncate(string text) => text.Length <= MaxReasonLength ? text : text[..(MaxReasonLength - 1)] + "…";

    private static Scanner CreateScanner(Core.Intel.IntelSet intel)
    {
        var indicators = ExchangeIndicators.BuiltIn;
        return new Scanner(new ScanOptions
        {
            Threads = 1,
            Intel = intel.Index.Count > 0 ? intel : null,
            ConfirmPattern = new Core.Intel.Matching.PatternConfirmer().Confirm,
            LogDetectors = ExchangeLogDetectors.CreateDefault(indicators),
            FileDetectors = FileDetectors.CreateDefault(indicators),
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload scan worker disabled (Ingestion:WorkerEnabled is false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload scan worker: storage or database failed; retrying in 5 s")]
    private static partial void LogRetry(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uploads left in Scanning by a stopped process: {Requeued} queued again, {GivenUp} failed (interrupted twice)")]
    private static partial void LogRequeued(ILogger logger, int requeued, int givenUp);

    [LoggerMessage(Level = LogLevel.Error, Message = "The scanner failed on upload {UploadId}")]
    private static partial void LogScanCrashed(ILogger logger, Exception exception, Guid uploadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanning upload {UploadId} ({Size} bytes)")]
    private static partial void LogScanning(ILogger logger, Guid uploadId, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanned upload {UploadId}: {Findings} findings, {Errors} read errors")]
    private static partial void LogScanned(ILogger logger, Guid uploadId, int findings, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid uploadId, string reason);
}
