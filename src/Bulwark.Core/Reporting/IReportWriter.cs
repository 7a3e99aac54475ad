using Bulwark.Core.Scanning;

namespace Bulwark.Core.Reporting;

/// <summary>
/// Writes a scan's findings in one output format. Findings are written one at a time as the writer walks
/// the result, so a report of many findings is never held whole in memory. The caller owns (and flushes)
/// the <see cref="TextWriter"/>.
/// </summary>
public interface IReportWriter
{
    void Write(ScanResult result, TextWriter output);
}
