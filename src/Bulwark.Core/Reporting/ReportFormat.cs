namespace Bulwark.Core.Reporting;

/// <summary>The output formats of <c>bulwark scan --format</c>.</summary>
public enum ReportFormat
{
    /// <summary>The console table; rendered by the CLI, not by Core.</summary>
    Table,
    Json,
    Jsonl,
    Csv,
    Html,
}

public static class ReportFormats
{
    /// <summary>The <c>--format</c> values, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["table", "json", "jsonl", "csv", "html"];

    /// <summary>Parses a <c>--format</c> value (<c>table|json|jsonl|csv|html</c>, any letter case).</summary>
    public static bool TryParse(string? value, out ReportFormat format)
    {
        ReportFormat? parsed = value?.ToLowerInvariant() switch
        {
            "table" => ReportFormat.Table,
            "json" => ReportFormat.Json,
            "jsonl" => ReportFormat.Jsonl,
            "csv" => ReportFormat.Csv,
            "html" => ReportFormat.Html,
            _ => null,
        };
        format = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    public static string ToText(this ReportFormat format) => format switch
    {
        ReportFormat.Table => "table",
        ReportFormat.Json => "json",
        ReportFormat.Jsonl => "jsonl",
        ReportFormat.Csv => "csv",
        ReportFormat.Html => "html",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
