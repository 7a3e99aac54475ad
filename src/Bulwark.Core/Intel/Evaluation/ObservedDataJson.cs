using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// Reads a STIX <c>observed-data</c> object into an <see cref="Observation"/>: <c>first_observed</c>,
/// <c>last_observed</c>, <c>number_observed</c>, and the objects — STIX 2.0's <c>objects</c> dictionary keyed by
/// local reference, or STIX 2.1's <c>object_refs</c> resolved against the bundle (the ids become the references,
/// which is what 2.1 objects' <c>*_ref</c> properties hold). Values keep their JSON types; properties named
/// <c>*_hex</c> and <c>*_bin</c> are decoded to bytes, as the reference matcher does. A malformed object is refused
/// with the JSON path of the problem and what was expected.
/// </summary>
public static class ObservedDataJson
{
    /// <summary>Deepest nesting of lists and dictionaries read inside one object.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads <paramref name="observedData"/>, or throws <see cref="FormatException"/> naming where and why.</summary>
    public static Observation Read(JsonElement observedData, IReadOnlyDictionary<string, JsonElement>? bundleObjects = null)
    {
        if (observedData.ValueKind != JsonValueKind.Object)
        {
            throw Error("$", $"expected an observed-data object, found {Describe(observedData)}");
        }

        var first = Timestamp(observedData, "first_observed");
        var last = Timestamp(observedData, "last_observed");
        if (last < first)
        {
            throw Error("$.last_observed", "is before first_observed");
        }

        if (!observedData.TryGetProperty("number_observed", out var number) || number.ValueKind != JsonValueKind.Number
            || !number.TryGetInt64(out var count) || count < 1)
        {
            throw Error("$.number_observed", $"expected a whole number of at least 1, found {Describe(number)}");
        }

        var objects = new List<(string, ObservedObject)>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        var hasDictionary = observedData.TryGetProperty("objects", out var dictionary);
        if (hasDictionary && dictionary.ValueKind != JsonValueKind.Object)
        {
            throw Error("$.objects", $"expected a dictionary of objects keyed by reference, found {Describe(dictionary)}");
        }

        var hasReferences = observedData.TryGetProperty("object_refs", out var ids);
        if (hasDictionary && (!hasReferences || dictionary.EnumerateObject().Any()))
        {
            // STIX 2.0: the objects themselves, keyed by local reference.
            foreach (var property in dictionary.EnumerateObject())
            {
                var where = "$.objects" + Key(property.Name);
                if (!references.Add(property.Name))
                {
                    throw Error(where, "reference is given twice");
                }

                objects.Add((property.Name, Object(property.Value, where)));
            }
        }
        else if (hasReferences)
        {
            // STIX 2.1: ids of objects elsewhere in the bundle.
            if (ids.ValueKind != JsonValueKind.Array)
            {
                throw Error("$.object_refs", $"expected a list of object ids, found {Describe(ids)}");
            }

            var i = 0;
            foreach (var reference in ids.EnumerateArray())
            {
                var where = string.Create(CultureInfo.InvariantCulture, $"$.object_refs[{i++}]");
                if (reference.ValueKind != JsonValueKind.String)
                {
                    throw Error(where, $"expected an object id, found {Describe(reference)}");
                }

                var id = Text(reference, where);
                if (bundleObjects is null || !bundleObjects.TryGetValue(id, out var target))
                {
                    throw Error(where, $"'{Shorten(id)}' is not among the objects given with the observed-data");
                }

                if (references.Add(id))
                {
                    objects.Add((id, Object(target, Shorten(id))));
                }
            }
        }
        else
        {
            throw Error("$", "has neither 'objects' nor 'object_refs'");
        }

        return new Observation(first, last, count, [.. objects]);
    }

