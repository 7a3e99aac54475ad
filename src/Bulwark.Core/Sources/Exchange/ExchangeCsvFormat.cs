using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Sources.Exchange;

/// <summary>
/// Exchange's CSV logs: optional <c>#</c> directives (<c>#Version:</c> carries the server build in HttpProxy logs,
/// <c>#Fields:</c> the columns) or a bare header row, then RFC 4180 rows. Columns are read by name.
/// </summary>
public abstract class ExchangeCsvFormat : LogFormat
{
    /// <summary>The first column of a bare header row, e.g. <c>DateTime</c>.</summary>
    protected abstract string FirstColumn { get; }

    /// <summary>True when <c>#Version:</c> is the server's build (HttpProxy), not the log format's version (ECP writes 15.0.0.0).</summary>
    protected virtual bool VersionIsBuild => false;

    /// <summary>True when a line that does not split as CSV should still reach detectors (raw-line rules).</summary>
    protected virtual bool KeepUnsplittableLines => false;

    public override void OnDirective(string line, long lineNumber, LogFileState state)
    {
        if (line.StartsWith("#Fields:", StringComparison.OrdinalIgnoreCase))
        {
            var names = Csv.Split(line.AsSpan(8).Trim(), out _);
            if (names is { Length: > 0 })
            {
                state.Schema = new LogSchema([.. names.Select(n => n.Trim())]);
            }
        }
        else if (VersionIsBuild && line.StartsWith("#Version:", StringComparison.OrdinalIgnoreCase) && state.Version is null)
        {
            state.Version = (line[9..].Trim(), lineNumber);
        }
    }

    public override bool TryHeaderRow(string line, LogFileState state)
    {
        if (!line.StartsWith(FirstColumn + ",", StringComparison.OrdinalIgnoreCase) && !line.Equals(FirstColumn, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var names = Csv.Split(line, out _);
        if (names is null)
        {
            return false;
        }

        state.Schema = new LogSchema([.. names.Select(n => n.Trim())]);
        return true;
    }

    public override LogEvent? Parse(string line, long lineNumber, LogFileState state, out string? error)
    {
        error = null;
        if (state.Schema is null)
        {
            error = $"no #Fields directive or '{FirstColumn},…' header row before the first data line";
            return null;
        }

        var values = Csv.Split(line, out error);
        if (values is null)
        {
            if (!KeepUnsplittableLines)
            {
                return null;
            }

            error = null;
            values = [];
        }

        var timestamp = values.Length > 0 ? ParseUtc(values[0]) : null;
        return new LogEvent(Kind, state.File, lineNumber, state.Schema, values, line, timestamp, state.Protocol)
        {
            Request = CreateRequest(state.Schema, values),
        };
    }

    public override DateTimeOffset? ReadTimestamp(string line, LogFileState state)
    {
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        var first = comma < 0 ? line.AsSpan() : line.AsSpan(0, comma);
        return ParseUtc(first.Trim('"'));
    }

    protected virtual HttpRequestView? CreateRequest(LogSchema schema, string[] values) => null;
}
