using System.ComponentModel.DataAnnotations;

namespace Bulwark.Server.Taxii;

/// <summary>Configuration section <c>Taxii</c>: the TAXII 2.1 server role (ADR 14).</summary>
public sealed class TaxiiOptions
{
    public const string Section = "Taxii";

    /// <summary>Discovery's and the API root's title.</summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string Title { get; set; } = "Bulwark TAXII";

    public string? Description { get; set; } = "Indicators and sightings shared by this Bulwark instance with its partners.";

    /// <summary>Who partners contact about this server (shown in discovery).</summary>
    public string? Contact { get; set; }

    /// <summary>
    /// The address partners reach the server at (e.g. <c>https://bulwark.example/</c>), for the URLs discovery
    /// advertises; without it they are built from the request, which behind a TLS-terminating proxy may say http.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>The API root's name: <c>/taxii2/{ApiRoot}/</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$", ErrorMessage = "Taxii:ApiRoot must be 1 to 63 lowercase letters, digits or hyphens")]
    public string ApiRoot { get; set; } = "bulwark";

    /// <summary>Largest "add objects" body in bytes (the API root's <c>max_content_length</c>; 413 above).</summary>
    [Range(1024, 1L << 30)]
    public long MaxContentLength { get; set; } = 10L << 20;

    /// <summary>Most objects in one "add objects" envelope (413 above).</summary>
    [Range(1, 100_000)]
    public int MaxObjectsPerRequest { get; set; } = 10_000;

    /// <summary>Largest page: a <c>limit</c> above it is lowered to it, and it is the default.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>
    /// Hours a status resource is kept after its request (least data: each lists the objects a partner posted);
    /// older ones are deleted and answer 404.
    /// </summary>
    [Range(1, 24 * 366)]
    public int StatusRetentionHours { get; set; } = 24;

    /// <summary>The API root's absolute URL, ending in a slash.</summary>
    public string ApiRootUrl(HttpRequest request)
    {
        var origin = PublicUrl is { } p ? p.GetLeftPart(UriPartial.Path).TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return $"{origin}/taxii2/{ApiRoot}/";
    }
}
