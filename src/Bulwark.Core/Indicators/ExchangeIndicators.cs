using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Core.Indicators;

/// <summary>
/// The public indicators of Exchange exploitation that Bulwark ships in <c>Data/exchange-indicators.json</c>
/// (each value with its source), indexed for the detectors. Loaded once; immutable; thread-safe.
/// </summary>
public sealed class ExchangeIndicators
{
    private static readonly Lazy<ExchangeIndicators> BuiltInValue = new(LoadBuiltIn);

    private ExchangeIndicators(IndicatorDocument doc)
    {
        Sources = doc.Sources.ToFrozenDictionary(StringComparer.Ordinal);
        IpAddresses = doc.IpAddresses.GroupBy(i => i.Value).ToFrozenDictionary(g => g.Key, g => g.First().Source, StringComparer.Ordinal);
        UserAgents = doc.UserAgents
            .GroupBy(u => NormalizeUserAgent(u.Value))
            .ToFrozenDictionary(g => g.Key, g => g.Select(u => new UserAgentIndicator(u.Value, u.Context, u.Source)).ToArray(), StringComparer.OrdinalIgnoreCase);
        WebShellNames = doc.WebShellNames.GroupBy(n => n.Value, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.First().Source, StringComparer.OrdinalIgnoreCase);
        WebShellPaths = doc.WebShellPaths.GroupBy(p => NormalizePath(p.Value), StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.First().Source, StringComparer.OrdinalIgnoreCase);
        Sha256 = doc.Sha256.GroupBy(h => h.Value.ToLowerInvariant())
            .ToFrozenDictionary(g => g.Key, g => new HashIndicator(g.Key, g.First().Name, g.First().Source), StringComparer.OrdinalIgnoreCase);
        GenuinePages = doc.GenuinePages.ToFrozenDictionary(
            kv => kv.Key,
            kv => kv.Value.ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The indicators compiled into Bulwark.</summary>
    public static ExchangeIndicators BuiltIn => BuiltInValue.Value;

    /// <summary>Source key → citation.</summary>
    public FrozenDictionary<string, string> Sources { get; }

    /// <summary>IP address → source key.</summary>
    public FrozenDictionary<string, string> IpAddresses { get; }

    /// <summary>User agent with '+' read as space (IIS encodes spaces as '+') → indicators.</summary>
    public FrozenDictionary<string, UserAgentIndicator[]> UserAgents { get; }

    /// <summary>Web-shell file name → source key (case-insensitive).</summary>
    public FrozenDictionary<string, string> WebShellNames { get; }

    /// <summary>Web-shell path with '/' separators, lower-case drive-relative (e.g. <c>inetpub/wwwroot/aspnet_client/shell.aspx</c>) → source key.</summary>
    public FrozenDictionary<string, string> WebShellPaths { get; }

    /// <summary>Lower-case SHA-256 → indicator.</summary>
    public FrozenDictionary<string, HashIndicator> Sha256 { get; }

    /// <summary>Web folder (<c>owa/auth</c>, <c>ecp/auth</c>, <c>oab</c>) → script pages genuine Exchange builds install directly in it.</summary>
    public FrozenDictionary<string, FrozenSet<string>> GenuinePages { get; }

    public string Cite(string sourceKey) => Sources.TryGetValue(sourceKey, out var c) ? c : sourceKey;

    /// <summary>Reads '+' as a space so IIS-encoded and raw user agents compare equal.</summary>
    public static string NormalizeUserAgent(string userAgent) => userAgent.Replace('+', ' ').Trim();

    /// <summary>Windows path → '/' separators, without the drive, e.g. <c>C:\inetpub\x.aspx</c> → <c>inetpub/x.aspx</c>.</summary>
    public static string NormalizePath(string path)
    {
        var p = path.Replace('\\', '/');
        if (p.Length >= 2 && p[1] == ':')
        {
            p = p[2..];
        }

        return p.TrimStart('/');
    }

    public static ExchangeIndicators Load(Stream json)
    {
        var doc = JsonSerializer.Deserialize(json, IndicatorJsonContext.Default.IndicatorDocument)
            ?? throw new InvalidDataException("indicator file is empty");
        return new ExchangeIndicators(doc);
    }

    private static ExchangeIndicators LoadBuiltIn()
    {
        using var stream = typeof(ExchangeIndicators).Assembly.GetManifestResourceStream("Bulwark.Core.Data.exchange-indicators.json")
            ?? throw new InvalidOperationException("built-in indicator resource missing");
        return Load(stream);
    }
}

public sealed record UserAgentIndicator(string Value, string Context, string Source);

public sealed record HashIndicator(string Sha256, string? Name, string Source);

internal sealed class IndicatorDocument
{
    public Dictionary<string, string> Sources { get; set; } = [];

    public List<SourcedValue> IpAddresses { get; set; } = [];

    public List<UserAgentEntry> UserAgents { get; set; } = [];

    public List<SourcedValue> WebShellNames { get; set; } = [];

    public List<SourcedValue> WebShellPaths { get; set; } = [];

    public List<HashEntry> Sha256 { get; set; } = [];

    public Dictionary<string, List<string>> GenuinePages { get; set; } = [];
}

internal sealed class SourcedValue
{
    public string Value { get; set; } = "";

    public string Source { get; set; } = "";
}

internal sealed class UserAgentEntry
{
    public string Value { get; set; } = "";

    public string Context { get; set; } = "";

    public string Source { get; set; } = "";
}

internal sealed class HashEntry
{
    public string Value { get; set; } = "";

    public string? Name { get; set; }

    public string Source { get; set; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(IndicatorDocument))]
internal sealed partial class IndicatorJsonContext : JsonSerializerContext;
