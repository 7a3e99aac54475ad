using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;

namespace Bulwark.Core.Intel.Starter;

/// <summary>
/// Intelligence shipped with Bulwark, so a fresh install already knows the best-documented Exchange campaign: the
/// ProxyLogon/HAFNIUM indicators of CISA AA21-062A and Microsoft's published list, written as STIX 2.1 bundles
/// with their sources cited (see README.md beside them). They are embedded in Bulwark.Core and read through
/// <see cref="StixReader"/> like any other bundle.
/// </summary>
public static class StarterIntel
{
    /// <summary>The intel source id of everything shipped with Bulwark.</summary>
    public const string SourceId = "bulwark-starter";

    private const string Prefix = "Bulwark.Core.Intel.Starter.";

    /// <summary>The source the starter bundles are read as: public material, so TLP:CLEAR where unmarked.</summary>
    public static IntelSource Source { get; } = new(SourceId, IntelFormat.StixBundle)
    {
        Title = "Bulwark starter intelligence (CISA AA21-062A, Microsoft MSTIC)",
        Location = "embedded:" + Prefix + "*.json",
        DefaultTlp = Tlp.Clear,
        DefaultConfidence = 50,
    };

    /// <summary>Names of the embedded bundles (<c>proxylogon-hafnium.stix.json</c>), in order.</summary>
    public static IReadOnlyList<string> Bundles { get; } = [.. typeof(StarterIntel).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .Order(StringComparer.Ordinal)];

    /// <summary>Opens one embedded bundle by name.</summary>
    public static Stream Open(string bundle) =>
        typeof(StarterIntel).Assembly.GetManifestResourceStream(Prefix + bundle)
        ?? throw new ArgumentException($"no starter bundle named '{bundle}'", nameof(bundle));

    /// <summary>Reads every starter bundle into <paramref name="catalog"/>.</summary>
    public static StixReadResult Load(IntelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var reader = new StixReader(Source, catalog);
        var result = new StixReadResult(new Dictionary<string, int>(), new Dictionary<string, int>(), 0, Complete: true);
        foreach (var bundle in Bundles)
        {
            using var stream = Open(bundle);
            result = result.Plus(reader.Read(stream, "starter:" + bundle));
        }

        return result;
    }
}
