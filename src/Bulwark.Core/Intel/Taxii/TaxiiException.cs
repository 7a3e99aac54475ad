using System.Net;

namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// A TAXII exchange that failed: the server refused (with its status and, when it sent one, its TAXII error
/// message), or answered with something that is not TAXII 2.1 (wrong media type, bad JSON, missing fields). The
/// message names the request and what was wrong.
/// </summary>
public sealed class TaxiiException : Exception
{
    public TaxiiException(string message, HttpStatusCode? statusCode = null, TaxiiError? error = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Error = error;
    }

    public TaxiiException()
    {
    }

    public TaxiiException(string message)
        : base(message)
    {
    }

    public TaxiiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status of a refusal; null when the server's answer could not be used.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's TAXII error message, when it sent one.</summary>
    public TaxiiError? Error { get; }
}
