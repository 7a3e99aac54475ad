using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Bulwark.Core.Intel.Taxii;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Bulwark.Server.Taxii;

/// <summary>
/// TAXII 2.1's HTTP rules that apply before any resource: content negotiation (406 unless the client accepts
/// <c>application/taxii+json;version=2.1</c>), the request media type (415), the body size (413), and reading
/// the body as UTF-8 JSON with a clear position for what is wrong (400).
/// </summary>
public static class TaxiiProtocol
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>Answers 406 unless the request accepts TAXII 2.1 (no Accept header counts as accepting anything).</summary>
    public static async ValueTask<object?> AcceptFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var accept = context.HttpContext.Request.Headers.Accept;
        if (accept.Count > 0 && !AcceptsTaxii21(accept))
        {
            return TaxiiResults.Error(
                StatusCodes.Status406NotAcceptable,
                "Not acceptable",
                $"this server answers only {TaxiiMediaTypes.Taxii21}; the request accepts '{accept}'");
        }

        return await next(context);
    }

    internal static bool AcceptsTaxii21(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        foreach (var type in types)
        {
            if (type.Quality is 0)
            {
                continue;
            }

            var mediaType = type.MediaType.Value;
            if (mediaType is "*/*" || string.Equals(mediaType, "application/*", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(mediaType, TaxiiMediaTypes.TaxiiJson, StringComparison.OrdinalIgnoreCase) && VersionIs21(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The request's Content-Type is TAXII 2.1 (a missing version parameter means the latest, 2.1).</summary>
    internal static bool ContentIsTaxii21(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && string.Equals(type.MediaType.Value, TaxiiMediaTypes.TaxiiJson, StringComparison.OrdinalIgnoreCase)
        && VersionIs21(type);

    /// <summary>
    /// Reads the body, at most <paramref name="maxBytes"/>: null and an error result when it is larger (413), not
    /// UTF-8 or not JSON (400).
    /// </summary>
    internal static async Task<(JsonDocument? Document, IResult? Error)> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return (null, TooLarge(declared, maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The server-wide limit must not cut a body the API root admits; this route enforces its own.
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } n and > 0 ? (int)n : 16 * 1024);
        var body = request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            int read;
            try
            {
                read = await body.ReadAsync(memory, ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, TooLarge(null, maxBytes));
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return (null, TooLarge(null, maxBytes));
            }
        }

        var bytes = buffer.WrittenMemory;
        if (bytes.IsEmpty)
        {
            return (null, TaxiiResults.BadRequest("the body is empty: post an envelope, a JSON object with an 'objects' list"));
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            return (null, TaxiiResults.BadRequest($"the body is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8(bytes.Span)})"));
        }

        try
        {
            return (JsonDocument.Parse(bytes, JsonOptions), null);
        }
        catch (JsonException e)
        {
            return (null, TaxiiResults.BadRequest($"the body is not valid JSON: {Describe(e)}"));
        }
    }

    internal static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        var what = (cut < 0 ? message : message[..cut]).TrimEnd();
        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? $"{what} (line {line + 1}, byte {position + 1})"
            : what;
    }

    private static IResult TooLarge(long? declared, long maxBytes) =>
        TaxiiResults.Error(
            StatusCodes.Status413PayloadTooLarge,
            "Request too large",
            declared is { } d
                ? $"the body is {d} bytes; this API root takes at most {maxBytes} (max_content_length)"
                : $"the body is larger than the {maxBytes} bytes this API root takes (max_content_length)");

    private static bool VersionIs21(MediaTypeHeaderValue type)
    {
        var version = type.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');
        return version is null || version == TaxiiMediaTypes.Version;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var index = 0;
        while (index < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[index..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }
}
