namespace Bulwark.Core.Sources.Text;

/// <summary>
/// How one text log format turns lines into events. Implementations are stateless and shared across
/// threads; per-file state lives in <see cref="LogFileState"/>.
/// </summary>
public abstract class LogFormat
{
    public abstract LogKind Kind { get; }

    /// <summary>The column holding the client's address, when the format has one.</summary>
    public virtual string? ClientAddressColumn => null;

    public virtual byte FieldSeparator => (byte)',';

    /// <summary>True when fields may be double-quoted (CSV).</summary>
    public virtual bool QuotedFields => true;

    /// <summary>A line starting with '#'.</summary>
    public abstract void OnDirective(string line, long lineNumber, LogFileState state);

    /// <summary>The first non-directive line when no schema is known yet: true when it was a header row.</summary>
    public abstract bool TryHeaderRow(string line, LogFileState state);

    /// <summary>Parses a data line; null with a reason when it is malformed.</summary>
    public abstract LogEvent? Parse(string line, long lineNumber, LogFileState state, out string? error);

    /// <summary>The line's timestamp without building an event (for coverage).</summary>
    public abstract DateTimeOffset? ReadTimestamp(string line, LogFileState state);

    /// <summary>Parses an ISO 8601 timestamp; a value without offset is UTC (Exchange and IIS log in UTC).</summary>
    public static DateTimeOffset? ParseUtc(ReadOnlySpan<char> text)
    {
        return DateTimeOffset.TryParse(
            text.Trim(),
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
            out var t)
            ? t
            : null;
    }
}
