using System.CommandLine;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using static Bulwark.Cli.Commands.Intel.IntelOptions;

namespace Bulwark.Cli.Commands.Intel;

/// <summary>
/// <c>bulwark intel import FILE|DIR</c>: reads STIX, MISP and plain lists, reports what was taken and every problem
/// (file, where, why), and keeps a copy in the local store for <c>intel list</c>, <c>intel match</c> and
/// <c>scan --intel</c>. Exit 0 when something was taken (problems are listed on standard error), 2 when nothing was.
/// </summary>
public static class IntelImportCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "An intel file (STIX bundle, MISP event, galaxy or warninglist JSON, CSV or text list) or a folder of them (a folder with manifest.json is a MISP feed)." };
        var name = new Option<string?>("--name") { Description = "Name of the import in the store (default: the file or folder name); importing a name again replaces it." };
        var tlp = new Option<string>("--tlp")
        {
            Description = "TLP for content without its own marking: clear, green, amber (default), amber+strict or red.",
            DefaultValueFactory = _ => "amber",
        };
        var confidence = new Option<int>("--confidence")
        {
            Description = "Confidence (0-100) for indicators without their own (default 50).",
            DefaultValueFactory = _ => 50,
        };
        var store = IntelOptions.Store();
        var command = new Command("import", "Import threat intelligence into the local store, reporting what was taken and every problem.") { path, name, tlp, confidence, store };
        command.SetAction(parsed => Execute(context, parsed.GetValue(path)!, parsed.GetValue(name), parsed.GetValue(tlp)!, parsed.GetValue(confidence), parsed.GetValue(store)));
        return command;
    }

    private static int Execute(CliContext context, string path, string? name, string tlpText, int confidence, string? storeRoot)
    {
        if (!IntelOptions.TryParseTlp(tlpText, out var tlp))
        {
            return Usage(context, $"--tlp '{tlpText}': expected clear, green, amber, amber+strict or red");
        }

        if (confidence is < 0 or > 100)
        {
            return Usage(context, $"--confidence {confidence}: expected 0 to 100");
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return Usage(context, $"{path}: no such file or directory");
        }

        name ??= Path.GetFileName(Path.GetFullPath(path).TrimEnd('/', '\\'));
        if (name.Length == 0 || name.StartsWith('.') || name.IndexOfAny(['/', '\\', ':']) >= 0)
        {
            return Usage(context, $"--name '{name}': a plain name without '/', '\\\\', ':' or a leading '.'");
        }

        var options = new IntelLoadOptions { DefaultTlp = tlp, DefaultConfidence = confidence };
        var catalog = new IntelCatalog();
        var sources = IntelLoader.Load(path, catalog, options with { SourcePrefix = name + "/" });
        var set = IntelLoader.Build(catalog);
        foreach (var problem in catalog.Problems.Concat(set.Rejected))
        {
            context.Error.WriteLine(problem.ToString());
        }

        foreach (var (value, indicator, list) in set.Suppressed)
        {
            context.Error.WriteLine($"{indicator}: {IntelEvidence.KindText(value.Kind)} {value.Value} left out: on warninglist \"{list}\"");
        }

        foreach (var s in sources)
        {
            context.Out.WriteLine(
                $"{s.Source.Id}: {Format(s.Source.Format)}, {Count(s.Indicators, "indicator")}, {Count(s.Objects, "object")}, {Count(s.Relationships, "relationship")}"
                + (s.Warninglists > 0 ? $", {Count(s.Warninglists, "warninglist")}" : "")
                + $", unmarked TLP:{IntelEvidence.TlpText(s.Source.DefaultTlp)}"
                + (s.Problems > 0 ? $", {Count(s.Problems, "problem")}" : ""));
        }

        var taken = sources.Sum(s => s.Indicators + s.Objects + s.Relationships + s.Warninglists);
        if (taken == 0)
        {
            context.Error.WriteLine($"bulwark intel import: nothing usable in {path}; nothing imported");
            return ExitCodes.UsageError;
        }

        var target = new IntelStore(storeRoot ?? IntelStore.DefaultRoot()).Add(path, name, options);
        context.Out.WriteLine(
            $"imported '{name}': {set.Index.Count} indexed values from {sources.Sum(s => s.Indicators)} indicators, {set.Actors.All.Count} actors"
            + $", {catalog.Problems.Count + set.Rejected.Count} problems, {set.Suppressed.Count} values on warninglists; stored in {target}");
        return ExitCodes.Clean;
    }

    internal static string Format(IntelFormat format) => format switch
    {
        IntelFormat.StixBundle => "STIX",
        IntelFormat.MispEvent => "MISP event",
        IntelFormat.MispFeed => "MISP feed",
        IntelFormat.MispGalaxy => "MISP galaxy",
        IntelFormat.MispWarninglist => "MISP warninglist",
        IntelFormat.PlainList => "list",
        IntelFormat.Taxii => "TAXII",
        _ => format.ToString(),
    };

    private static int Usage(CliContext context, string message)
    {
        context.Error.WriteLine($"bulwark intel import: {message}");
        return ExitCodes.UsageError;
    }
}
