using System.CommandLine;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Cli.Commands.Intel;

/// <summary>
/// <c>bulwark intel pattern 'PATTERN'</c>: checks a STIX pattern. Valid: exit 0, the canonical form and what the IOC
/// index makes of it. Invalid: exit 2, the pattern with a caret under the error and its cause.
/// </summary>
public static class IntelPatternCommand
{
    public static Command Create(CliContext context)
    {
        var text = new Argument<string>("pattern") { Description = "A STIX 2.1 pattern, e.g. \"[ipv4-addr:value = '198.51.100.1']\" (quote it for the shell)." };
        var command = new Command("pattern", "Parse a STIX 2.1 pattern: print its canonical form, or where and why it is invalid.") { text };
        command.SetAction(parsed => Execute(context, parsed.GetValue(text)!));
        return command;
    }

    private static int Execute(CliContext context, string text)
    {
        if (!Pattern.TryParse(text, out var pattern, out var error))
        {
            context.Error.WriteLine($"bulwark intel pattern: invalid STIX pattern: {error!.Message}, at offset {error.Offset}{(error.Token.Length > 0 ? $" near '{error.Token}'" : " (end of pattern)")}");
            var line = text.ReplaceLineEndings(" ");
            context.Error.WriteLine("  " + line);
            context.Error.WriteLine("  " + new string(' ', Math.Min(error.Offset, line.Length)) + "^");
            return ExitCodes.UsageError;
        }

        context.Out.WriteLine(pattern!.ToString());
        var compiled = PatternCompiler.Compile(pattern);
        if (!compiled.Complex)
        {
            context.Out.WriteLine($"index: {compiled.Values.Count} value{(compiled.Values.Count == 1 ? "" : "s")}, a hit is a match");
        }
        else if (compiled.Unindexable is { } why)
        {
            context.Out.WriteLine($"index: none ({why})");
        }
        else
        {
            context.Out.WriteLine($"index: {compiled.Values.Count} value{(compiled.Values.Count == 1 ? "" : "s")} select{(compiled.Values.Count == 1 ? "s" : "")} events; the whole pattern is evaluated on them");
        }

        foreach (var value in compiled.Values)
        {
            context.Out.WriteLine($"  {value.Kind} {value.Value}");
        }

        return ExitCodes.Clean;
    }
}
