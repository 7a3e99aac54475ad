using System.CommandLine;

namespace Bulwark.Cli.Commands.Intel;

/// <summary><c>bulwark intel</c>: threat intelligence — import, list, match values, check STIX patterns.</summary>
public static class IntelCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("intel", "Threat intelligence: import STIX, MISP and plain lists, list what is known, match a value, check a STIX pattern.");
        command.Subcommands.Add(IntelImportCommand.Create(context));
        command.Subcommands.Add(IntelListCommand.Create(context));
        command.Subcommands.Add(IntelMatchCommand.Create(context));
        command.Subcommands.Add(IntelPatternCommand.Create(context));
        return command;
    }
}
