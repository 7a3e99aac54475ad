using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Sources.Iis;

/// <summary>
/// IIS W3C extended logs. Columns come from <c>#Fields:</c>, which IIS rewrites mid-file when the server
/// restarts or logging changes; user agents keep IIS's '+' for spaces.
/// </summary>
public sealed class W3cFormat : LogFormat
{
    public static readonly W3cFormat Instance = new();

    public override LogKind Kind => LogKind.Iis;

    public override string? ClientAddressColumn => "c-ip";

    public override byte FieldSeparator => (byte)' ';

    public override bool QuotedFields => false;

    public override void OnDirective(string line, long lineNumber, LogFileState state)
    {
        if (line.StartsWith("#Fields:", StringComparison.OrdinalIgnoreCase))
        {
            var names = line[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            state.Schema = new LogSchema(names);
        }
    }

    public override bool TryHeaderRow(string line, LogFileState state) => false;

    public override LogEvent? Parse(string line, long lineNumber, LogFileState state, out string? error)
    {
        error = null;
        if (state.Schema is null)
        {
            error = "no #Fields directive before the first data line";
            return null;
        }

        var values = line.Split(' ');
        if (values.Length != state.Schema.Names.Count)
        {
            error = $"expected {state.Schema.Names.Count} space-separated fields (per #Fields), found {values.Length}";
            return null;
        }

        var schema = state.Schema;
        _ = int.TryParse(Get(schema, values, "sc-status"), out var status);
        var request = new HttpRequestView(
            Get(schema, values, "cs-method"),
            Get(schema, values, "cs-uri-stem"),
            Dash(Get(schema, values, "cs-uri-query")),
            status,
            Get(schema, values, "c-ip"),
            Dash(Get(schema, values, "cs(User-Agent)")));
        return new LogEvent(LogKind.Iis, state.File, lineNumber, schema, values, line, Timestamp(schema, values), null)
        {
            Request = request,
        };
    }

    public override DateTimeOffset? ReadTimestamp(string line, LogFileState state)
    {
        if (state.Schema is null)
        {
            return null;
        }

        return Timestamp(state.Schema, line.Split(' '));
    }

    private static DateTimeOffset? Timestamp(LogSchema schema, string[] values)
    {
        var date = Get(schema, values, "date");
        var time = Get(schema, values, "time");
        return date.Length == 0 ? null : ParseUtc(time.Length == 0 ? date : date + "T" + time);
    }

    private static string Dash(string value) => value == "-" ? "" : value;

    private static string Get(LogSchema schema, string[] values, string name)
    {
        var i = schema.IndexOf(name);
        return i >= 0 && i < values.Length ? values[i] : "";
    }
}
