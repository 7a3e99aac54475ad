using System.Text.Json;
using Bulwark.Core.Findings;

namespace Bulwark.Core.Reporting;

/// <summary>The JSON shape of one finding, shared by the JSON and JSON Lines reports.</summary>
internal static class FindingJson
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText DetectionName = JsonEncodedText.Encode("detection");
    private static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText ConfidenceName = JsonEncodedText.Encode("confidence");
    private static readonly JsonEncodedText Cves = JsonEncodedText.Encode("cves");
    private static readonly JsonEncodedText Attack = JsonEncodedText.Encode("attack");
    private static readonly JsonEncodedText FirstSeen = JsonEncodedText.Encode("firstSeen");
    private static readonly JsonEncodedText LastSeen = JsonEncodedText.Encode("lastSeen");
    private static readonly JsonEncodedText Subject = JsonEncodedText.Encode("subject");
    private static readonly JsonEncodedText EvidenceCount = JsonEncodedText.Encode("evidenceCount");
    private static readonly JsonEncodedText EvidenceName = JsonEncodedText.Encode("evidence");
    private static readonly JsonEncodedText File = JsonEncodedText.Encode("file");
    private static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Fields = JsonEncodedText.Encode("fields");
    private static readonly JsonEncodedText Remediation = JsonEncodedText.Encode("remediation");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText TlpName = JsonEncodedText.Encode("tlp");
    private static readonly JsonEncodedText AttributionName = JsonEncodedText.Encode("attribution");
    private static readonly JsonEncodedText Actor = JsonEncodedText.Encode("actor");
    private static readonly JsonEncodedText ActorId = JsonEncodedText.Encode("actorId");
    private static readonly JsonEncodedText Country = JsonEncodedText.Encode("country");
    private static readonly JsonEncodedText Aliases = JsonEncodedText.Encode("aliases");
    private static readonly JsonEncodedText Indicators = JsonEncodedText.Encode("indicators");
    private static readonly JsonEncodedText Sources = JsonEncodedText.Encode("sources");

    public static void Write(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString(Id, finding.Id);
        json.WriteString(DetectionName, finding.DetectionId);
        json.WriteString(Title, finding.Title);
        json.WriteString(SeverityName, finding.Severity.ToText());
        json.WriteString(ConfidenceName, finding.Confidence.ToText());
        WriteStrings(json, Cves, finding.Cves);
        WriteStrings(json, Attack, finding.Attack);
        WriteTime(json, FirstSeen, finding.FirstSeen);
        WriteTime(json, LastSeen, finding.LastSeen);
        json.WriteString(Subject, finding.Subject);
        json.WriteNumber(EvidenceCount, finding.EvidenceCount);
        json.WriteStartArray(EvidenceName);
        foreach (var evidence in finding.Evidence)
        {
            json.WriteStartObject();
            json.WriteString(File, evidence.File);
            json.WriteNumber(Line, evidence.Line);
            WriteTime(json, Timestamp, evidence.Timestamp);
            json.WriteStartObject(Fields);
            foreach (var (name, value) in evidence.Fields)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString(Remediation, finding.Remediation);
        json.WriteString(Source, finding.Source);

        // Only findings that used intelligence carry these, so reports without intel keep their shape.
        if (finding.Tlp is { } tlp)
        {
            json.WriteString(TlpName, Intel.Matching.IntelEvidence.TlpText(tlp));
        }

        if (finding.Attribution.Count > 0)
        {
            json.WriteStartArray(AttributionName);
            foreach (var a in finding.Attribution)
            {
                json.WriteStartObject();
                json.WriteString(Actor, a.ActorName);
                json.WriteString(ActorId, a.ActorId);
                if (a.Country is null)
                {
                    json.WriteNull(Country);
                }
                else
                {
                    json.WriteString(Country, a.Country);
                }

                json.WriteNumber(ConfidenceName, a.Confidence);
                json.WriteString(TlpName, Intel.Matching.IntelEvidence.TlpText(a.Tlp));
                WriteStrings(json, Aliases, a.Aliases);
                WriteStrings(json, Indicators, a.IndicatorIds);
                WriteStrings(json, Sources, a.Sources);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static void WriteTime(Utf8JsonWriter json, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is not { } time)
        {
            json.WriteNull(name);
            return;
        }

        Span<char> text = stackalloc char[ReportTime.MaxLength];
        json.WriteString(name, text[..ReportTime.Format(time, text)]);
    }

    private static void WriteStrings(Utf8JsonWriter json, JsonEncodedText name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
