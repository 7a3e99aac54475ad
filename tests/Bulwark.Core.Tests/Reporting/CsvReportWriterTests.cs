using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using static Bulwark.Core.Tests.Reporting.ReportSamples;

namespace Bulwark.Core.Tests.Reporting;

public class CsvReportWriterTests
{
    [Fact]
    public void Csv_matches_golden_file()
    {
        Golden.AssertMatches("report.csv", Render(new CsvReportWriter(), Both()));
    }

    [Fact]
    public void Csv_rows_parse_back_to_the_finding_values()
    {
        var rows = Parse(Render(new CsvReportWriter(), Both()));

        Assert.Equal(3, rows.Count);
        Assert.Equal(CsvReportWriter.Header.Split(','), rows[0]);
        Assert.Equal(
            [
                "BW-3f2a9c1d5e6b7a80", "exchange.proxylogon.ssrf", "ProxyLogon server-side request forgery", "critical", "high",
                "CVE-2021-26855", "T1190", "2021-03-03T07:39:04.123Z", "2021-03-03T08:02:11Z", "ServerInfo~a]@mail.example.org:444",
                "3", $"{EcpLog}:123;{EcpLog}:4071", Ssrf.Remediation, "Microsoft Threat Intelligence, HAFNIUM (2021-03-02)",
            ],
            rows[1]);
        Assert.Equal(
            [
                "BW-0c1d2e3f40516273", "exchange.webshell.request", "Request to a possible web shell", "medium", "low",
                "", "T1505.003;T1190", "", "", "'" + Formula,
                "2", $"{ShellFile};{IisLog}:57", Shell.Remediation, "Bulwark",
            ],
            rows[2]);
    }

    [Theory]
    [InlineData("=1+1", true)]
    [InlineData("+1", true)]
    [InlineData("-1", true)]
    [InlineData("@SUM(A1)", true)]
    [InlineData("\tx", true)]
    [InlineData("\rx", true)]
    [InlineData("  =HYPERLINK(\"x\")", true)]
    [InlineData("a=b", false)]
    [InlineData("", false)]
    [InlineData("Ünïcødé", false)]
    public void Csv_guards_cells_a_spreadsheet_would_run_as_a_formula(string value, bool guarded)
    {
        using var output = new StringWriter();
        CsvReportWriter.WriteCell(output, value);

        var cell = Parse(output.ToString())[0][0];

        Assert.Equal(guarded ? "'" + value : value, cell);
    }

    [Fact]
    public void Csv_quotes_cells_with_quotes_commas_and_line_breaks()
    {
        using var output = new StringWriter();
        CsvReportWriter.WriteCell(output, Awkward);

        Assert.Equal("\"a \"\"quoted\"\", value\nnext line Ünïcødé\"", output.ToString());
        Assert.Equal(Awkward, Parse(output.ToString())[0][0]);
    }

    [Fact]
    public void Csv_quotes_a_guarded_cell_that_has_a_comma()
    {
        using var output = new StringWriter();
        CsvReportWriter.WriteCell(output, "=HYPERLINK(\"http://x\",\"y\")");

        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", output.ToString());
    }

    [Fact]
    public void Csv_keeps_the_evidence_cell_within_spreadsheet_limits()
    {
        var evidence = Enumerable.Range(1, 1000)
            .Select(n => new Evidence(EcpLog, n, null, new Dictionary<string, string>()))
            .ToList();
        var finding = Ssrf with { Evidence = evidence, EvidenceCount = 1500 };

        var cell = Parse(Render(new CsvReportWriter(), Result(finding)))[1][11];

        Assert.True(cell.Length <= CsvReportWriter.MaxEvidenceCellLength + 40, $"{cell.Length} characters");
        var kept = cell.Split(';');
        var listed = kept.Length - 1;
        Assert.Equal($"{EcpLog}:{listed}", kept[^2]);
        Assert.Equal($"... {1000 - listed} more in the JSON report", kept[^1]);
    }

    /// <summary>A strict RFC 4180 reader: CRLF between records, quotes doubled inside quoted fields.</summary>
    private static List<string[]> Parse(string text)
    {
        if (text.Length == 0)
        {
            return [[""]];
        }

        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    Assert.NotEqual('"', text[i]);
                    field.Append(text[i++]);
                }
            }

            row.Add(field.ToString());
            field.Clear();
            if (i == text.Length)
            {
                rows.Add([.. row]);
                break;
            }

            if (text[i] == ',')
            {
                i++;
                continue;
            }

            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            rows.Add([.. row]);
            row.Clear();
            if (i == text.Length)
            {
                break;
            }
        }

        return rows;
    }
}
