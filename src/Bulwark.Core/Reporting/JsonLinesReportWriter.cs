using Bulwark.Core.Scanning;

namespace Bulwark.Core.Reporting;

/// <summary>
/// JSON Lines: one finding per line (<c>\n</c>-terminated), for <c>jq</c>, SIEM ingestion and diffing two
/// scans. Coverage and read errors are not part of this format; use the JSON report for them.
/// </summary>
public sealed class JsonLinesReportWriter : IReportWriter
{
    public void Write(ScanResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var sink = new JsonTextSink(output, indented: false);
        foreach (var finding in result.Findings)
        {
            FindingJson.Write(sink.Json, finding);
            sink.Drain();
            output.Write('\n');

            // Each line is its own JSON document.
            sink.Json.Reset();
        }
    }
}
