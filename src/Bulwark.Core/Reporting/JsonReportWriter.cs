using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Scanning;

namespace Bulwark.Core.Reporting;

/// <summary>One indented JSON document: tool, summary with the verdict, findings, log coverage and read errors.</summary>
public sealed class JsonReportWriter(string toolVersion) : IReportWriter
{
    private static readonly Severity[] WorstFirst =
        [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Info];

    private static readonly JsonEncodedText Earliest = JsonEncodedText.Encode("earliest");
    private static readonly JsonEncodedText Latest = JsonEncodedText.Encode("latest");

    public void Write(ScanResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var sink = new JsonTextSink(output, indented: true);
        var json = sink.Json;
        json.WriteStartObject();
        json.WriteString("tool", "bulwark");
        json.WriteString("version", toolVersion);
        json.WriteString("root", result.Root);
        WriteSummary(json, result);
        sink.Drain();

        json.WriteStartArray("findings");
        foreach (var finding in result.Findings)
        {
            FindingJson.Write(json, finding);
            sink.Drain();
        }

        json.WriteEndArray();

        json.WriteStartArray("coverage");
        foreach (var coverage in result.Coverage)
        {
            json.WriteStartObject();
            json.WriteString("folder", coverage.Folder);
            json.WriteString("kind", coverage.Kind);
            json.WriteNumber("files", coverage.Files);
            FindingJson.WriteTime(json, Earliest, coverage.Earliest);
            FindingJson.WriteTime(json, Latest, coverage.Latest);
            json.WriteString("warning", coverage.Warning);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        sink.Drain();

        json.WriteStartArray("errors");
        foreach (var error in result.Errors)
        {
            json.WriteStartObject();
            json.WriteString("file", error.File);
            json.WriteNumber("line", error.Line);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
            sink.Drain();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        sink.Drain();
        output.Write('\n');
    }

    private static void WriteSummary(Utf8JsonWriter json, ScanResult result)
    {
        Span<int> counts = stackalloc int[WorstFirst.Length];
        foreach (var finding in result.Findings)
        {
            counts[Array.IndexOf(WorstFirst, finding.Severity)]++;
        }

        var stats = result.Statistics;
        json.WriteStartObject("summary");
        json.WriteString("verdict", Verdicts.Of(result.Findings).ToText());
        json.WriteNumber("findings", result.Findings.Count);
        json.WriteStartObject("bySeverity");
        for (var i = 0; i < WorstFirst.Length; i++)
        {
            json.WriteNumber(WorstFirst[i].ToText(), counts[i]);
        }

        json.WriteEndObject();
        json.WriteNumber("files", stats.FilesScanned);
        json.WriteNumber("logFiles", stats.LogFiles);
        json.WriteNumber("bytes", stats.Bytes);
        json.WriteNumber("lines", stats.Lines);
        json.WriteNumber("elapsedSeconds", Math.Round(stats.Elapsed.TotalSeconds, 3));
        json.WriteEndObject();
    }
}
