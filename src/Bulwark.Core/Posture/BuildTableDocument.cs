using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Core.Posture;

/// <summary>The shape of <c>Data/exchange-builds.json</c>; see its "about" and "notes".</summary>
internal sealed class BuildTableDocument
{
    public Dictionary<string, string> Sources { get; set; } = [];

    public List<SecurityUpdateEntry> SecurityUpdates { get; set; } = [];

    public List<ProductEntry> Products { get; set; } = [];
}

internal sealed class SecurityUpdateEntry
{
    public string Key { get; set; } = "";

    public string Title { get; set; } = "";

    public string Kb { get; set; } = "";

    public string? Campaign { get; set; }

    public List<string> Cves { get; set; } = [];

    /// <summary>Where a product got a different package or a different CVE set (Exchange 2010's RU32; Nov22SU's CVE-2022-41123).</summary>
    public Dictionary<ExchangeProduct, SecurityUpdateVariant> Products { get; set; } = [];

    public List<string> Sources { get; set; } = [];
}

internal sealed class SecurityUpdateVariant
{
    public string? Title { get; set; }

    public string? Kb { get; set; }

    public List<string>? Cves { get; set; }
}

internal sealed class ProductEntry
{
    public ExchangeProduct Product { get; set; }

    /// <summary>Completes "…, then {advice}." and starts a sentence when capitalised.</summary>
    public string UpgradeAdvice { get; set; } = "";

    public string Source { get; set; } = "";

    public List<CuEntry> Cus { get; set; } = [];
}

internal sealed class CuEntry
{
    public string? Cu { get; set; }

    public string Rtm { get; set; } = "";

    /// <summary>SU key → fixing build, or "included".</summary>
    public Dictionary<string, string> Updates { get; set; } = [];

    public LatestEntry? Latest { get; set; }
}

internal sealed class LatestEntry
{
    public string Update { get; set; } = "";

    public string Build { get; set; } = "";
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(BuildTableDocument))]
internal sealed partial class BuildTableJsonContext : JsonSerializerContext;
