using System.CommandLine;
using Bulwark.Cli.Commands;
using Bulwark.Cli.Commands.Intel;

namespace Bulwark.Cli;

/// <summary>The <c>bulwark</c> command line: parses, then hands over to one command class per verb.</summary>
public static class BulwarkCommand
{
    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("Bulwark: hunts Exchange Server compromise in a server's logs and files, offline.");
        root.Subcommands.Add(ScanCommand.Create(context));
        root.Subcommands.Add(ExchangeBuildCommand.Create(context));
        root.Subcommands.Add(MigrateCommand.Create(context));
        root.Subcommands.Add(IntelCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                context.Error.WriteLine($"bulwark: {error.Message}");
            }

            context.Error.WriteLine("Run 'bulwark --help' for usage.");
            return ExitCodes.UsageError;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error });
    }
}
