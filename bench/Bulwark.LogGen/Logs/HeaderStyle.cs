namespace Bulwark.LogGen.Logs;

/// <summary>
/// Decides, file by file across all HttpProxy folders, which files carry a bare header row instead of the
/// directive block: one in ten, at a fixed position so the output stays deterministic.
/// </summary>
public sealed class HeaderStyle
{
    private int _files;

    public bool NextIsBare() => ++_files % 10 == 6;
}
