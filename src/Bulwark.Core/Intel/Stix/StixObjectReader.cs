using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// Maps one parsed STIX object onto the catalog. An object whose type, id, timestamps or the properties it is used
/// for are wrong is reported (naming <c>objects[i].property</c> and what was expected) and not taken; a wrong
/// descriptive property (aliases, labels, description, external references, confidence) is reported and ignored.
/// </summary>
internal sealed partial class StixObjectReader
{
    /// <summary>Relationship type Bulwark gives a sighting's link to what it saw (STIX's <c>sighting_of_ref</c>).</summary>
    public const string SightingOf = "sighting-of";

    private const string IdExpected = "an id such as \"indicator--\" followed by a lower-case UUID";
    private const int QuoteLength = 80;

    private static readonly HashSet<string> NamedTypes = new(StringComparer.Ordinal)
    {
        "intrusion-set", "threat-actor", "campaign", "malware", "tool", "attack-pattern", "identity", "report", "observed-data", "sighting",
    };

    private readonly StixReadContext _context;
    private readonly JsonElement _object;
    private readonly string _where;
    private readonly string _at;
    private bool _failed;
    private List<string> _granular = [];

    private StixObjectReader(StixReadContext context, JsonElement element, string where, string at)
    {
        _context = context;
        _object = element;
        _where = where;
        _at = at;
    }

    /// <summary>Reads <paramref name="element"/>, found at <paramref name="where"/> (<c>objects[3]</c>); <paramref name="at"/> is appended to locations (<c> (object at line 40)</c>).</summary>
    public static void Read(StixReadContext context, JsonElement element, string where, string at) =>
        new StixObjectReader(context, element, where, at).Read();

