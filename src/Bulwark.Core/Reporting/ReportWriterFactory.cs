namespace Bulwark.Core.Reporting;

public static class ReportWriterFactory
{
    /// <summary>
    /// The writer for <paramref name="format"/>, or null for <see cref="ReportFormat.Table"/>, which the CLI
    /// renders itself. <paramref name="toolVersion"/> is printed in the JSON and HTML reports.
    /// </summary>
    public static IReportWriter? Create(ReportFormat format, string toolVersion) => format switch
    {
        ReportFormat.Table => null,
        ReportFormat.Json => new JsonReportWriter(toolVersion),
        ReportFormat.Jsonl => new JsonLinesReportWriter(),
        ReportFormat.Csv => new CsvReportWriter(),
        ReportFormat.Html => new HtmlReportWriter(toolVersion),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
