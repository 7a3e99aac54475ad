using System.Text.Json;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Starter;

namespace Bulwark.Cli.Commands.Intel;

/// <summary>
/// The CLI's local intelligence: a folder (default <c>~/.local/share/bulwark/intel</c>, or <c>BULWARK_INTEL</c>, or
/// <c>--store</c>) holding one sub-folder per import with the imported files as they were and a small
/// <c>.bulwark-import.json</c> recording the TLP and confidence given to unmarked content.
/// </summary>
public sealed class IntelStore(string root)
{
    public const string EnvironmentVariable = "BULWARK_INTEL";
    private const string ImportFile = ".bulwark-import.json";

    public string Root { get; } = root;

    public static string DefaultRoot() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "bulwark", "intel");

    /// <summary>The imports, by name.</summary>
    public IReadOnlyList<string> Imports() =>
        Directory.Exists(Root) ? [.. Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];

    /// <summary>Copies <paramref name="path"/> (file or folder) into the store as <paramref name="name"/>, replacing an earlier import of that name.</summary>
    public string Add(string path, string name, IntelLoadOptions options)
    {
        var target = Path.Combine(Root, name);
        var staging = target + ".importing";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        if (File.Exists(path))
        {
            File.Copy(path, Path.Combine(staging, Path.GetFileName(path)));
        }
        else
        {
            CopyTree(path, staging);
        }

        File.WriteAllText(Path.Combine(staging, ImportFile), JsonSerializer.Serialize(new ImportSettings(options.DefaultTlp.ToString(), options.DefaultConfidence, Path.GetFullPath(path))));
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
        return target;
    }

    /// <summary>Loads every import (each with its own settings) into <paramref name="catalog"/>.</summary>
    public IReadOnlyList<LoadedSource> Load(IntelCatalog catalog)
    {
        var loaded = new List<LoadedSource>();
        foreach (var name in Imports())
        {
            var folder = Path.Combine(Root, name);
            loaded.AddRange(IntelLoader.Load(folder, catalog, Settings(folder) with { SourcePrefix = name + "/" }));
        }

        return loaded;
    }

    /// <summary>What the intel verbs work on: the starter intelligence (unless left out), then every import.</summary>
    public IReadOnlyList<LoadedSource> LoadWithStarter(IntelCatalog catalog, bool starter)
    {
        var loaded = new List<LoadedSource>();
        if (starter)
        {
            loaded.Add(LoadStarter(catalog));
        }

        loaded.AddRange(Load(catalog));
        return loaded;
    }

    /// <summary>Loads the starter intelligence shipped with Bulwark.</summary>
    public static LoadedSource LoadStarter(IntelCatalog catalog)
    {
        var result = StarterIntel.Load(catalog);
        var indicators = catalog.Indicators.Count(i => i.Source == StarterIntel.SourceId);
        var objects = catalog.Objects.Count(o => o.Source == StarterIntel.SourceId);
        var relationships = catalog.Relationships.Count(r => r.Source == StarterIntel.SourceId);
        return new LoadedSource(StarterIntel.Source, indicators, objects, relationships, 0, result.Problems);
    }

    private static IntelLoadOptions Settings(string folder)
    {
        var file = Path.Combine(folder, ImportFile);
        if (!File.Exists(file))
        {
            return IntelLoadOptions.Default;
        }

        try
        {
            var settings = JsonSerializer.Deserialize<ImportSettings>(File.ReadAllText(file));
            return settings is not null && Enum.TryParse<Tlp>(settings.Tlp, out var tlp)
                ? new IntelLoadOptions { DefaultTlp = tlp, DefaultConfidence = Math.Clamp(settings.Confidence, 0, 100) }
                : IntelLoadOptions.Default;
        }
        catch (JsonException)
        {
            return IntelLoadOptions.Default;
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private sealed record ImportSettings(string Tlp, int Confidence, string From);
}
