namespace Bulwark.Core.Sources.Text;

/// <summary>What a reader has learned about one file so far (header, build, time range).</summary>
public sealed class LogFileState(string file, string? protocol)
{
    public string File { get; } = file;

    public string? Protocol { get; } = protocol;

    public LogSchema? Schema { get; set; }

    /// <summary>The Exchange build from a <c>#Version:</c> directive, as written, and its line.</summary>
    public (string Text, long Line)? Version { get; set; }

    public DateTimeOffset? Earliest { get; set; }

    public DateTimeOffset? Latest { get; set; }

    public long Lines { get; set; }
}
