using System.Text;
using Bulwark.Data;
using Bulwark.Server.Access;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bulwark.Server.Portal.Pages.Org.Sources;

/// <summary>
/// The upload form's target. The file streams from the multipart body straight into upload storage, as the API's
/// raw body does (<see cref="UploadsApi.StoreAsync"/>: same limit, same queue), never whole in memory. Anti-forgery
/// is checked here, by hand, from the form's first field, before a byte of the file is taken in: the automatic
/// check would read (buffer) the whole form first.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class UploadModel(
    BulwarkDbContext db,
    Caller caller,
    UploadFiles files,
    UploadSignal signal,
    IAntiforgery antiforgery,
    IOptions<StorageOptions> storage,
    IOptions<AntiforgeryOptions> antiforgeryOptions,
    TimeProvider time,
    ILogger<UploadModel> logger,
    IStringLocalizer<Text.OrgText> t) : PageModel
{
    public const string FileField = "File";

    /// <summary>Room for the multipart framing and the token around the file itself.</summary>
    private const long FramingAllowance = 64 * 1024;

    private const int MaxTokenLength = 4096;

    public string? Error { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Org/Sources/Index");

    /// <summary>No parameters on purpose: binding any would make MVC read (buffer) the whole form before this runs.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var max = storage.Value.MaxUploadBytes;
        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            return Refuse(StatusCodes.Status400BadRequest, t["Send the file with the upload form."]);
        }

        if (Request.ContentLength > max + FramingAllowance)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, t["The file is too large: uploads are limited to {0}. Split the logs into several archives.", OrgData.Size(max)]);
        }

        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + FramingAllowance;
        }

        var (organisationId, refused) = await Ingesting.OrganisationAsync(caller, db, ct);
        if (refused is not null)
        {
            return Refuse(StatusCodes.Status409Conflict, t["Only admitted members can upload logs."]);
        }

        var reader = new MultipartReader(boundary, Request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        var tokenChecked = false;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
                {
                    return Refuse(StatusCodes.Status400BadRequest, t["Send the file with the upload form."]);
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (!tokenChecked)
                {
                    // The form puts the token first: nothing else is read before it is checked.
                    if (name != antiforgeryOptions.Value.FormFieldName || disposition.IsFileDisposition()
                        || await ReadSmallAsync(section.Body, MaxTokenLength, ct) is not { } token
                        || !await ValidAsync(token))
                    {
                        return Refuse(StatusCodes.Status400BadRequest, t["The form had expired. Reload the page and upload again."]);
                    }

                    tokenChecked = true;
                    continue;
                }

                if (name != FileField || !disposition.IsFileDisposition())
                {
                    await section.Body.CopyToAsync(Stream.Null, ct);
                    continue;
                }

                var clientName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                if (string.IsNullOrWhiteSpace(clientName))
                {
                    return Refuse(StatusCodes.Status400BadRequest, t["Choose a file to upload."]);
                }

                if (UploadFiles.Sanitise(clientName) is not { } fileName)
                {
                    return Refuse(StatusCodes.Status400BadRequest, t["The file's name is not usable. Rename it, for example logs.zip, and upload it again."]);
                }

                var receipt = await UploadsApi.StoreAsync(
                    HttpContext, new CutOffGuard(section.Body), organisationId, fileName, null, db, files, signal, max, time, logger, ct);
                return receipt.Refusal switch
                {
                    UploadsApi.UploadRefusal.TooLarge => Refuse(StatusCodes.Status413PayloadTooLarge, t["The file is too large: uploads are limited to {0}. Split the logs into several archives.", OrgData.Size(max)]),
                    UploadsApi.UploadRefusal.NotStored => Refuse(StatusCodes.Status507InsufficientStorage, t["The server could not store the file, and nothing was kept. Try again later."]),
                    _ => Received(receipt.Id, fileName),
                };
            }
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, t["The file is too large: uploads are limited to {0}. Split the logs into several archives.", OrgData.Size(max)]);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && !HttpContext.RequestAborted.IsCancellationRequested))
        {
            // A malformed or cut-off multipart body (the client's side): nothing of it was kept.
            return Refuse(StatusCodes.Status400BadRequest, t["The upload was cut off or malformed, and nothing was kept. Upload the file again."]);
        }

        return Refuse(StatusCodes.Status400BadRequest, tokenChecked ? t["Choose a file to upload."] : t["The form had expired. Reload the page and upload again."]);
    }

    private IActionResult Received(Guid id, string fileName)
    {
        TempData["Status"] = t["{0} is received and queued for scanning. This page shows its progress; reload it to follow.", fileName].Value;
        return Redirect($"/org/sources/uploads/{id}");
    }

    private PageResult Refuse(int status, string error)
    {
        Response.StatusCode = status;
        Error = error;
        return Page();
    }

    /// <summary>Checks the token as the automatic filter would, handing it over in the header so the form is not read.</summary>
    private async Task<bool> ValidAsync(string token)
    {
        if (antiforgeryOptions.Value.HeaderName is not { } header)
        {
            return false;
        }

        Request.Headers[header] = token;
        try
        {
            await antiforgery.ValidateRequestAsync(HttpContext);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>A small text section (the token), or null past <paramref name="max"/> characters.</summary>
    private static async Task<string?> ReadSmallAsync(Stream body, int max, CancellationToken ct)
    {
        var buffer = new byte[max + 1];
        var total = 0;
        int n;
        while (total <= max && (n = await body.ReadAsync(buffer.AsMemory(total, buffer.Length - total), ct)) > 0)
        {
            total += n;
        }

        return total > max ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>
    /// Turns a cut-off or malformed multipart body (an <see cref="IOException"/> from the reader) into
    /// <see cref="InvalidDataException"/>, so it is told apart from a disk that cannot take the file.
    /// </summary>
    private sealed class CutOffGuard(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException e) when (e is not BadHttpRequestException)
            {
                throw new InvalidDataException("the multipart body is cut off or malformed", e);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
