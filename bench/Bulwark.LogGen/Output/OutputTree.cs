namespace Bulwark.LogGen.Output;

/// <summary>The output root: creates log files under it by relative path and counts what was written.</summary>
public sealed class OutputTree
{
    private readonly string _root;

    public OutputTree(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public ByteCounter Written { get; } = new();

    public LogFile Create(string relativePath) =>
        new(Path.Combine(_root, relativePath.Replace('/', Path.DirectorySeparatorChar)), relativePath, Written);
}
