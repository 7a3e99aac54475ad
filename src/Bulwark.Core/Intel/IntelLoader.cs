using System.Text;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;

namespace Bulwark.Core.Intel;

/// <summary>How unmarked intelligence is treated when loaded.</summary>
public sealed record IntelLoadOptions
{
    public static IntelLoadOptions Default { get; } = new();

    /// <summary>TLP of anything without its own marking: Amber unless the operator says otherwise (intel.md §8.2).</summary>
    public Tlp DefaultTlp { get; init; } = Tlp.Amber;

    /// <summary>Confidence of indicators without their own, 0–100.</summary>
    public int DefaultConfidence { get; init; } = 50;

    /// <summary>Put before every source id (e.g. the import's name and '/'), so two imports of files with one name stay apart.</summary>
    public string SourcePrefix { get; init; } = "";
}

/// <summary>What one source gave, for the import summary.</summary>
public sealed record LoadedSource(IntelSource Source, int Indicators, int Objects, int Relationships, int Warninglists, int Problems);

/// <summary>
/// Loads intelligence files and folders into a catalog, recognising each file's format from its content: STIX
/// 2.0/2.1 bundles (and TAXII envelopes), MISP events, MISP galaxy clusters, MISP warninglists, plain lists (one value
/// per line or CSV); a folder holding <c>manifest.json</c> is a MISP feed. Each file is one source (its path relative
/// to the folder given). A file that is none of these is a problem, and the rest are still loaded.
/// </summary>
public static class IntelLoader
{
    private const int SniffBytes = 64 * 1024;

    /// <summary>
    /// Loads a file, or every file under a folder. Galaxy clusters and warninglists are read first (events resolve
    /// their galaxy tags against clusters already read), then the rest in path order, so ids and results are stable.
    /// </summary>
    public static IReadOnlyList<LoadedSource> Load(string path, IntelCatalog catalog, IntelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= IntelLoadOptions.Default;
        var full = Path.GetFullPath(path);
        var before = Snapshot(catalog);
        var items = new List<Item>();
        if (File.Exists(full))
        {
            Classify(full, options.SourcePrefix + Path.GetFileName(full), catalog, items);
        }
        else if (Directory.Exists(full))
        {
            Collect(full, full, catalog, options, items);
        }
        else
        {
            catalog.Problem(path, "", "no such file or directory");
        }

        var sources = new List<IntelSource>();
        foreach (var item in items.OrderBy(i => Order(i.Format)).ThenBy(i => i.Path, StringComparer.Ordinal))
        {
            var source = Source(item.Id, item.Format, item.Path, options) with
            {
                // Galaxy clusters are public reference data (CC0/BSD-2 misp-galaxy), not shared intelligence.
                DefaultTlp = item.Format == IntelFormat.MispGalaxy ? Tlp.Clear : options.DefaultTlp,
            };
            catalog.AddSource(source);
            sources.Add(source);
            Read(item, source, catalog);
        }

        return Summarise(catalog, sources, before);
    }

    /// <summary>Builds the matching set of a catalog, its warninglists suppressing the values they cover.</summary>
    public static IntelSet Build(IntelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.Warninglists.Count == 0)
        {
            return IntelSet.Build(catalog);
        }

