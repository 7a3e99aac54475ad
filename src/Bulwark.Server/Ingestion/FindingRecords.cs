using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using Bulwark.Data.Ingestion;

namespace Bulwark.Server.Ingestion;

/// <summary>Core findings as stored rows; evidence kept as JSON in Core's report shape (file, line, timestamp, fields).</summary>
public static class FindingRecords
{
    public static FindingRecord From(Finding finding, Guid organisationId, FindingOrigin origin, Guid? uploadId, DateTimeOffset receivedAt) => new()
    {
        Id = Guid.CreateVersion7(receivedAt),
        OrganisationId = organisationId,
        FindingId = finding.Id,
        DetectionId = finding.DetectionId,
        Title = finding.Title,
        Severity = finding.Severity,
        Confidence = finding.Confidence,
        Cves = [.. finding.Cves],
        Attack = [.. finding.Attack],
        FirstSeen = finding.FirstSeen?.ToUniversalTime(),
        LastSeen = finding.LastSeen?.ToUniversalTime(),
        Subject = finding.Subject,
        EvidenceCount = finding.EvidenceCount,
        EvidenceJson = EvidenceJson(finding.Evidence),
        Remediation = finding.Remediation,
        Source = finding.Source,
        Origin = origin,
        UploadId = uploadId,
        ReceivedAt = receivedAt,
    };

    public static string EvidenceJson(IEnumerable<Evidence> evidence)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in evidence)
            {
                json.WriteStartObject();
                json.WriteString("file", e.File);
                json.WriteNumber("line", e.Line);
                if (e.Timestamp is { } t)
                {
                    json.WriteString("timestamp", ReportTime.Format(t));
                }
                else
                {
                    json.WriteNull("timestamp");
                }

                json.WriteStartObject("fields");
                foreach (var (name, value) in e.Fields)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
