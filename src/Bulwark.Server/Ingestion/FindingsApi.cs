using System.Text;
using System.Text.Json;
using Bulwark.Data;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bulwark.Server.Ingestion;

/// <summary>Findings a member's own <c>bulwark scan --submit</c> found: the logs never leave the member's machine.</summary>
public static class FindingsApi
{
    public static readonly string[] JsonTypes = ["application/json", "text/json"];

    public static readonly string[] JsonLinesTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"];

    private static readonly JsonSerializerOptions Reading = new() { MaxDepth = 16 };

    public static RouteGroupBuilder MapFindingsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/findings", SubmitAsync).WithTags("Findings").RequireAuthorization(Policies.OrganisationIngest)
            .Accepts<JsonElement>("application/json", "application/x-ndjson")
            .WithSummary("Submit findings in the shape `bulwark scan --format json/jsonl` writes: a JSON array, or JSON Lines (application/x-ndjson). Each finding is checked; the answer counts accepted, duplicate (same id already stored) and rejected ones with the reason.");
        return api;
    }

    public sealed record Rejection(int Index, string Reason);

    public sealed record SubmissionResult(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);

    private static async Task<Results<Ok<SubmissionResult>, ProblemHttpResult>> SubmitAsync(
        HttpContext http, Caller caller, BulwarkDbContext db, FindingIntake intake, IOptions<IngestionOptions> options, TimeProvider time, CancellationToken ct)
    {
        var limits = options.Value;
        var (organisationId, refused) = await Ingesting.OrganisationAsync(caller, db, ct);
        if (refused is not null)
        {
            return refused;
        }

        var jsonLines = false;
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !((jsonLines = JsonLinesTypes.Contains(mediaType.MediaType.Value, StringComparer.OrdinalIgnoreCase)) || JsonTypes.Contains(mediaType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
            || (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type",
                detail: "send a JSON array of findings as application/json, or JSON Lines as application/x-ndjson, in UTF-8");
        }

        if (http.Request.ContentLength > limits.MaxSubmissionBytes)
        {
            return TooLarge(limits);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = limits.MaxSubmissionBytes;
        }

        var now = time.GetUtcNow();
        var records = new List<FindingRecord>();
        var rejected = new List<Rejection>();
        var index = 0;
        try
        {
            await using var body = new LimitedStream(http.Request.Body, limits.MaxSubmissionBytes);
            await foreach (var element in jsonLines ? ReadLinesAsync(body, ct) : JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, Reading, ct))
            {
                if (index == limits.MaxFindingsPerSubmission)
                {
                    return TooLarge(limits);
                }

                if (SubmittedFinding.Read(element, now, out var reason) is { } finding)
                {
                    records.Add(FindingRecords.From(finding, organisationId, FindingOrigin.Submitted, null, now));
                }
                else
                {
                    rejected.Add(new Rejection(index, reason!));
                }

                index++;
            }
        }
        catch (LimitedStream.TooLargeException)
        {
            return TooLarge(limits);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limits);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The body is not JSON findings",
                detail: jsonLines
                    ? $"JSON Lines: {ex.Message}"
                    : $"expected a JSON array of findings: {ex.Message}");
        }
        catch (DecoderFallbackException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not JSON findings", detail: "JSON Lines: the body is not valid UTF-8");
        }

        var stored = await intake.StoreAsync(organisationId, records, null, ct);
        return TypedResults.Ok(new SubmissionResult(stored.Accepted, stored.Duplicates, rejected));
    }

    /// <summary>One JSON value per non-blank line; a line that is not JSON fails the whole body (it is not JSON Lines).</summary>
    private static async IAsyncEnumerable<JsonElement> ReadLinesAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        var number = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = Reading.MaxDepth });
                element = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new JsonException($"line {number} is not JSON: {ex.Message}", ex);
            }

            yield return element;
        }
    }

    private static ProblemHttpResult TooLarge(IngestionOptions limits) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The submission is too large",
        detail: $"a submission holds at most {limits.MaxSubmissionBytes} bytes and {limits.MaxFindingsPerSubmission} findings (Ingestion:MaxSubmissionBytes, Ingestion:MaxFindingsPerSubmission); send several");

    /// <summary>Reads at most <c>max</c> bytes, then throws <see cref="TooLargeException"/> (the server's own limit may be higher or absent).</summary>
    private sealed class LimitedStream(Stream inner, long max) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            return _read > max ? throw new TooLargeException() : n;
        }

        public sealed class TooLargeException : Exception;
    }
}
