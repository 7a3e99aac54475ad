namespace Bulwark.Cli.Tests;

/// <summary>Runs the real command line in-process with captured standard output and error.</summary>
public static class Cli
{
    public static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = BulwarkCommand.Run(args, new CliContext(output, error, ErrorIsTerminal: false, OutIsTerminal: false));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The repository root (holds Bulwark.slnx), found upwards from the test binaries or this source file.</summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("repository root (Bulwark.slnx) not found");
    }

    public static string Samples => Path.Combine(RepositoryRoot(), "samples", "exchange-server");
}

/// <summary>A temporary directory, deleted when disposed.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "bulwark-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
