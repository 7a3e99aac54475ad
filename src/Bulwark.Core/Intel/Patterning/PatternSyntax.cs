using System.Buffers;
using System.Globalization;
using System.Text;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>Keywords and text helpers shared by the lexer, the parser and the canonical writer.</summary>
internal static class PatternSyntax
{
    public static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN",
        "START", "STOP", "SECONDS", "TRUE", "FALSE", "WITHIN", "REPEATS", "TIMES", "true", "false",
    };

    private static readonly SearchValues<char> IdentifierTail =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    /// <summary>A property name that may be written without quotes.</summary>
    public static bool IsBareProperty(string name) =>
        name.Length > 0 && IsIdentifierStart(name[0]) && !name.AsSpan().ContainsAnyExcept(IdentifierTail)
        && !Keywords.Contains(name);

    public static void WritePropertyName(StringBuilder builder, string name)
    {
        if (IsBareProperty(name))
            builder.Append(name);
        else
            WriteQuoted(builder, name);
    }

    public static void WriteQuoted(StringBuilder builder, string value)
    {
        builder.Append('\'');
        foreach (var c in value)
        {
            if (c is '\'' or '\\')
                builder.Append('\\');
            builder.Append(c);
        }

        builder.Append('\'');
    }

    public static void WriteTimestamp(StringBuilder builder, DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        builder.Append("t'").Append(utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
            builder.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
        builder.Append("Z'");
    }

    /// <summary>Shortens text quoted in an error so a hostile pattern is not echoed whole.</summary>
    public static string Excerpt(string text, int start, int length)
    {
        const int Max = 32;
        length = Math.Min(length, text.Length - start);
        return length <= Max ? text.Substring(start, length) : string.Concat(text.AsSpan(start, Max), "…");
    }

    /// <summary>A character as shown in an error: itself if printable, else U+XXXX.</summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
            ? $"U+{(int)c:X4}"
            : c.ToString();
}
