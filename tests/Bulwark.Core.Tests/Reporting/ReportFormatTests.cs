using Bulwark.Core.Reporting;

namespace Bulwark.Core.Tests.Reporting;

public class ReportFormatTests
{
    [Theory]
    [InlineData("table", ReportFormat.Table)]
    [InlineData("json", ReportFormat.Json)]
    [InlineData("jsonl", ReportFormat.Jsonl)]
    [InlineData("csv", ReportFormat.Csv)]
    [InlineData("html", ReportFormat.Html)]
    [InlineData("HTML", ReportFormat.Html)]
    public void Format_parses_cli_values(string value, ReportFormat expected)
    {
        Assert.True(ReportFormats.TryParse(value, out var format));
        Assert.Equal(expected, format);
        Assert.Equal(value.ToLowerInvariant(), format.ToText());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xml")]
    [InlineData("json ")]
    public void Format_rejects_unknown_values(string? value)
    {
        Assert.False(ReportFormats.TryParse(value, out _));
    }

    [Fact]
    public void Format_names_are_the_cli_values()
    {
        Assert.Equal(["table", "json", "jsonl", "csv", "html"], ReportFormats.Names);
    }

    [Fact]
    public void Factory_leaves_the_table_to_the_cli_and_builds_the_others()
    {
        Assert.Null(ReportWriterFactory.Create(ReportFormat.Table, "1.0"));
        Assert.IsType<JsonReportWriter>(ReportWriterFactory.Create(ReportFormat.Json, "1.0"));
        Assert.IsType<JsonLinesReportWriter>(ReportWriterFactory.Create(ReportFormat.Jsonl, "1.0"));
        Assert.IsType<CsvReportWriter>(ReportWriterFactory.Create(ReportFormat.Csv, "1.0"));
        Assert.IsType<HtmlReportWriter>(ReportWriterFactory.Create(ReportFormat.Html, "1.0"));
    }
}
