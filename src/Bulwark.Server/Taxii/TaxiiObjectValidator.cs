using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data.Taxii;

namespace Bulwark.Server.Taxii;

/// <summary>
/// Checks one posted object before it is stored: a JSON object with a STIX <c>type</c>, an <c>id</c> of that type
/// (<c>type--UUID</c>, lowercase), <c>spec_version</c> 2.1, valid <c>created</c>/<c>modified</c> timestamps in order,
/// and no TLP marking stricter than the collection takes. A refusal says where (<c>objects[3]</c>) and why.
/// </summary>
public static class TaxiiObjectValidator
{
    public const string SpecVersion = "2.1";

    public static (TaxiiCandidate? Candidate, TaxiiStatusDetail? Refusal) Validate(JsonElement e, int index, TaxiiTlp? maxTlp)
    {
        var where = $"objects[{index.ToString(CultureInfo.InvariantCulture)}]";
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Refuse("", "", $"{where}: expected a STIX object (a JSON object), found {Kind(e)}");
        }

        var id = e.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : "";
        var modifiedText = e.TryGetProperty("modified", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";

        if (!e.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return Refuse(id, modifiedText, $"{where}: 'type' is required (a string such as \"indicator\")");
        }

        var type = typeElement.GetString()!;
        if (!IsStixType(type))
        {
            return Refuse(id, modifiedText, $"{where}: 'type' must be 3 to 250 lowercase letters, digits and hyphens, found '{Shorten(type)}'");
        }

        if (type == "bundle")
        {
            return Refuse(id, modifiedText, $"{where}: a bundle is not stored as an object; post the objects it holds");
        }

        if (idElement.ValueKind != JsonValueKind.String)
        {
            return Refuse("", modifiedText, $"{where}: 'id' is required (\"{type}--<UUID>\")");
        }

        if (!IsStixId(id, type))
        {
            return Refuse(id, modifiedText, $"{where}: 'id' must be \"{type}--\" and a lowercase UUID, found '{Shorten(id)}'");
        }

        var created = Timestamp(e, "created", where, out var createdError);
        var modified = Timestamp(e, "modified", where, out var modifiedError);
        if ((createdError ?? modifiedError) is { } timestampError)
        {
            return Refuse(id, modifiedText, timestampError);
        }

        string specVersion;
        if (e.TryGetProperty("spec_version", out var spec))
        {
            if (spec.ValueKind != JsonValueKind.String || spec.GetString() != SpecVersion)
            {
                return Refuse(id, modifiedText, $"{where}: 'spec_version' must be \"{SpecVersion}\", found {Kind(spec)}");
            }

            specVersion = SpecVersion;
        }
        else if (created is not null || modified is not null)
        {
            return Refuse(id, modifiedText, $"{where}: 'spec_version' is required (\"{SpecVersion}\"); STIX 2.0 objects are not taken");
        }
        else
        {
            // A 2.1 cyber-observable may leave spec_version out; it then means 2.1.
            specVersion = SpecVersion;
        }

        if (modified is not null && created is null)
        {
            return Refuse(id, modifiedText, $"{where}: 'modified' is given without 'created'");
        }

        if (modified is { } mod && created is { } cre && mod < cre)
        {
            return Refuse(id, modifiedText, $"{where}: 'modified' ({modifiedText}) is before 'created' ({e.GetProperty("created").GetString()})");
        }

        var level = Strictest(e, where, out var markingError);
        if (markingError is not null)
        {
            return Refuse(id, modifiedText, markingError);
        }

        if (level is { } marked && maxTlp is { } max && marked > max)
        {
            return Refuse(id, modifiedText, $"{where}: marked {TaxiiMarkings.Name(marked)}; this collection takes at most {TaxiiMarkings.Name(max)}");
        }

        var version = modified ?? created;
        var versionText = modified is not null ? modifiedText : created is not null ? e.GetProperty("created").GetString()! : "";
        return (new TaxiiCandidate(index, id, type, specVersion, version is { } v ? TaxiiTime.ToMicroseconds(v) : null, versionText, e.GetRawText()), null);
    }

    internal static bool IsStixType(string type)
    {
        if (type.Length is < 3 or > 250 || type[0] == '-' || type[^1] == '-' || type.Contains("--", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in type)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsStixId(string id, string type)
    {
        if (id.Length != type.Length + 2 + 36 || !id.StartsWith(type, StringComparison.Ordinal) || id[type.Length] != '-' || id[type.Length + 1] != '-')
        {
            return false;
        }

        var uuid = id.AsSpan(type.Length + 2);
        foreach (var c in uuid)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return Guid.TryParseExact(uuid, "D", out _);
    }

    private static DateTimeOffset? Timestamp(JsonElement e, string name, string where, out string? error)
    {
        error = null;
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && TaxiiTime.TryParse(value.GetString(), out var instant))
        {
            return instant;
        }

        error = $"{where}: '{name}' must be a timestamp (YYYY-MM-DDTHH:MM:SS[.sss]Z), found {Kind(value)}";
        return null;
    }

    /// <summary>The strictest TLP among the object's markings (object and granular); unknown markings are not TLP.</summary>
    private static TaxiiTlp? Strictest(JsonElement e, string where, out string? error)
    {
        error = null;
        TaxiiTlp? strictest = null;
        if (e.TryGetProperty("object_marking_refs", out var refs))
        {
            if (refs.ValueKind != JsonValueKind.Array)
            {
                error = $"{where}: 'object_marking_refs' must be a list of marking-definition ids, found {Kind(refs)}";
                return null;
            }

            foreach (var r in refs.EnumerateArray())
            {
                Take(r);
            }
        }

        if (e.TryGetProperty("granular_markings", out var granular) && granular.ValueKind == JsonValueKind.Array)
        {
            foreach (var g in granular.EnumerateArray())
            {
                if (g.ValueKind == JsonValueKind.Object && g.TryGetProperty("marking_ref", out var r))
                {
                    Take(r);
                }
            }
        }

        return strictest;

        void Take(JsonElement r)
        {
            if (r.ValueKind == JsonValueKind.String && TaxiiMarkings.Level(r.GetString()!) is { } level && (strictest is null || level > strictest))
            {
                strictest = level;
            }
        }
    }

    private static (TaxiiCandidate?, TaxiiStatusDetail?) Refuse(string id, string version, string message) => (null, new TaxiiStatusDetail(id, version, message));

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"'{Shorten(e.GetString()!)}'",
        JsonValueKind.Number => $"the number {Shorten(e.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
