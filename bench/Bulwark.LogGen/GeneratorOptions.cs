using System.Globalization;

namespace Bulwark.LogGen;

/// <summary>Command line of the generator, parsed by hand (a bench tool takes no package for it).</summary>
public sealed record GeneratorOptions(string Out, long SizeBytes, ulong Seed, bool Plant, int Days, string? Manifest)
{
    public const string Usage =
        "usage: Bulwark.LogGen --out DIR --size SIZE [--seed N] [--plant] [--days N] [--manifest FILE]\n" +
        "  --size      total bytes to write, e.g. 2GB, 500MB, 3MB, 120KB (1 KB = 1024 bytes)\n" +
        "  --seed      random seed (default 1); the same seed and size give byte-identical output\n" +
        "  --plant     add the planted attacks and decoys listed in samples/README.md\n" +
        "  --days      length of the window starting 2021-03-02T00:00Z (default 3, at least 3)\n" +
        "  --manifest  write where each planted line landed (TSV) to FILE";

    /// <summary>Parses <paramref name="args"/>; on failure returns null and a message for the user.</summary>
    public static (GeneratorOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? output = null, manifest = null;
        long size = 0;
        ulong seed = 1;
        var days = 3;
        var plant = false;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--out" when value is not null: output = value; i++; break;
                case "--manifest" when value is not null: manifest = value; i++; break;
                case "--size" when value is not null && TryParseSize(value, out size): i++; break;
                case "--seed" when value is not null && ulong.TryParse(value, CultureInfo.InvariantCulture, out seed): i++; break;
                case "--days" when value is not null && int.TryParse(value, CultureInfo.InvariantCulture, out days) && days >= 3: i++; break;
                case "--plant": plant = true; break;
                default: return (null, $"invalid or incomplete option '{args[i]}'");
            }
        }

        if (output is null || size <= 0)
        {
            return (null, "--out and --size are required");
        }

        return (new GeneratorOptions(output, size, seed, plant, days, manifest), null);
    }

    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var units = new (string Suffix, long Factor)[] { ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                bytes = (long)(n * factor);
                return true;
            }
        }

        return long.TryParse(text, CultureInfo.InvariantCulture, out bytes) && bytes > 0;
    }
}
