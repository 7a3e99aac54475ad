using Bulwark.Cli;

return BulwarkCommand.Run(args, CliContext.FromConsole());
