using System.CommandLine;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using static Bulwark.Cli.Commands.Intel.IntelOptions;

namespace Bulwark.Cli.Commands.Intel;

/// <summary><c>bulwark intel list</c>: the sources in the local store (and the starter intel), with counts; <c>--actors</c> lists the actors.</summary>
public static class IntelListCommand
{
    public static Command Create(CliContext context)
    {
        var store = IntelOptions.Store();
        var noStarter = IntelOptions.NoStarter();
        var actors = new Option<bool>("--actors") { Description = "List the actors known (id, name, country, aliases) instead of the sources." };
        var command = new Command("list", "List the imported intelligence sources, or the actors they describe.") { store, noStarter, actors };
        command.SetAction(parsed => Execute(context, parsed.GetValue(store), parsed.GetValue(noStarter), parsed.GetValue(actors)));
        return command;
    }

    private static int Execute(CliContext context, string? storeRoot, bool noStarter, bool listActors)
    {
        var store = new IntelStore(storeRoot ?? IntelStore.DefaultRoot());
        var catalog = new IntelCatalog();
        var sources = store.LoadWithStarter(catalog, starter: !noStarter);
        var set = IntelLoader.Build(catalog);
        if (listActors)
        {
            foreach (var actor in set.Actors.All)
            {
                var aliases = actor.Aliases.Count == 0 ? "" : $"  aka {string.Join(", ", actor.Aliases.Take(8))}{(actor.Aliases.Count > 8 ? $" (+{actor.Aliases.Count - 8})" : "")}";
                context.Out.WriteLine($"{actor.Id}  {actor.Name}  {actor.Country ?? "-"}{aliases}");
            }

            foreach (var ambiguous in set.Actors.Ambiguous)
            {
                context.Error.WriteLine($"{ambiguous.ObjectId} ({ambiguous.Name}): its names belong to several actors ({string.Join(", ", ambiguous.Candidates)}); kept apart");
            }

            return ExitCodes.Clean;
        }

        context.Out.WriteLine($"store: {store.Root}");
        foreach (var s in sources)
        {
            context.Out.WriteLine(
                $"{s.Source.Id}  {IntelImportCommand.Format(s.Source.Format)}  {Count(s.Indicators, "indicator")}  {Count(s.Objects, "object")}  {Count(s.Relationships, "relationship")}"
                + (s.Warninglists > 0 ? $"  {Count(s.Warninglists, "warninglist")}" : "")
                + $"  unmarked TLP:{IntelEvidence.TlpText(s.Source.DefaultTlp)}");
        }

        context.Out.WriteLine($"total: {set.Index.Count} indexed values, {catalog.Indicators.Count + catalog.Values.Count} indicators, {set.Actors.All.Count} actors, {catalog.Problems.Count + set.Rejected.Count} problems, {set.Suppressed.Count} values on warninglists");
        return ExitCodes.Clean;
    }
}
