using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Reads one submitted finding (Core's JSON/JSONL finding shape) from untrusted JSON: every field checked for
/// presence, type, value and size, so a hostile client can neither store junk nor make a row too big to serve.
/// Unknown properties are ignored; only the known fields are kept.
/// </summary>
public static partial class SubmittedFinding
{
    public const int MaxIdLength = 64;
    public const int MaxDetectionLength = 128;
    public const int MaxTitleLength = 500;
    public const int MaxSubjectLength = 2048;
    public const int MaxRemediationLength = 16_384;
    public const int MaxSourceLength = 4096;
    public const int MaxCves = 200;
    public const int MaxAttack = 50;
    public const int MaxEvidence = FindingCollector.MaxEvidencePerFinding;
    public const int MaxFileLength = 1024;
    public const int MaxFields = 64;
    public const int MaxFieldNameLength = 128;
    public const int MaxFieldValueLength = 8192;
    public const int MaxAttribution = 20;
    public const int MaxActorLength = 200;
    public const int MaxAliases = 100;
    public const int MaxAttributionIndicators = 100;
    public const int MaxAttributionSources = 50;
    public const int MaxReferenceLength = 300;

    /// <summary>Earliest time accepted; later than every Exchange log and far from DateTimeOffset's edges.</summary>
    public static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the server's clock a time may be (clock skew).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromDays(2);

    private static readonly string[] Severities = ["info", "low", "medium", "high", "critical"];
    private static readonly string[] Confidences = ["low", "medium", "high"];

    /// <summary>The finding, or why it is rejected (naming the field).</summary>
    public static Finding? Read(JsonElement element, DateTimeOffset now, out string? reason)
    {
        try
        {
            reason = null;
            return ReadObject(element, now);
        }
        catch (RejectedException ex)
        {
            reason = ex.Message;
            return null;
        }
    }

    private static Finding ReadObject(JsonElement e, DateTimeOffset now)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new RejectedException($"expected a finding object, found {Kind(e)}");
        }

        var id = RequiredString(e, "id", MaxIdLength);
        if (!IdPattern().IsMatch(id))
        {
            throw new RejectedException("id: letters, digits, '.', '_', ':' and '-' only (e.g. BW-0797f6c9eb629a67)");
        }

        var detection = RequiredString(e, "detection", MaxDetectionLength);
        if (!DetectionPattern().IsMatch(detection))
        {
            throw new RejectedException("detection: lower-case letters, digits, '.', '_' and '-' (e.g. exchange.proxylogon.ssrf)");
        }

        var title = RequiredString(e, "title", MaxTitleLength);
        var severity = (Severity)Choice(e, "severity", Severities);
        var confidence = (Confidence)Choice(e, "confidence", Confidences);
        var cves = Strings(e, "cves", MaxCves, CvePattern(), "CVE ids such as CVE-2021-26855");
        var attack = Strings(e, "attack", MaxAttack, AttackPattern(), "ATT&CK technique ids such as T1190 or T1505.003");
        var firstSeen = Time(e, "firstSeen", now);
        var lastSeen = Time(e, "lastSeen", now);
        if (firstSeen > lastSeen)
        {
            throw new RejectedException("firstSeen: later than lastSeen");
        }

        var subject = RequiredString(e, "subject", MaxSubjectLength);
        var evidence = Evidence(e, now);
        if (!e.TryGetProperty("evidenceCount", out var countElement) || countElement.ValueKind != JsonValueKind.Number || !countElement.TryGetInt32(out var evidenceCount))
        {
            throw new RejectedException("evidenceCount: required whole number");
        }

        if (evidenceCount < evidence.Count)
        {
            throw new RejectedException($"evidenceCount: {evidenceCount} is less than the {evidence.Count} evidence items sent");
        }

        var remediation = RequiredString(e, "remediation", MaxRemediationLength, allowEmpty: true);
        var source = RequiredString(e, "source", MaxSourceLength, allowEmpty: true);
        var attribution = Attribution(e);
        var tlp = OptionalTlp(e, "tlp", null);
        if (tlp is null && attribution.Count > 0)
        {
            // Attribution without the finding's own TLP: the strictest of its actors'.
            tlp = attribution.Max(a => a.Tlp);
        }

        return new Finding(id, detection, title, severity, confidence, cves, attack, firstSeen, lastSeen, evidence, evidenceCount, remediation, source, subject)
        {
            Attribution = attribution,
            Tlp = tlp,
        };
    }

    /// <summary>The optional <c>attribution</c> array <c>bulwark scan</c> writes when it used intelligence.</summary>
    private static List<ActorAttribution> Attribution(JsonElement e)
    {
        if (!e.TryGetProperty("attribution", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new RejectedException($"attribution: expected an array of actors, found {Kind(array)}");
        }

        var length = array.GetArrayLength();
        if (length > MaxAttribution)
        {
            throw new RejectedException($"attribution: {length} actors; at most {MaxAttribution} are accepted");
        }

        var list = new List<ActorAttribution>(length);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"attribution[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new RejectedException($"{at}: expected an object, found {Kind(item)}");
            }

            var actor = RequiredString(item, "actor", MaxActorLength, at: at);
            var actorId = RequiredString(item, "actorId", MaxActorLength, at: at);
            string? country = null;
            if (item.TryGetProperty("country", out var countryElement) && countryElement.ValueKind != JsonValueKind.Null)
            {
                country = countryElement.ValueKind == JsonValueKind.String ? countryElement.GetString() : null;
                if (country is null || country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
                {
                    throw new RejectedException($"{at}.country: expected an ISO 3166-1 alpha-2 code such as CN, or null");
                }
            }

            if (!item.TryGetProperty("confidence", out var confidenceElement) || confidenceElement.ValueKind != JsonValueKind.Number || !confidenceElement.TryGetInt32(out var confidence) || confidence is < 0 or > 100)
            {
                throw new RejectedException($"{at}.confidence: required whole number from 0 to 100");
            }

            var tlp = OptionalTlp(item, "tlp", at) ?? throw new RejectedException($"{at}.tlp: required");
            var aliases = Texts(item, "aliases", MaxAliases, MaxActorLength, at);
            var indicators = Texts(item, "indicators", MaxAttributionIndicators, MaxReferenceLength, at);
            var sources = Texts(item, "sources", MaxAttributionSources, MaxReferenceLength, at);
            list.Add(new ActorAttribution(actorId, actor, country, confidence, tlp, indicators, sources) { Aliases = aliases });
        }

        return list;
    }

    private static Tlp? OptionalTlp(JsonElement e, string name, string? at)
    {
        var path = at is null ? name : $"{at}.{name}";
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return (text is null ? null : IntelEvidence.ParseTlp(text))
            ?? throw new RejectedException($"{path}: expected one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED");
    }

    /// <summary>An optional array of short strings (aliases, indicator ids, sources).</summary>
    private static List<string> Texts(JsonElement e, string name, int maxItems, int maxLength, string at)
    {
        var path = $"{at}.{name}";
        if (!e.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new RejectedException($"{path}: expected an array of strings, found {Kind(array)}");
        }

        if (array.GetArrayLength() > maxItems)
        {
            throw new RejectedException($"{path}: more than {maxItems} items");
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new RejectedException($"{itemPath}: expected a string, found {Kind(item)}");
            }

            list.Add(Text(item, itemPath, maxLength, allowEmpty: false));
        }

        return list;
    }

    private static List<Evidence> Evidence(JsonElement e, DateTimeOffset now)
    {
        if (!e.TryGetProperty("evidence", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new RejectedException("evidence: required array");
        }

        var length = array.GetArrayLength();
        if (length > MaxEvidence)
        {
            throw new RejectedException($"evidence: {length} items; at most {MaxEvidence} are accepted (evidenceCount carries the true number)");
        }

        var list = new List<Evidence>(length);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"evidence[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new RejectedException($"{at}: expected an object, found {Kind(item)}");
            }

            var file = RequiredString(item, "file", MaxFileLength, at: at);
            if (!item.TryGetProperty("line", out var lineElement) || lineElement.ValueKind != JsonValueKind.Number || !lineElement.TryGetInt64(out var line) || line < 0)
            {
                throw new RejectedException($"{at}.line: required whole number, 0 or more");
            }

            var timestamp = Time(item, "timestamp", now, at);
            if (!item.TryGetProperty("fields", out var fieldsElement) || fieldsElement.ValueKind != JsonValueKind.Object)
            {
                throw new RejectedException($"{at}.fields: required object");
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in fieldsElement.EnumerateObject())
            {
                if (fields.Count == MaxFields)
                {
                    throw new RejectedException($"{at}.fields: more than {MaxFields} fields");
                }

                var name = Text(field.Name, $"{at}.fields", MaxFieldNameLength, allowEmpty: false, what: "field name");
                if (field.Value.ValueKind != JsonValueKind.String)
                {
                    throw new RejectedException($"{at}.fields.{name}: expected a string, found {Kind(field.Value)}");
                }

                if (!fields.TryAdd(name, Text(field.Value, $"{at}.fields.{name}", MaxFieldValueLength, allowEmpty: true)))
                {
                    throw new RejectedException($"{at}.fields.{name}: appears twice");
                }
            }

            list.Add(new Evidence(file, line, timestamp, fields));
        }

        return list;
    }

    private static string RequiredString(JsonElement e, string name, int maxLength, bool allowEmpty = false, string? at = null)
    {
        var path = at is null ? name : $"{at}.{name}";
        if (!e.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new RejectedException(value.ValueKind == JsonValueKind.Undefined ? $"{path}: required" : $"{path}: expected a string, found {Kind(value)}");
        }

        return Text(value, path, maxLength, allowEmpty);
    }

    private static string Text(JsonElement value, string path, int maxLength, bool allowEmpty)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new RejectedException($"{path}: not valid text (unpaired surrogate escape)");
        }

        return Text(text, path, maxLength, allowEmpty, "value");
    }

    private static string Text(string text, string path, int maxLength, bool allowEmpty, string what)
    {
        if (text.Length > maxLength)
        {
            throw new RejectedException($"{path}: {what} longer than {maxLength} characters");
        }

        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            throw new RejectedException($"{path}: {what} is empty");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new RejectedException($"{path}: {what} contains a NUL character");
        }

        return text;
    }

    private static int Choice(JsonElement e, string name, string[] allowed)
    {
        var value = RequiredString(e, name, 16);
        var index = Array.IndexOf(allowed, value);
        return index >= 0 ? index : throw new RejectedException($"{name}: '{value}' is not one of {string.Join(", ", allowed)}");
    }

    private static List<string> Strings(JsonElement e, string name, int maxItems, Regex pattern, string expected)
    {
        if (!e.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new RejectedException($"{name}: expected an array of strings, found {Kind(array)}");
        }

        if (array.GetArrayLength() > maxItems)
        {
            throw new RejectedException($"{name}: more than {maxItems} items");
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new RejectedException($"{path}: expected a string, found {Kind(item)}");
            }

            var text = Text(item, path, 32, allowEmpty: false);
            if (!pattern.IsMatch(text))
            {
                throw new RejectedException($"{path}: '{text}' is not valid: expected {expected}");
            }

            list.Add(text);
        }

        return list;
    }

    private static DateTimeOffset? Time(JsonElement e, string name, DateTimeOffset now, string? at = null)
    {
        var path = at is null ? name : $"{at}.{name}";
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var time))
        {
            throw new RejectedException($"{path}: expected an ISO 8601 time such as 2021-03-03T06:59:11.840Z, or null");
        }

        if (time < Earliest || time > now + FutureSkew)
        {
            throw new RejectedException($"{path}: {time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is out of range (1990 to two days from now)");
        }

        return time.ToUniversalTime();
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._\-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex DetectionPattern();

    [GeneratedRegex(@"^CVE-[0-9]{4}-[0-9]{4,7}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CvePattern();

    [GeneratedRegex(@"^T[0-9]{4}(\.[0-9]{3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex AttackPattern();

    private sealed class RejectedException(string reason) : Exception(reason);
}