    /// <summary>How a JSON value is named in problems: "a string", "an array", "null"…</summary>
    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A value quoted for a problem message: shortened, control characters replaced, so hostile text cannot flood or drive a terminal.</summary>
    public static string Quote(string value)
    {
        var text = value.Length > QuoteLength ? string.Concat(value.AsSpan(0, QuoteLength - 1), "…") : value;
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '\uFFFD' : c);
        }

        return builder.Append('"').ToString();
    }

    [GeneratedRegex("^[a-z0-9-]+--[0-9a-f-]{36}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    private IntelSource Source => _context.Source;

    private void Read()
    {
        if (_object.ValueKind != JsonValueKind.Object)
        {
            Problem("", $"expected a STIX object, found {Kind(_object.ValueKind)}");
            return;
        }

        if (!_object.TryGetProperty("type", out var typeElement))
        {
            Problem("type", "missing: every STIX object names its type (e.g. \"indicator\")");
            return;
        }

        var type = Text(typeElement, "type", "a string naming the object's STIX type (e.g. \"indicator\")");
        if (type is null)
        {
            return;
        }

        if (type.Length is < 3 or > 250 || !TypePattern().IsMatch(type))
        {
            Problem("type", $"expected a STIX type name (3–250 lower-case letters, digits and hyphens), found {Quote(type)}");
            return;
        }

        if (type is not ("indicator" or "relationship" or "marking-definition") && !NamedTypes.Contains(type))
        {
            _context.Skipped(type);
            return;
        }

        var version = "2.0";
        if (_object.TryGetProperty("spec_version", out var specElement))
        {
            var spec = Text(specElement, "spec_version", "\"2.1\" or \"2.0\"");
            if (spec is null)
            {
                return;
            }

            if (spec is not ("2.1" or "2.0"))
            {
                Problem("spec_version", $"expected \"2.1\" or \"2.0\", found {Quote(spec)}");
                return;
            }

            version = spec;
        }

        var id = RequiredString("id", $"\"{type}--\" followed by a lower-case UUID");
        if (id is null)
        {
            return;
        }

        if (!IdPattern().IsMatch(id) || !id.StartsWith(type + "--", StringComparison.Ordinal))
        {
            Problem("id", $"expected \"{type}--\" followed by a lower-case UUID, found {Quote(id)}");
            return;
        }

        var created = RequiredTime("created");
        var modified = type == "marking-definition" ? OptionalTime("modified") : RequiredTime("modified");
        var markings = RefList("object_marking_refs");
        if (_failed)
        {
            return;
        }

        StixCustomContent.Check(_object, Problem);
        _granular = type == "marking-definition" ? [] : StixGranularMarkings.Covering(_object, type, Problem);

        switch (type)
        {
            case "marking-definition":
                ReadMarking(id);
                break;
            case "indicator":
                ReadIndicator(id, version, created, modified, markings);
                break;
            case "relationship":
                ReadRelationship(id, modified, markings);
                break;
            default:
                ReadObject(type, id, version, created, modified, markings);
                break;
        }
    }

    private void ReadMarking(string id)
    {
        var tlp = TlpMarkings.OfId(id);
        if (tlp is null && OptionalString("definition_type") == "tlp"
            && _object.TryGetProperty("definition", out var definition) && definition.ValueKind == JsonValueKind.Object
            && definition.TryGetProperty("tlp", out var level) && level.ValueKind == JsonValueKind.String)
        {
            tlp = TlpMarkings.ParseLevel(SafeString(level));
        }

        if (tlp is null && _object.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
            && extensions.TryGetProperty(TlpMarkings.Tlp2Extension, out var extension) && extension.ValueKind == JsonValueKind.Object
            && extension.TryGetProperty("tlp_2_0", out var level2) && level2.ValueKind == JsonValueKind.String)
        {
            tlp = TlpMarkings.ParseLevel(SafeString(level2));
        }

        if (tlp is null && OptionalString("name") is { } name && name.StartsWith("TLP:", StringComparison.OrdinalIgnoreCase))
        {
            tlp = TlpMarkings.ParseLevel(name);
        }

        _context.Marking(id, tlp);
        _context.Took("marking-definition");
    }

    private void ReadIndicator(string id, string version, DateTimeOffset? created, DateTimeOffset? modified, IReadOnlyList<string> markings)
    {
        var patternText = RequiredString("pattern", "the indicator's pattern as a string");
        var patternType = version == "2.0"
            ? OptionalString("pattern_type") ?? "stix"
            : RequiredString("pattern_type", "the pattern's language, e.g. \"stix\"");
        var validFrom = RequiredTime("valid_from");
        var validUntil = OptionalTime("valid_until");
        if (_failed || patternText is null || patternType is null)
        {
            return;
        }

        if (validUntil <= validFrom)
        {
            Problem("valid_until", $"expected a time after valid_from ({validFrom:yyyy-MM-ddTHH:mm:ss.fffZ}), found {validUntil:yyyy-MM-ddTHH:mm:ss.fffZ}");
            return;
        }

        Pattern? pattern = null;
        CompiledPattern compiled = new([], Complex: false, null);
        if (string.Equals(patternType, "stix", StringComparison.OrdinalIgnoreCase))
        {
            if (!Pattern.TryParse(patternText, out pattern, out var error))
            {
                Problem("pattern", $"not a valid STIX pattern: {error}");
                return;
            }

            compiled = StixFilePaths.Compile(pattern!) ?? PatternCompiler.Compile(pattern!);
            if (compiled.Unindexable is not null)
            {
                _context.Unindexable();
            }
        }

        var name = OptionalString("name");
        var description = OptionalString("description");
        var labels = Distinct(StringList("indicator_types"), StringList("labels"));
        var confidence = Confidence() ?? Source.DefaultConfidence;
        var revoked = Bool("revoked");
        _context.Took("indicator");
        var source = Source.Id;
        _context.Add(markings, _granular, tlp => _context.Catalog.Add(new IntelIndicator(id, source)
        {
            Name = name,
            Description = description,
            PatternType = patternType,
            PatternText = patternText,
            Pattern = pattern,
            Complex = compiled.Complex,
            Values = [.. compiled.Values.Select(v => v.ToIndicator(source, tlp, confidence, validFrom, validUntil, id))],
            Labels = labels,
            Tlp = tlp,
            Confidence = confidence,
            ValidFrom = validFrom,
            ValidUntil = validUntil,
            Created = created,
            Modified = modified,
            Revoked = revoked,
        }));
    }

    private void ReadRelationship(string id, DateTimeOffset? modified, IReadOnlyList<string> markings)
    {
        var type = RequiredString("relationship_type", "the relationship's type, e.g. \"indicates\"");
        var sourceRef = RequiredRef("source_ref");
        var targetRef = RequiredRef("target_ref");
        if (_failed || type is null || sourceRef is null || targetRef is null)
        {
            return;
        }

        var confidence = Confidence();
        var revoked = Bool("revoked");
        _context.Took("relationship");
        var source = Source.Id;
        _context.Add(markings, _granular, tlp => _context.Catalog.Add(new IntelRelationship(id, sourceRef, type, targetRef, source)
        {
            Confidence = confidence,
            Tlp = tlp,
            Revoked = revoked,
            Modified = modified,
        }));
    }

    private void ReadObject(string type, string id, string version, DateTimeOffset? created, DateTimeOffset? modified, IReadOnlyList<string> markings)
    {
        // Names are required by STIX for these; 2.1 made a malware's name optional.
        var name = type switch
        {
            "observed-data" or "sighting" => OptionalString("name"),
            "malware" when version == "2.1" => OptionalString("name"),
            _ => RequiredString("name", "the object's name as a string"),
        };
        string? sightingOf = null;
        if (type == "sighting")
        {
            sightingOf = RequiredRef("sighting_of_ref");
        }
        else if (type == "observed-data")
        {
            OptionalTime("first_observed");
            OptionalTime("last_observed");
        }

        if (_failed)
        {
            return;
        }

        var labels = type switch
        {
            "threat-actor" => Distinct(StringList("threat_actor_types"), StringList("labels")),
            "malware" => Distinct(StringList("malware_types"), StringList("labels")),
            "tool" => Distinct(StringList("tool_types"), StringList("labels")),
            "report" => Distinct(StringList("report_types"), StringList("labels")),
            _ => Distinct(StringList("labels"), []),
        };
        var objectRefs = type switch
        {
            "report" or "observed-data" => RefList("object_refs"),
            "sighting" => RefList("observed_data_refs"),
            _ => [],
        };
        // Nameless objects (observed data, sightings, a 2.1 malware) are shown by their first alias, else their id.
        var aliases = Distinct(StringList("aliases"), StringList("x_mitre_aliases"));
        var item = new IntelObject(id, type, name ?? aliases.FirstOrDefault() ?? id, Source.Id)
        {
            Aliases = aliases,
            Description = OptionalString("description"),
            ExternalIds = ExternalIds(),
            Labels = labels,
            Revoked = Bool("revoked"),
            Deprecated = Bool("x_mitre_deprecated"),
            Created = created,
            Modified = modified,
            Confidence = Confidence(),
            ObjectRefs = objectRefs,
        };
        _context.Took(type);
        var catalog = _context.Catalog;
        var source = Source.Id;
        _context.Add(markings, _granular, tlp =>
        {
            catalog.Add(item with { Tlp = tlp });
            if (sightingOf is not null)
            {
                catalog.Add(new IntelRelationship(id, id, SightingOf, sightingOf, source)
                {
                    Confidence = item.Confidence,
                    Tlp = tlp,
                    Revoked = item.Revoked,
                    Modified = modified,
                });
            }
        });
    }

    private List<ExternalId> ExternalIds()
    {
        var ids = new List<ExternalId>();
        if (!_object.TryGetProperty("external_references", out var references) || references.ValueKind == JsonValueKind.Null)
        {
            return ids;
        }

        if (references.ValueKind != JsonValueKind.Array)
        {
            Problem("external_references", $"expected an array of external references, found {Kind(references.ValueKind)}; ignored");
            return ids;
        }

        var i = 0;
        foreach (var reference in references.EnumerateArray())
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"external_references[{i++}]");
            if (reference.ValueKind != JsonValueKind.Object)
            {
                Problem(where, $"expected an external reference object, found {Kind(reference.ValueKind)}; ignored");
                continue;
            }

            if (!reference.TryGetProperty("external_id", out var externalId))
            {
                continue;
            }

            var system = reference.TryGetProperty("source_name", out var sourceName) ? Text(sourceName, where + ".source_name", "a string", report: true) : null;
            var value = Text(externalId, where + ".external_id", "a string", report: true);
            if (system is null || value is null)
            {
                continue;
            }

            ids.Add(new ExternalId(system is "mitre-attack" or "mitre-ics-attack" or "mitre-mobile-attack" ? ExternalId.MitreAttack : system, value));
        }

        return ids;
    }

    private string? RequiredString(string property, string expected)
    {
        if (!_object.TryGetProperty(property, out var element))
        {
            Problem(property, $"missing: expected {expected}");
            _failed = true;
            return null;
        }

        var text = Text(element, property, expected);
        _failed |= text is null;
        return text;
    }

    private string? OptionalString(string property) =>
        _object.TryGetProperty(property, out var element) && element.ValueKind != JsonValueKind.Null
            ? Text(element, property, "a string", ignored: true)
            : null;

    /// <summary>The string value of <paramref name="element"/>, or null after reporting what it was instead.</summary>
    private string? Text(JsonElement element, string property, string expected, bool ignored = false, bool report = true)
    {
        var suffix = ignored ? "; ignored" : "";
        if (element.ValueKind != JsonValueKind.String)
        {
            if (report)
            {
                Problem(property, $"expected {expected}, found {Kind(element.ValueKind)}{suffix}");
            }

            return null;
        }

        var text = SafeString(element);
        if (text is null && report)
        {
            Problem(property, $"expected {expected}, found text that is not valid UTF-8 (or an unpaired surrogate escape){suffix}");
        }

        return text;
    }

    private static string? SafeString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private DateTimeOffset? RequiredTime(string property)
    {
        if (!_object.TryGetProperty(property, out _))
        {
            Problem(property, $"missing: expected {StixTimestamp.Expected}");
            _failed = true;
            return null;
        }

        return OptionalTime(property);
    }

    /// <summary>A timestamp; a present but wrong one fails the object (validity and versions depend on it).</summary>
    private DateTimeOffset? OptionalTime(string property)
    {
        if (!_object.TryGetProperty(property, out var element))
        {
            return null;
        }

        var text = Text(element, property, StixTimestamp.Expected);
        if (text is null)
        {
            _failed = true;
            return null;
        }

        if (!StixTimestamp.TryParse(text, out var value))
        {
            Problem(property, $"expected {StixTimestamp.Expected}, found {Quote(text)}");
            _failed = true;
            return null;
        }

        return value;
    }

    private string? RequiredRef(string property)
    {
        var text = RequiredString(property, IdExpected);
        if (text is null)
        {
            return null;
        }

        if (!IdPattern().IsMatch(text))
        {
            Problem(property, $"expected {IdExpected}, found {Quote(text)}");
            _failed = true;
            return null;
        }

        return text;
    }

    /// <summary>A list of ids; malformed entries are reported and left out.</summary>
    private List<string> RefList(string property)
    {
        var ids = new List<string>();
        foreach (var (text, where) in Strings(property))
        {
            if (IdPattern().IsMatch(text))
            {
                ids.Add(text);
            }
            else
            {
                Problem(where, $"expected {IdExpected}, found {Quote(text)}; ignored");
            }
        }

        return ids;
    }

    private List<string> StringList(string property) => [.. Strings(property).Select(s => s.Text)];

    private IEnumerable<(string Text, string Where)> Strings(string property)
    {
        if (!_object.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            Problem(property, $"expected an array of strings, found {Kind(list.ValueKind)}; ignored");
            yield break;
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"{property}[{i++}]");
            if (Text(item, where, "a string", ignored: true) is { } text)
            {
                yield return (text, where);
            }
        }
    }

    private bool Bool(string property)
    {
        if (!_object.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        Problem(property, $"expected true or false, found {Kind(element.ValueKind)}; taken as false");
        return false;
    }

    private int? Confidence()
    {
        if (!_object.TryGetProperty("confidence", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value is >= 0 and <= 100)
        {
            return value;
        }

        var found = element.ValueKind == JsonValueKind.Number ? Quote(element.GetRawText()).Trim('"') : Kind(element.ValueKind);
        Problem("confidence", $"expected an integer from 0 to 100, found {found}; ignored");
        return null;
    }

    private static List<string> Distinct(List<string> first, List<string> second)
    {
        var all = new List<string>(first.Count + second.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in first.Concat(second))
        {
            if (seen.Add(value))
            {
                all.Add(value);
            }
        }

        return all;
    }

    private void Problem(string property, string message) =>
        _context.Problem(property.Length == 0 ? _where + _at : $"{_where}.{property}{_at}", message);
}
