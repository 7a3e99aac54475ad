using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core.Intel.Taxii;

namespace Bulwark.Server.Taxii;

/// <summary>
/// TAXII responses: <c>application/taxii+json;version=2.1</c> bodies written straight to the response (stored
/// objects go out as the JSON they were stored as, without a re-parse), and TAXII error messages (title,
/// description, http_status) in place of ASP.NET problem details on every TAXII route.
/// </summary>
public static class TaxiiResults
{
    public const string DateAddedFirst = "X-TAXII-Date-Added-First";

    public const string DateAddedLast = "X-TAXII-Date-Added-Last";

    /// <summary>
    /// Plain JSON escaping (no <c>\u002B</c> for the <c>+</c> in media types): these bodies are served as
    /// <c>application/taxii+json</c> with <c>nosniff</c>, never as HTML.
    /// </summary>
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK, (DateTimeOffset First, DateTimeOffset Last)? dateAdded = null) =>
        new TaxiiJsonResult(status, write, dateAdded);

    public static IResult Error(int status, string title, string? description) =>
        new TaxiiJsonResult(status, w => WriteError(w, status, title, description), null);

    public static IResult NotFound(string description) => Error(StatusCodes.Status404NotFound, "Not found", description);

    public static IResult BadRequest(string description) => Error(StatusCodes.Status400BadRequest, "Bad request", description);

    public static IResult Forbidden(string description) => Error(StatusCodes.Status403Forbidden, "Forbidden", description);

    public static Task WriteErrorAsync(HttpContext http, int status, string title, string? description) =>
        Error(status, title, description).ExecuteAsync(http);

    /// <summary>A <c>date_added</c> as TAXII timestamps carry it here: always six fraction digits.</summary>
    public static string DateAdded(DateTimeOffset value) => TaxiiTime.Format(value, 6);

    private static void WriteError(Utf8JsonWriter w, int status, string title, string? description)
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        if (description is not null)
        {
            w.WriteString("description", description);
        }

        w.WriteString("http_status", status.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    private sealed class TaxiiJsonResult(int status, Action<Utf8JsonWriter> write, (DateTimeOffset First, DateTimeOffset Last)? dateAdded) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = TaxiiMediaTypes.Taxii21;
            if (dateAdded is { } range)
            {
                response.Headers[DateAddedFirst] = DateAdded(range.First);
                response.Headers[DateAddedLast] = DateAdded(range.Last);
            }

            await using (var writer = new Utf8JsonWriter(response.BodyWriter, Writer))
            {
                write(writer);
            }

            await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        }
    }
}
