using System.Text.Json;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// Reads MISP warninglists (MISP/misp-warninglists <c>lists/*/list.json</c>: <c>name</c>, <c>version</c>,
/// <c>description</c>, <c>matching_attributes</c>, <c>type</c> = string | cidr | hostname | substring | regex,
/// <c>list</c>) into the catalog. Entries that cannot work (a CIDR entry that is no network, a regex that does not
/// compile) are problems and left out; the rest of the list is kept. <see cref="WarninglistFilter"/> applies them.
/// </summary>
public static class MispWarninglistReader
{
    public static readonly IReadOnlyList<string> Types = ["string", "cidr", "hostname", "substring", "regex"];

    public static MispReadResult Read(Stream json, string file, IntelCatalog catalog, IntelSource source)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(MispJson.ReadAll(json), file, catalog, source);
    }

    public static MispReadResult ReadFile(string path, IntelCatalog catalog, IntelSource source) =>
        Read(File.ReadAllBytes(path), path, catalog, source);

    /// <summary>Reads every <c>list.json</c> below <paramref name="directory"/> (the repository's <c>lists</c> folder), in name order.</summary>
    public static MispReadResult ReadDirectory(string directory, IntelCatalog catalog, IntelSource source)
    {
        var result = MispReadResult.Empty;
        foreach (var file in Directory.GetFiles(directory, "list.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            result = result.Plus(ReadFile(file, catalog, source));
        }

        return result;
    }

    public static MispReadResult Read(ReadOnlyMemory<byte> utf8, string file, IntelCatalog catalog, IntelSource source)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(source);
        catalog.AddSource(source);
        var problems = new MispProblems(file, catalog);
        var tally = new MispTally();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(MispJson.SkipBom(utf8), MispJson.DocumentOptions);
        }
        catch (JsonException error)
        {
            problems.Add(MispJson.Position(error), $"invalid JSON: {MispJson.Reason(error)}; the warninglist was not read");
            return tally.ToResult(problems);
        }

        using (document)
        {
            if (Parse(document.RootElement, source, problems) is { } list)
            {
                catalog.Add(list);
                tally.Warninglists++;
            }
        }

        return tally.ToResult(problems);
    }

    private static Warninglist? Parse(JsonElement root, IntelSource source, MispProblems problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("", $"expected a warninglist object (name, type, list), found {MispJson.Describe(root.ValueKind)}; the warninglist was not read");
            return null;
        }

        var name = MispJson.String(root, "name", "", problems)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            problems.Add("name", "the warninglist has no name, which every suppression reports; it was not read");
            return null;
        }

        // MISP reads a list without a type as a string list.
        var type = (MispJson.String(root, "type", "", problems) ?? "string").Trim().ToLowerInvariant();
        if (!Types.Contains(type))
        {
            problems.Add("type", $"'{type}' is not a warninglist type (string, cidr, hostname, substring or regex); warninglist '{name}' was not read");
            return null;
        }

        if (MispJson.Array(root, "list", "", problems, "values") is not { } entries)
        {
            if (!root.TryGetProperty("list", out _))
            {
                problems.Add("list", $"warninglist '{name}' has no list of values; it was not read");
            }

            return null;
        }

        var values = new List<string>(entries.GetArrayLength());
        var i = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var where = $"list[{i++}]";
            // Entries are strings; MISP also accepts {"value": …, "comment": …}.
            if (entry.ValueKind == JsonValueKind.Object && !entry.TryGetProperty("value", out _))
            {
                problems.Add(where, "expected a value, found an object without one");
                continue;
            }

            var value = entry.ValueKind == JsonValueKind.Object
                ? MispJson.String(entry, "value", where, problems)
                : MispJson.AsString(entry, where, problems);
            value = value?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (WarninglistFilter.Check(type, value) is { } error)
            {
                problems.Add(where, $"{error}; the entry was left out of warninglist '{name}'");
                continue;
            }

            values.Add(value);
        }

        long? version = null;
        if (root.TryGetProperty("version", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            version = MispJson.Long(root, "version", "", problems);
        }

        return new Warninglist(name, type, values, source.Id)
        {
            Description = MispJson.String(root, "description", "", problems),
            MatchingAttributes = MispJson.Strings(root, "matching_attributes", "", problems).Select(a => a.Trim()).ToList(),
            Version = version is >= int.MinValue and <= int.MaxValue ? (int)version : 0,
        };
    }
}
