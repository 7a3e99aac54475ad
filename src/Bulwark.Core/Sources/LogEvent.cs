namespace Bulwark.Core.Sources;

/// <summary>
/// One parsed log line. Values are looked up by column name; a missing column reads as "".
/// <see cref="Request"/> gives the HTTP view shared by IIS and HttpProxy lines.
/// </summary>
public sealed class LogEvent
{
    private readonly string[] _values;

    public LogEvent(LogKind kind, string file, long line, LogSchema schema, string[] values, string raw, DateTimeOffset? timestamp, string? protocol)
    {
        Kind = kind;
        File = file;
        Line = line;
        Schema = schema;
        _values = values;
        Raw = raw;
        Timestamp = timestamp;
        Protocol = protocol;
    }

    public LogKind Kind { get; }

    /// <summary>Path relative to the scanned root, '/' separators.</summary>
    public string File { get; }

    /// <summary>1-based line number, counting every line of the file.</summary>
    public long Line { get; }

    public LogSchema Schema { get; }

    /// <summary>The whole line as read (without the line break).</summary>
    public string Raw { get; }

    public DateTimeOffset? Timestamp { get; }

    /// <summary>HttpProxy protocol folder (<c>Ecp</c>, <c>Owa</c>…), when known.</summary>
    public string? Protocol { get; }

    public int FieldCount => _values.Length;

    public string this[string name]
    {
        get
        {
            var i = Schema.IndexOf(name);
            return i >= 0 && i < _values.Length ? _values[i] : "";
        }
    }

    public HttpRequestView? Request { get; init; }

    /// <summary>Named fields for evidence, skipping absent and empty ones.</summary>
    public Dictionary<string, string> Pick(params ReadOnlySpan<string> names)
    {
        var fields = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var value = this[name];
            if (value.Length > 0)
            {
                fields[name] = value;
            }
        }

        return fields;
    }
}

/// <summary>The request a web log line describes, whatever the log format.</summary>
public sealed record HttpRequestView(
    string Method,
    string UriStem,
    string UriQuery,
    int Status,
    string ClientIp,
    string UserAgent)
{
    /// <summary>Stem and query as one URI, the way a URL-rewrite rule sees <c>REQUEST_URI</c>.</summary>
    public string Uri => UriQuery.Length == 0 ? UriStem : UriStem + "?" + UriQuery;
}
