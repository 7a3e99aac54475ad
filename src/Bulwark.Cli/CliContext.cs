namespace Bulwark.Cli;

/// <summary>Where the CLI writes, and whether a person is watching (progress only on a terminal).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, bool OutIsTerminal)
{
    public static CliContext FromConsole() => new(
        Console.Out,
        Console.Error,
        !Console.IsErrorRedirected,
        !Console.IsOutputRedirected);

    public static string Version { get; } =
        typeof(CliContext).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