        var filter = WarninglistFilter.Build(catalog);
        return IntelSet.Build(catalog, filter.CoveringList);
    }

    private static int Order(IntelFormat format) => format switch
    {
        IntelFormat.MispGalaxy => 0,
        IntelFormat.MispWarninglist => 1,
        IntelFormat.StixBundle => 2,
        _ => 3,
    };

    private static void Collect(string root, string directory, IntelCatalog catalog, IntelLoadOptions options, List<Item> items)
    {
        if (File.Exists(Path.Combine(directory, MispFeed.ManifestFile)))
        {
            var id = Relative(root, directory);
            items.Add(new Item(directory, options.SourcePrefix + (id.Length == 0 ? Path.GetFileName(directory) : id), IntelFormat.MispFeed));
            return;
        }

        List<string> files;
        List<string> folders;
        try
        {
            files = [.. Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal)];
            folders = [.. Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            catalog.Problem(directory, "", $"cannot list folder: {ex.Message}");
            return;
        }

        foreach (var file in files)
        {
            Classify(file, options.SourcePrefix + Relative(root, file), catalog, items);
        }

        foreach (var folder in folders)
        {
            if (new DirectoryInfo(folder).LinkTarget is null)
            {
                Collect(root, folder, catalog, options, items);
            }
        }
    }

    private static void Classify(string path, string id, IntelCatalog catalog, List<Item> items)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith('.') || name.Equals("README.md", StringComparison.OrdinalIgnoreCase) || name.StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            if (Detect(stream, path, out var reason) is { } format)
            {
                items.Add(new Item(path, id, format));
            }
            else
            {
                catalog.Problem(path, "", reason!);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            catalog.Problem(path, "", $"cannot read: {ex.Message}");
        }
    }

    private static void Read(Item item, IntelSource source, IntelCatalog catalog)
    {
        try
        {
            if (item.Format == IntelFormat.MispFeed)
            {
                MispFeed.FromDirectory(item.Path).SyncAsync(catalog, source).GetAwaiter().GetResult();
                return;
            }

            using var stream = new FileStream(item.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            switch (item.Format)
            {
                case IntelFormat.StixBundle:
                    StixReader.Read(stream, item.Path, source, catalog);
                    break;
                case IntelFormat.MispEvent:
                    new MispEventReader(catalog, source).Read(stream, item.Path);
                    break;
                case IntelFormat.MispGalaxy:
                    MispGalaxyReader.Read(stream, item.Path, catalog, source);
                    break;
                case IntelFormat.MispWarninglist:
                    MispWarninglistReader.Read(stream, item.Path, catalog, source);
                    break;
                default:
                    using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
                    {
                        PlainList.Read(reader, item.Path, source, catalog);
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            catalog.Problem(item.Path, "", $"cannot read: {ex.Message}");
        }
    }

    private sealed record Item(string Path, string Id, IntelFormat Format);

    /// <summary>The format a file's first bytes say it is, or null with the reason.</summary>
    public static IntelFormat? Detect(Stream stream, string path, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(stream);
        reason = null;
        var buffer = new byte[SniffBytes];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var head = buffer.AsSpan(0, length);
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        head = head.TrimStart(" \t\r\n"u8);
        if (head.IsEmpty)
        {
            reason = "empty file";
            return null;
        }

        if (head.IndexOf((byte)0) >= 0)
        {
            reason = "binary file: expected STIX or MISP JSON, or a text list of indicators";
            return null;
        }

        var text = Encoding.UTF8.GetString(head);
        if (text[0] is '{' or '[')
        {
            if (Has(text, "\"type\"", "\"bundle\"") || (text[0] == '{' && Has(text, "\"objects\"") && Has(text, "\"spec_version\"")))
            {
                return IntelFormat.StixBundle;
            }

            if (Has(text, "\"Event\"") || Has(text, "\"response\""))
            {
                return IntelFormat.MispEvent;
            }

            if (Has(text, "\"values\"") && (Has(text, "\"authors\"") || Has(text, "\"category\"")))
            {
                return IntelFormat.MispGalaxy;
            }

            if (Has(text, "\"list\"") && (Has(text, "\"matching_attributes\"") || Has(text, "\"name\"")))
            {
                return IntelFormat.MispWarninglist;
            }

            if (text[0] == '[' && Has(text, "\"spec_version\""))
            {
                return IntelFormat.StixBundle;
            }

            reason = "JSON that is neither a STIX bundle, a MISP event, a MISP galaxy cluster file nor a MISP warninglist";
            return null;
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".yaml" or ".yml" or ".xml")
        {
            reason = $"{extension[1..].ToUpperInvariant()} is not read (for CHIRP or STIX 1.x files, convert them to STIX 2.1 or a plain list)";
            return null;
        }

        if (extension is not ("" or ".txt" or ".csv" or ".lst" or ".list" or ".ioc" or ".iocs"))
        {
            reason = $"'{extension}' files are not read: plain lists must be .txt, .csv, .lst, .list or .ioc";
            return null;
        }

        return IntelFormat.PlainList;
    }

    private static bool Has(string text, string key, string? value = null)
    {
        var at = text.IndexOf(key, StringComparison.Ordinal);
        if (at < 0 || value is null)
        {
            return at >= 0;
        }

        var rest = text.AsSpan(at + key.Length).TrimStart(" \t\r\n");
        return rest.StartsWith(":") && rest[1..].TrimStart(" \t\r\n").StartsWith(value, StringComparison.Ordinal);
    }

    private static IntelSource Source(string id, IntelFormat format, string location, IntelLoadOptions options) =>
        new(id, format)
        {
            Location = location,
            Title = Path.GetFileName(location.TrimEnd('/', '\\')),
            DefaultTlp = options.DefaultTlp,
            DefaultConfidence = options.DefaultConfidence,
        };

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/') is "." ? "" : Path.GetRelativePath(root, path).Replace('\\', '/');

    private static (int Problems, HashSet<string> Sources) Snapshot(IntelCatalog catalog) =>
        (catalog.Problems.Count, catalog.Sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal));

    private static List<LoadedSource> Summarise(IntelCatalog catalog, List<IntelSource> sources, (int Problems, HashSet<string> Sources) before)
    {
        var indicators = catalog.Indicators.Select(i => i.Source).Concat(catalog.Values.Select(v => v.Source))
            .GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var objects = catalog.Objects.GroupBy(o => o.Source).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var relationships = catalog.Relationships.GroupBy(r => r.Source).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lists = catalog.Warninglists.GroupBy(w => w.Source).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var problems = catalog.Problems.Skip(before.Problems).ToList();
        return [.. sources.Select(s => new LoadedSource(
            s,
            indicators.GetValueOrDefault(s.Id),
            objects.GetValueOrDefault(s.Id),
            relationships.GetValueOrDefault(s.Id),
            lists.GetValueOrDefault(s.Id),
            problems.Count(p => s.Location is { } l && (p.File == l || p.File.StartsWith(l + Path.DirectorySeparatorChar, StringComparison.Ordinal)))))];
    }
}
