using System.CommandLine;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Cli.Commands.Intel;

/// <summary>
/// <c>bulwark intel match VALUE</c>: what is known about an address, domain, URL, e-mail address, hash, file name or
/// path, or user agent — from which source, under which TLP, with what confidence, and the actor behind it; a value
/// that is an actor's name or id prints the actor. Exit 0 when something is known, 1 when nothing is.
/// </summary>
public static class IntelMatchCommand
{
    public static Command Create(CliContext context)
    {
        var value = new Argument<string>("value") { Description = "An IP address, domain, URL, e-mail address, MD5/SHA-1/SHA-256, file name or path, user agent, or actor name/id (defanged values are refanged)." };
        var store = IntelOptions.Store();
        var noStarter = IntelOptions.NoStarter();
        var command = new Command("match", "Show what the intelligence knows about a value: sources, TLP, confidence and actor.") { value, store, noStarter };
        command.SetAction(parsed => Execute(context, parsed.GetValue(value)!, parsed.GetValue(store), parsed.GetValue(noStarter)));
        return command;
    }

    private static int Execute(CliContext context, string raw, string? storeRoot, bool noStarter)
    {
        var catalog = new IntelCatalog();
        new IntelStore(storeRoot ?? IntelStore.DefaultRoot()).LoadWithStarter(catalog, starter: !noStarter);
        var set = IntelLoader.Build(catalog);
        var value = PlainList.Refang(raw.Trim());
        var ids = set.Find(value);
        var found = false;
        foreach (var id in ids)
        {
            found = true;
            var entry = set.Index.GetEntry(id);
            var indicator = set.IndicatorOf(id);
            var source = catalog.GetSource(entry.Source);
            context.Out.WriteLine($"{IntelEvidence.KindText(entry.Kind)} {entry.Value}");
            context.Out.WriteLine($"  source: {source?.Title ?? entry.Source} ({entry.Source}), TLP:{IntelEvidence.TlpText(entry.Tlp)}, confidence {entry.Confidence}");
            if (indicator is not null)
            {
                context.Out.WriteLine($"  indicator: {indicator.Id}{(indicator.Name is { Length: > 0 } n ? $" \"{n}\"" : "")}");
                if (indicator.Complex)
                {
                    context.Out.WriteLine($"  pattern (evaluated on events that hit this value): {indicator.PatternText}");
                }
            }

            if (entry.ValidFrom is not null || entry.ValidUntil is not null)
            {
                context.Out.WriteLine($"  valid: {Time(entry.ValidFrom)} to {Time(entry.ValidUntil)}");
            }

            foreach (var a in set.Attribute(entry.Reference is { } r ? [r] : [], null))
            {
                context.Out.WriteLine($"  actor: {a.ActorName} ({a.ActorId}){(a.Country is null ? "" : $", {a.Country}")}, confidence {a.Confidence}, TLP:{IntelEvidence.TlpText(a.Tlp)}{(a.Aliases.Count > 0 ? $"; aka {string.Join(", ", a.Aliases.Take(6))}" : "")}");
            }
        }

        if (!found)
        {
            foreach (var actor in set.Actors.Resolve(value))
            {
                found = true;
                context.Out.WriteLine($"actor {actor.Name} ({actor.Id}){(actor.Country is null ? "" : $", {actor.Country}")}");
                if (actor.Aliases.Count > 0)
                {
                    context.Out.WriteLine($"  aka: {string.Join(", ", actor.Aliases)}");
                }

                if (actor.SharedAliases.Count > 0)
                {
                    context.Out.WriteLine($"  names shared with other actors: {string.Join(", ", actor.SharedAliases)}");
                }

                context.Out.WriteLine($"  sources: {string.Join(", ", actor.Sources)}");
            }
        }

        if (!found)
        {
            context.Out.WriteLine($"nothing known about '{value}'");
        }

        return found ? ExitCodes.Clean : ExitCodes.Findings;
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
