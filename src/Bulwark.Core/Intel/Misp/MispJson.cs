using System.Globalization;
using System.Text.Json;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// Typed access to MISP JSON that reports, rather than throws, when a member has the wrong JSON type: MISP
/// instances of different ages write numbers and booleans as strings (<c>"to_ids": "1"</c>, <c>"timestamp":
/// "1614729600"</c>), so those are accepted; anything else is a problem naming where it stood.
/// </summary>
internal static class MispJson
{
    /// <summary>Deeper than any MISP export (response → Event → Object → Attribute → Galaxy → GalaxyCluster → meta is ~10).</summary>
    public const int MaxDepth = 64;

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    public static ReadOnlyMemory<byte> SkipBom(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;

    public static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }

    public static byte[] ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Where a JSON syntax error stood, 1-based: <c>line 3, byte 22</c>.</summary>
    public static string Position(JsonException error) =>
        error.LineNumber is { } line ? $"line {line + 1}, byte {(error.BytePositionInLine ?? 0) + 1}" : "";

    /// <summary>The parser's reason without the position it appends (the position goes in the problem's Where).</summary>
    public static string Reason(JsonException error)
    {
        var message = error.Message;
        foreach (var tail in (string[])[" Path:", " LineNumber:"])
        {
            var at = message.IndexOf(tail, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd().TrimEnd('.');
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A value for a message: quoted, and cut when long so a hostile value cannot flood the report.</summary>
    public static string Quote(string value) =>
        value.Length <= 80 ? $"'{value}'" : $"'{value[..60]}…' ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";

    public static string Member(string where, string name) => where.Length == 0 ? name : $"{where}.{name}";

    public static string Item(string where, int index) => $"{where}[{index}]";

    /// <summary>A string member; null when absent or null. A wrong type or invalid UTF-8 is a problem.</summary>
    public static string? String(JsonElement obj, string name, string where, MispProblems problems)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return AsString(value, Member(where, name), problems);
    }

    public static string? AsString(JsonElement value, string where, MispProblems problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(where, $"expected a string, found {Shown(value)}");
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            problems.Add(where, "is not valid UTF-8 text");
            return null;
        }
    }

    /// <summary>A boolean member written as <c>true</c>, <c>"1"</c>, <c>1</c> or <c>"true"</c> (and the false forms).</summary>
    public static bool? Bool(JsonElement obj, string name, string where, MispProblems problems)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1:
                return n == 1;
            case JsonValueKind.String:
                switch (value.GetString())
                {
                    case "1" or "true" or "True":
                        return true;
                    case "0" or "false" or "False" or "":
                        return false;
                }

                break;
        }

        problems.Add(Member(where, name), $"expected true or false, found {Shown(value)}");
        return null;
    }

    /// <summary>An integer member written as a number or a numeric string.</summary>
    public static long? Long(JsonElement obj, string name, string where, MispProblems problems)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        problems.Add(Member(where, name), $"expected an integer, found {Shown(value)}");
        return null;
    }

    /// <summary>A member holding seconds since 1970 (MISP <c>timestamp</c>, <c>publish_timestamp</c>).</summary>
    public static DateTimeOffset? Epoch(JsonElement obj, string name, string where, MispProblems problems)
    {
        if (Long(obj, name, where, problems) is not { } seconds)
        {
            return null;
        }

        if (seconds is < 0 or > 253402300799)
        {
            problems.Add(Member(where, name), $"{seconds} is not a time in seconds since 1970 (0 to 253402300799)");
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>A member holding an ISO 8601 time (MISP <c>first_seen</c>, <c>date</c>); a date alone is midnight UTC.</summary>
    public static DateTimeOffset? Time(JsonElement obj, string name, string where, MispProblems problems)
    {
        if (String(obj, name, where, problems) is not { } text)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        problems.Add(Member(where, name), $"{Quote(text)} is not an ISO 8601 date or time");
        return null;
    }

    /// <summary>An array member; null when absent or null. A wrong type is a problem saying what was not read.</summary>
    public static JsonElement? Array(JsonElement obj, string name, string where, MispProblems problems, string what)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(Member(where, name), $"expected an array of {what}, found {Shown(value)}; no {what} were read from it");
            return null;
        }

        return value;
    }

    /// <summary>An object member; null when absent or null. A wrong type is a problem.</summary>
    public static JsonElement? Object(JsonElement obj, string name, string where, MispProblems problems)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(Member(where, name), $"expected an object, found {Shown(value)}");
            return null;
        }

        return value;
    }

    /// <summary>A list of strings (MISP <c>meta.synonyms</c>); a single string is taken as a list of one. Non-strings are problems.</summary>
    public static List<string> Strings(JsonElement obj, string name, string where, MispProblems problems)
    {
        var list = new List<string>();
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        var at = Member(where, name);
        if (value.ValueKind == JsonValueKind.String)
        {
            if (AsString(value, at, problems) is { Length: > 0 } single)
            {
                list.Add(single);
            }

            return list;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(at, $"expected an array of strings, found {Shown(value)}");
            return list;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (AsString(item, Item(at, i), problems) is { Length: > 0 } text)
            {
                list.Add(text);
            }

            i++;
        }

        return list;
    }

    /// <summary>A JSON value for a message: its type, and its text when it is a short scalar.</summary>
    public static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Quote(SafeString(value))}",
        JsonValueKind.Number => $"the number {Quote(value.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => Describe(value.ValueKind),
    };

    private static string SafeString(JsonElement value)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "(invalid UTF-8)";
        }
    }
}
