using System.Buffers;
using System.Globalization;
using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Scanning;

namespace Bulwark.Core.Reporting;

/// <summary>
/// RFC 4180 CSV, one finding per row, CRLF line ends, for spreadsheets. Lists are joined with <c>;</c>.
/// Log values are attacker-controlled and spreadsheets run formulas, so any cell that a spreadsheet could
/// read as a formula gets a leading <c>'</c> (OWASP CSV injection guidance).
/// </summary>
public sealed class CsvReportWriter : IReportWriter
{
    public const string Header =
        "id,detection,title,severity,confidence,cves,attack,first_seen,last_seen,subject,evidence_count,evidence,remediation,source";

    /// <summary>
    /// Spreadsheets cut or split cells longer than 32,767 characters; the evidence locations stop short of
    /// that and say how many more the JSON report has.
    /// </summary>
    public const int MaxEvidenceCellLength = 32_000;

    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    public void Write(ScanResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Header);
        output.Write("\r\n");
        var cell = new StringBuilder();
        foreach (var finding in result.Findings)
        {
            WriteCell(output, finding.Id);
            output.Write(',');
            WriteCell(output, finding.DetectionId);
            output.Write(',');
            WriteCell(output, finding.Title);
            output.Write(',');
            WriteCell(output, finding.Severity.ToText());
            output.Write(',');
            WriteCell(output, finding.Confidence.ToText());
            output.Write(',');
            WriteCell(output, string.Join(';', finding.Cves));
            output.Write(',');
            WriteCell(output, string.Join(';', finding.Attack));
            output.Write(',');
            WriteCell(output, finding.FirstSeen is { } first ? ReportTime.Format(first) : "");
            output.Write(',');
            WriteCell(output, finding.LastSeen is { } last ? ReportTime.Format(last) : "");
            output.Write(',');
            WriteCell(output, finding.Subject);
            output.Write(',');
            WriteCell(output, finding.EvidenceCount.ToString(CultureInfo.InvariantCulture));
            output.Write(',');
            WriteCell(output, EvidenceLocations(finding, cell.Clear()));
            output.Write(',');
            WriteCell(output, finding.Remediation);
            output.Write(',');
            WriteCell(output, finding.Source);
            output.Write("\r\n");
        }
    }

    /// <summary>Writes one cell: formula guard first, then RFC 4180 quoting.</summary>
    internal static void WriteCell(TextWriter output, string value)
    {
        var guard = LooksLikeFormula(value);
        if (value.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            if (guard)
            {
                output.Write('\'');
            }

            output.Write(value);
            return;
        }

        output.Write('"');
        if (guard)
        {
            output.Write('\'');
        }

        var rest = value.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            output.Write(rest[..(quote + 1)]);
            output.Write('"');
            rest = rest[(quote + 1)..];
        }

        output.Write(rest);
        output.Write('"');
    }

    /// <summary>
    /// A cell starting with <c>= + - @</c>, tab or CR, also after leading spaces (which some spreadsheets
    /// skip), may be run as a formula.
    /// </summary>
    internal static bool LooksLikeFormula(string value)
    {
        var start = value.AsSpan().TrimStart(' ');
        return !start.IsEmpty && FormulaStart.Contains(start[0]);
    }

    private static string EvidenceLocations(Finding finding, StringBuilder cell)
    {
        var written = 0;
        foreach (var evidence in finding.Evidence)
        {
            var length = evidence.File.Length + (evidence.Line > 0 ? 21 : 0) + 1;
            if (cell.Length + length > MaxEvidenceCellLength)
            {
                break;
            }

            if (written > 0)
            {
                cell.Append(';');
            }

            cell.Append(evidence.File);
            if (evidence.Line > 0)
            {
                cell.Append(':').Append(evidence.Line.ToString(CultureInfo.InvariantCulture));
            }

            written++;
        }

        var more = finding.Evidence.Count - written;
        if (more > 0)
        {
            cell.Append(CultureInfo.InvariantCulture, $";... {more} more in the JSON report");
        }

        return cell.ToString();
    }
}
