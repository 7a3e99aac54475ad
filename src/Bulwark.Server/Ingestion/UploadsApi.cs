using Bulwark.Data;
using Bulwark.Data.Access;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Ingestion;

/// <summary>Log and archive uploads: accepted to disk, scanned by <see cref="UploadScanWorker"/>.</summary>
public static class UploadsApi
{
    /// <summary>An organisation's ingest or admin key (its own uploads, by the tenant filter), or staff.</summary>
    private static readonly AuthorizationPolicy Readers = new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName)
        .RequireAuthenticatedUser()
        .RequireClaim(ApiKeyAuthentication.ScopeClaim, Enum.GetNames<ApiKeyScope>())
        .Build();

    public static RouteGroupBuilder MapUploadsApi(this RouteGroupBuilder api)
    {
        var uploads = api.MapGroup("/uploads").WithTags("Uploads");
        uploads.MapPost("/", UploadAsync).RequireAuthorization(Policies.OrganisationIngest)
            .Accepts<Stream>("application/octet-stream", "application/zip", "application/gzip", "application/x-gzip", "application/x-tar", "text/plain")
            .WithSummary("Upload one log file or a .zip/.gz/.tar/.tar.gz/.tgz archive as the raw request body; ?name= gives its file name (formats are recognised by name). Scanned in the background; the bytes are deleted after the scan.");
        uploads.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Readers)
            .WithSummary("An upload's status (Queued, Scanning, Done, Failed), reason, size, SHA-256 and findings count.");
        return api;
    }

    public sealed record UploadAccepted(Guid Id, UploadStatus Status);

    public sealed record UploadView(
        Guid Id,
        string FileName,
        UploadStatus Status,
        string? Reason,
        long Size,
        string Sha256,
        int Findings,
        DateTimeOffset ReceivedAt,
        DateTimeOffset? StartedAt,
        DateTimeOffset? CompletedAt);

    private static async Task<Results<Accepted<UploadAccepted>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpContext http,
        string? name,
        BulwarkDbContext db,
        Caller caller,
        UploadFiles files,
        UploadSignal signal,
        IOptions<StorageOptions> storage,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var max = storage.Value.MaxUploadBytes;
        var (organisationId, refused) = await Ingesting.OrganisationAsync(caller, db, ct);
        if (refused is not null)
        {
            return refused;
        }

        if (UploadFiles.Sanitise(name) is not { } fileName)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = ["a file name is required, e.g. u_ex210303.log or logs.zip (the format is recognised by it)"],
            });
        }

        if (http.Request.ContentLength > max)
        {
            return TooLarge(max);
        }

        // The server's own limit (Kestrel: 30 MB by default) becomes the configured one, for this request only.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        var receipt = await StoreAsync(http, http.Request.Body, organisationId, fileName, caller.KeyId, db, files, signal, max, time, loggers.CreateLogger(typeof(UploadsApi)), ct);
        switch (receipt.Refusal)
        {
            case UploadRefusal.TooLarge:
                return TooLarge(max);
            case UploadRefusal.NotStored:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status507InsufficientStorage,
                    title: "The upload could not be stored",
                    detail: "the server could not write the upload to its data directory; nothing was kept, try again later");
        }

        var id = receipt.Id;
        return TypedResults.Accepted($"/api/v1/uploads/{id}", new UploadAccepted(id, UploadStatus.Queued));
    }

    /// <summary>Why <see cref="StoreAsync"/> kept nothing.</summary>
    public enum UploadRefusal
    {
        None,

        /// <summary>Past <c>Storage:MaxUploadBytes</c>.</summary>
        TooLarge,

        /// <summary>The data directory could not take it (logged; the client is told without the server's paths).</summary>
        NotStored,
    }

    public sealed record UploadReceipt(Guid Id, UploadRefusal Refusal);

    /// <summary>
    /// Streams <paramref name="body"/> into upload storage and queues it for the scan worker: the one way in for the
    /// API (raw body) and the portal (a multipart section), so both share the size limit, the file's fsync and the
    /// queue. At most <paramref name="max"/> bytes; on any refusal nothing is kept.
    /// </summary>
    public static async Task<UploadReceipt> StoreAsync(
        HttpContext http, Stream body, Guid organisationId, string fileName, Guid? apiKeyId, BulwarkDbContext db, UploadFiles files,
        UploadSignal signal, long max, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        long size;
        string sha256;
        try
        {
            (size, sha256) = await files.ReceiveAsync(id, fileName, body, max, ct);
        }
        catch (UploadTooLargeException)
        {
            return new UploadReceipt(id, UploadRefusal.TooLarge);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new UploadReceipt(id, UploadRefusal.TooLarge);
        }
        catch (IOException ex) when (!http.RequestAborted.IsCancellationRequested && ex is not BadHttpRequestException)
        {
            // The disk, not the client: say so without the server's paths.
            logger.LogError(ex, "Could not store upload {UploadId}", id);
            return new UploadReceipt(id, UploadRefusal.NotStored);
        }

        db.Uploads.Add(new Upload
        {
            Id = id,
            OrganisationId = organisationId,
            FileName = fileName,
            Size = size,
            Sha256 = sha256,
            Status = UploadStatus.Queued,
            ReceivedAt = now,
            ApiKeyId = apiKeyId,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            files.Delete(id);
            throw;
        }

        signal.Notify();
        return new UploadReceipt(id, UploadRefusal.None);
    }

    private static async Task<Results<Ok<UploadView>, NotFound>> GetAsync(Guid id, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (upload is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordStaffReadAsync("upload.read", $"upload/{id}", upload.OrganisationId, ct);
        return TypedResults.Ok(new UploadView(
            upload.Id, upload.FileName, upload.Status, upload.Reason, upload.Size, upload.Sha256, upload.Findings,
            upload.ReceivedAt, upload.StartedAt, upload.CompletedAt));
    }

    private static ProblemHttpResult TooLarge(long max) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The upload is too large",
        detail: $"uploads are limited to {max} bytes (Storage:MaxUploadBytes); split the logs into several archives");
}
