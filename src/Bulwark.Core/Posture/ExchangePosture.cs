using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Posture;

/// <summary>
/// Tells which tracked Exchange security updates a build lacks and what to install, from the build table in
/// <c>Data/exchange-builds.json</c>. Loaded once; immutable; thread-safe.
/// </summary>
public sealed partial class ExchangePosture
{
    private const string Included = "included";

    private static readonly Lazy<ExchangePosture> BuiltInValue = new(LoadBuiltIn);

    // "CVE-2021-9999" sorts before "CVE-2021-10000": by year, then by number as an integer.
    private static readonly Comparer<string> CveOrder = Comparer<string>.Create((a, b) =>
    {
        var year = string.CompareOrdinal(a, 0, b, 0, 8);
        return year != 0 ? year : a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    });

    private readonly FrozenDictionary<ExchangeProduct, ProductTable> _products;
    private readonly FrozenSet<ExchangeBuild> _knownBuilds;
    private readonly ExchangeBuild _newestBuild;

    private ExchangePosture(BuildTableDocument doc)
    {
        var updates = new Dictionary<string, SecurityUpdateEntry>(StringComparer.Ordinal);
        foreach (var update in doc.SecurityUpdates)
        {
            Require(updates.TryAdd(update.Key, update), $"security update '{update.Key}' is listed twice");
            foreach (var cve in update.Cves.Concat(update.Products.Values.SelectMany(v => v.Cves ?? [])))
            {
                Require(CveId().IsMatch(cve), $"{update.Key}: '{cve}' is not a CVE id");
            }
        }

        var products = new Dictionary<ExchangeProduct, ProductTable>();
        foreach (var entry in doc.Products)
        {
            Require(entry.Product != ExchangeProduct.Unknown, "a product must be named");
            Require(products.TryAdd(entry.Product, ProductTable.Create(entry, doc.SecurityUpdates, updates)), $"{entry.Product} is listed twice");
        }

        _products = products.ToFrozenDictionary();
        _knownBuilds = _products.Values.SelectMany(p => p.KnownBuilds).ToFrozenSet();
        _newestBuild = _products.Values.Max(p => p.Newest);
    }

    /// <summary>The build table compiled into Bulwark.</summary>
    public static ExchangePosture BuiltIn => BuiltInValue.Value;

    /// <exception cref="InvalidDataException">The table is empty or inconsistent.</exception>
    public static ExchangePosture Load(Stream json)
    {
        var doc = JsonSerializer.Deserialize(json, BuildTableJsonContext.Default.BuildTableDocument)
            ?? throw new InvalidDataException("build table is empty");
        Require(doc.Products.Count > 0, "build table lists no product");
        return new ExchangePosture(doc);
    }

    /// <summary>Runs HealthChecker's comparison (Test-ExchangeBuildGreaterOrEqualThanSecurityPatch) for every tracked update.</summary>
    public PostureReport Assess(ExchangeBuild build)
    {
        var known = _knownBuilds.Contains(build);
        if (!_products.TryGetValue(build.Product, out var table) || build > table.Newest)
        {
            // A build past the table may be a CU the table has never heard of: name none.
            var action = build > (table?.Newest ?? _newestBuild)
                ? $"Build {build} is newer than every build in Bulwark's table: check Microsoft's current security guidance for {build.ProductName ?? "this Exchange version"}."
                : $"Build {build} is not an Exchange Server version Bulwark's table covers: check Microsoft's current security guidance.";
            return new PostureReport(build, build.Product, build.ProductName, null, known, [], [], null, action);
        }

        var cu = table.FindCu(build);
        var missing = new List<MissingSecurityUpdate>();
        foreach (var update in table.Updates)
        {
            if (IsMissing(build, table, cu, update.Key, out var fixedBuild))
            {
                missing.Add(new MissingSecurityUpdate(update.Key, update.Title, update.Kb, update.Campaign, update.Cves, fixedBuild));
            }
        }

        var cves = missing.SelectMany(m => m.Cves).Distinct(StringComparer.Ordinal).Order(CveOrder).ToArray();
        var report = new PostureReport(build, build.Product, build.ProductName, cu?.Name, known, missing, cves, cu?.Latest, "");
        return report with { Action = PostureAction.Describe(report, cu is not null, table.UpgradeAdvice) };
    }

    private static bool IsMissing(ExchangeBuild build, ProductTable table, CuRelease? cu, string key, out ExchangeBuild? fixedBuild)
    {
        fixedBuild = null;

        // No build of this update for the product at all: it does not apply (HC step 5).
        if (!table.UpdateBuilds.TryGetValue(key, out var newestFirst) || build >= newestFirst[0])
        {
            return false;
        }

        // Older than the newest build of the update: only the server's own CU can have it.
        if (cu is null || !cu.Updates.TryGetValue(key, out var cuFix))
        {
            return true;
        }

        if (cuFix is null || build >= cuFix.Value)
        {
            return false;
        }

        fixedBuild = cuFix;
        return true;
    }

