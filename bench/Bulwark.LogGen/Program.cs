using System.Diagnostics;
using System.Globalization;
using Bulwark.LogGen;

if (args.Length > 0 && args[0] == "intel")
{
    return IntelListGenerator.Run(args);
}

var (options, error) = GeneratorOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(GeneratorOptions.Usage);
    return 2;
}

// Other files may sit beside the logs (samples/ keeps hand-made web files there); earlier logs may not.
var existing = LogTreeGenerator.LogRoots.Select(r => Path.Combine(options.Out, r)).FirstOrDefault(Directory.Exists);
if (existing is not null)
{
    Console.Error.WriteLine($"error: '{existing}' already exists; delete it or give another --out");
    return 1;
}

var watch = Stopwatch.StartNew();
var result = LogTreeGenerator.Run(options);
if (options.Manifest is not null)
{
    using var writer = new StreamWriter(options.Manifest);
    result.Manifest.WriteTsv(writer);
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"wrote {result.Bytes:N0} bytes ({result.Start:yyyy-MM-ddTHH:mmZ} to {result.End:yyyy-MM-ddTHH:mmZ}, " +
    $"{result.Manifest.Records.Count} planted lines) to {options.Out} in {watch.Elapsed.TotalSeconds:F1} s"));
return 0;