    /// <summary>Reads <paramref name="observedData"/>; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryRead(
        JsonElement observedData,
        [NotNullWhen(true)] out Observation? observation,
        [NotNullWhen(false)] out string? error,
        IReadOnlyDictionary<string, JsonElement>? bundleObjects = null)
    {
        try
        {
            observation = Read(observedData, bundleObjects);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            observation = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// Reads every <c>observed-data</c> of a STIX bundle (2.0 or 2.1), in order; one that is malformed is reported with
    /// its id and the rest are still read.
    /// </summary>
    public static (List<Observation> Observations, List<string> Problems) ReadBundle(JsonElement bundle)
    {
        var observations = new List<Observation>();
        var problems = new List<string>();
        if (bundle.ValueKind != JsonValueKind.Object || !bundle.TryGetProperty("objects", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            problems.Add("$: expected a bundle with an 'objects' list");
            return (observations, problems);
        }

        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && SafeText(id) is { } key)
            {
                byId.TryAdd(key, item);
            }
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var position = index++;
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var type) || SafeText(type) != "observed-data")
            {
                continue;
            }

            var name = item.TryGetProperty("id", out var id) && SafeText(id) is { } text
                ? Shorten(text)
                : string.Create(CultureInfo.InvariantCulture, $"objects[{position}]");
            if (TryRead(item, out var observation, out var error, byId))
            {
                observations.Add(observation);
            }
            else
            {
                problems.Add($"{name}: {error}");
            }
        }

        return (observations, problems);
    }

    private static string? SafeText(JsonElement element)
    {
        try
        {
            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Text(JsonElement element, string where)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Error(where, "string is not valid Unicode (bad UTF-8 or an unpaired surrogate escape)");
        }
    }

    private static DateTimeOffset Timestamp(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && StixTimestamp.TryParse(Text(value, "$." + name), out var ticks))
        {
            return new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        throw Error("$." + name, $"expected a timestamp like 2016-01-01T00:00:00Z, found {Describe(value)}");
    }

    private static ObservedObject Object(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(where, $"expected an object, found {Describe(element)}");
        }

        if (!element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || Text(type, where + ".type") is not { Length: > 0 } typeName)
        {
            throw Error(where + ".type", $"expected the object's type as a string, found {Describe(type)}");
        }

        return new ObservedObject(typeName, Dictionary(element, where, 1, skipType: true));
    }

    private static ObservedDictionary Dictionary(JsonElement element, string where, int depth, bool skipType)
    {
        var entries = new List<(string, ObservedValue)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (skipType && property.NameEquals("type"))
            {
                continue;
            }

            var at = where + Key(property.Name);
            if (!names.Add(property.Name))
            {
                throw Error(at, "property is given twice");
            }

            entries.Add((property.Name, Value(property.Name, property.Value, at, depth)));
        }

        return ObservedDictionary.Own([.. entries]);
    }

    private static ObservedValue Value(string name, JsonElement element, string where, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error(where, string.Create(CultureInfo.InvariantCulture, $"nested deeper than {MaxDepth} lists and dictionaries"));
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = Text(element, where);
                if (name.EndsWith("_hex", StringComparison.Ordinal))
                {
                    try
                    {
                        return ObservedValue.Binary(Convert.FromHexString(text));
                    }
                    catch (FormatException)
                    {
                        throw Error(where, "expected hex digits in pairs (the property name ends in _hex)");
                    }
                }

                if (name.EndsWith("_bin", StringComparison.Ordinal))
                {
                    try
                    {
                        return ObservedValue.Binary(Convert.FromBase64String(text));
                    }
                    catch (FormatException)
                    {
                        throw Error(where, "expected base64 (the property name ends in _bin)");
                    }
                }

                return ObservedValue.String(text);
            case JsonValueKind.Number:
                return element.TryGetInt64(out var integer) ? ObservedValue.Integer(integer) : ObservedValue.Float(element.GetDouble());
            case JsonValueKind.True:
                return ObservedValue.Boolean(true);
            case JsonValueKind.False:
                return ObservedValue.Boolean(false);
            case JsonValueKind.Null:
                return ObservedValue.Null;
            case JsonValueKind.Array:
                var items = new ObservedValue[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    // Elements of a *_hex / *_bin list are decoded like the property itself.
                    items[i] = Value(name, item, string.Create(CultureInfo.InvariantCulture, $"{where}[{i}]"), depth + 1);
                    i++;
                }

                return ObservedValue.List(items);
            default:
                return ObservedValue.Dictionary(Dictionary(element, where, depth + 1, skipType: false));
        }
    }

    private static string Key(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') && !char.IsAsciiDigit(name[0])
            ? "." + name
            : "['" + (name.Length <= 40 ? name : name[..40] + "…").Replace("'", "\\'", StringComparison.Ordinal) + "']";

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.String => "'" + Shorten(element.GetRawText().Trim('"')) + "'",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => Shorten(element.GetRawText()),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static FormatException Error(string where, string message) => new($"{where}: {message}");
}
