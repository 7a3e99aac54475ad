using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Reporting;
using Bulwark.Data.Ingestion;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Core findings as stored rows and back; evidence and attribution kept as JSON in Core's report shape (evidence: file,
/// line, timestamp, fields; attribution: actor, actorId, country, confidence, tlp, aliases, indicators, sources).
/// </summary>
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
        AttributionJson = AttributionJson(finding.Attribution),
        Tlp = finding.Tlp,
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

    /// <summary>The stored finding as Core's finding again (for matching its evidence anew).</summary>
    public static Finding ToFinding(FindingRecord record) => new(
        record.FindingId,
        record.DetectionId,
        record.Title,
        record.Severity,
        record.Confidence,
        record.Cves,
        record.Attack,
        record.FirstSeen,
        record.LastSeen,
        ReadEvidence(record.EvidenceJson),
        record.EvidenceCount,
        record.Remediation,
        record.Source,
        record.Subject)
    {
        Attribution = ReadAttribution(record.AttributionJson),
        Tlp = record.Tlp,
    };

    /// <summary>Reads back <see cref="EvidenceJson"/> (the server's own JSON; anything it does not hold is skipped).</summary>
    public static IReadOnlyList<Evidence> ReadEvidence(string json)
    {
        var list = new List<Evidence>();
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var file = item.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
            var line = item.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt64(out var n) ? n : 0;
            DateTimeOffset? timestamp = item.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var at) ? at.ToUniversalTime() : null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (item.TryGetProperty("fields", out var o) && o.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in o.EnumerateObject())
                {
                    if (field.Value.ValueKind == JsonValueKind.String)
                    {
                        fields[field.Name] = field.Value.GetString()!;
                    }
                }
            }

            list.Add(new Evidence(file, line, timestamp, fields));
        }

        return list;
    }

    /// <summary>Attribution as stored: null when there is none.</summary>
    public static string? AttributionJson(IReadOnlyList<ActorAttribution> attribution)
    {
        if (attribution.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var a in attribution)
            {
                json.WriteStartObject();
                json.WriteString("actor", a.ActorName);
                json.WriteString("actorId", a.ActorId);
                if (a.Country is null)
                {
                    json.WriteNull("country");
                }
                else
                {
                    json.WriteString("country", a.Country);
                }

                json.WriteNumber("confidence", a.Confidence);
                json.WriteString("tlp", IntelEvidence.TlpText(a.Tlp));
                Strings(json, "aliases", a.Aliases);
                Strings(json, "indicators", a.IndicatorIds);
                Strings(json, "sources", a.Sources);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads back <see cref="AttributionJson(IReadOnlyList{ActorAttribution})"/>; entries it cannot read are skipped.</summary>
    public static IReadOnlyList<ActorAttribution> ReadAttribution(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<ActorAttribution>();
        foreach (var a in document.RootElement.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Object || Text(a, "actor") is not { } actor || Text(a, "actorId") is not { } actorId)
            {
                continue;
            }

            var confidence = a.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : 0;
            var tlp = Text(a, "tlp") is { } t ? IntelEvidence.ParseTlp(t) ?? Tlp.Amber : Tlp.Amber;
            list.Add(new ActorAttribution(actorId, actor, Text(a, "country"), confidence, tlp, Texts(a, "indicators"), Texts(a, "sources"))
            {
                Aliases = Texts(a, "aliases"),
            });
        }

        return list;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Texts(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : [];

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