    [GeneratedRegex(@"^CVE-[0-9]{4}-[0-9]{4,}$")]
    private static partial Regex CveId();

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException($"build table: {message}");
        }
    }

    private static ExchangeBuild ParseBuild(string text, string where) =>
        ExchangeBuild.TryParse(text, out var build) ? build : throw new InvalidDataException($"build table: {where}: '{text}' is not a build number");

    private static ExchangePosture LoadBuiltIn()
    {
        using var stream = typeof(ExchangePosture).Assembly.GetManifestResourceStream("Bulwark.Core.Data.exchange-builds.json")
            ?? throw new InvalidOperationException("built-in build table resource missing");
        return Load(stream);
    }

    /// <summary>A tracked security update as it applies to one product.</summary>
    private sealed record TrackedUpdate(string Key, string Title, string Kb, string? Campaign, IReadOnlyList<string> Cves);

    /// <param name="Updates">SU key → fixing build on this CU; null when the CU shipped with the fix.</param>
    private sealed record CuRelease(string? Name, ExchangeBuild Rtm, FrozenDictionary<string, ExchangeBuild?> Updates, AvailableUpdate? Latest);

    private sealed record ProductTable(
        string UpgradeAdvice,
        CuRelease[] Cus,
        TrackedUpdate[] Updates,
        FrozenDictionary<string, ExchangeBuild[]> UpdateBuilds,
        ExchangeBuild Newest,
        IEnumerable<ExchangeBuild> KnownBuilds)
    {
        /// <summary>The CU is the newest one released at or before the build (as HC decides it).</summary>
        public CuRelease? FindCu(ExchangeBuild build) => Cus.LastOrDefault(c => c.Rtm <= build);

        public static ProductTable Create(ProductEntry entry, List<SecurityUpdateEntry> order, Dictionary<string, SecurityUpdateEntry> updates)
        {
            var product = entry.Product;
            Require(!string.IsNullOrWhiteSpace(entry.UpgradeAdvice), $"{product} has no upgrade advice");
            var cus = entry.Cus.Select(c => ReadCu(product, c, updates)).OrderBy(c => c.Rtm).ToArray();
            Require(cus.Length > 0, $"{product} lists no CU");

            // The update's builds across every CU of the product, newest first (HC step 1).
            var updateBuilds = cus
                .SelectMany(c => c.Updates.Where(u => u.Value is not null).Select(u => (u.Key, Build: u.Value!.Value)))
                .GroupBy(u => u.Key, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => g.Select(u => u.Build).OrderDescending().ToArray(), StringComparer.Ordinal);

            foreach (var cu in cus)
            {
                foreach (var key in cu.Updates.Where(u => u.Value is null).Select(u => u.Key))
                {
                    Require(
                        !updateBuilds.TryGetValue(key, out var builds) || cu.Rtm >= builds[0],
                        $"{product} {cu.Name}: '{Included}' {key} but the CU is older than the update's newest build");
                }
            }

            var known = new List<ExchangeBuild>();
            foreach (var cu in cus)
            {
                known.Add(cu.Rtm);
                known.AddRange(cu.Updates.Values.OfType<ExchangeBuild>());
                if (cu.Latest is not null)
                {
                    known.Add(cu.Latest.Build);
                }
            }

            var resolved = order.Select(u => Resolve(u, product)).ToArray();
            return new ProductTable(entry.UpgradeAdvice, cus, resolved, updateBuilds, known.Max(), known);
        }

        private static CuRelease ReadCu(ExchangeProduct product, CuEntry entry, Dictionary<string, SecurityUpdateEntry> updates)
        {
            var where = $"{product} {entry.Cu}";
            var rtm = ParseBuild(entry.Rtm, where);
            Require(rtm.Product == product, $"{where}: {rtm} is not an {product} build");
            var fixes = new Dictionary<string, ExchangeBuild?>(StringComparer.Ordinal);
            foreach (var (key, value) in entry.Updates)
            {
                Require(updates.ContainsKey(key), $"{where}: unknown security update '{key}'");
                ExchangeBuild? fix = value == Included ? null : ParseBuild(value, $"{where} {key}");
                Require(fix is null || (fix.Value.Product == product && fix.Value >= rtm), $"{where} {key}: {fix} is not a build of this CU");
                fixes[key] = fix;
            }

            AvailableUpdate? latest = null;
            if (entry.Latest is { } l)
            {
                latest = new AvailableUpdate(l.Update, ParseBuild(l.Build, $"{where} latest"));
                Require(latest.Build >= rtm, $"{where}: latest {latest.Build} is older than the CU");
            }

            return new CuRelease(entry.Cu, rtm, fixes.ToFrozenDictionary(StringComparer.Ordinal), latest);
        }

        private static TrackedUpdate Resolve(SecurityUpdateEntry update, ExchangeProduct product)
        {
            update.Products.TryGetValue(product, out var variant);
            return new TrackedUpdate(
                update.Key,
                variant?.Title ?? update.Title,
                variant?.Kb ?? update.Kb,
                update.Campaign,
                Array.AsReadOnly([.. variant?.Cves ?? update.Cves]));
        }
    }
}
