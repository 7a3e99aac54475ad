namespace Bulwark.Core.Intel.Evaluation;

/// <summary>How an ordering comparison between an observed value and a literal came out.</summary>
internal enum OrderResult : byte
{
    /// <summary>The types cannot be ordered: the comparison is false, even under NOT.</summary>
    Incomparable,

    /// <summary>Binary against a string with characters above U+00FF: false, and true under NOT.</summary>
    Invalid,

    /// <summary>Compared; the sign is in the out value.</summary>
    Ordered,
}

/// <summary>
/// STIX patterning's type rules, as the OASIS reference matcher (cti-pattern-matcher) applies them: integers and
/// floats compare with each other; strings with strings; bytes with bytes, and with strings whose characters are all
/// below U+0100 (read as Latin-1); timestamps with timestamps and with strings in RFC 3339 form; booleans only for
/// equality. Any other pairing is unequal and unordered. Two additions: strings that both read as IP addresses or
/// ranges compare as addresses (the spec's own examples write <c>ipv4-addr:value = '198.51.100.1/32'</c>), and
/// values under <c>hashes</c> compare ignoring case.
/// </summary>
internal static class ValueRules
{
    /// <summary>Equality, or null when the types do not compare (which is "not equal").</summary>
    public static bool? Equal(in ObservedValue value, Literal literal, bool ignoreCase)
    {
        switch (value.Kind)
        {
            case ObservedKind.String:
                var text = value.AsString();
                switch (literal.Kind)
                {
                    case LiteralKind.String:
                        if (literal.Ip is { } range && IpRange.TryParse(text, out var address))
                        {
                            return range.IsHost ? address == range : range.Contains(address);
                        }

                        return string.Equals(text, literal.Text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
                    case LiteralKind.Binary:
                        return ToLatin1(text) is { } bytes && bytes.AsSpan().SequenceEqual(literal.Bytes);
                    case LiteralKind.Timestamp:
                        return StixTimestamp.TryParse(text, out var ticks) ? ticks == literal.Ticks : null;
                    default:
                        return null;
                }

            case ObservedKind.Integer:
                return literal.Kind switch
                {
                    LiteralKind.Integer => value.AsInteger() == literal.Integer,
                    LiteralKind.Float => value.AsInteger() == literal.Float,
                    _ => null,
                };
            case ObservedKind.Float:
                return literal.Kind is LiteralKind.Integer or LiteralKind.Float ? value.AsFloat() == literal.Float : null;
            case ObservedKind.Boolean:
                return literal.Kind == LiteralKind.Boolean ? value.AsBoolean() == literal.Boolean : null;
            case ObservedKind.Timestamp:
                return literal.Kind is LiteralKind.Timestamp or LiteralKind.String && literal.Ticks is { } t ? value.TimestampTicks == t : null;
            case ObservedKind.Binary:
                return literal.Kind switch
                {
                    LiteralKind.Binary => value.AsBinary().SequenceEqual(literal.Bytes),
                    LiteralKind.String => literal.Latin1 is { } latin1 && value.AsBinary().SequenceEqual(latin1),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>Orders <paramref name="value"/> against <paramref name="literal"/>.</summary>
    public static OrderResult Compare(in ObservedValue value, Literal literal, out int sign)
    {
        sign = 0;
        switch (value.Kind)
        {
            case ObservedKind.Integer when literal.Kind == LiteralKind.Integer:
                sign = value.AsInteger().CompareTo(literal.Integer);
                return OrderResult.Ordered;
            case ObservedKind.Integer when literal.Kind == LiteralKind.Float:
                sign = ((double)value.AsInteger()).CompareTo(literal.Float);
                return OrderResult.Ordered;
            case ObservedKind.Float when literal.Kind is LiteralKind.Integer or LiteralKind.Float:
                sign = value.AsFloat().CompareTo(literal.Float);
                return OrderResult.Ordered;
            case ObservedKind.String when literal.Kind == LiteralKind.String:
                sign = CompareCodePoints(value.AsString(), literal.Text);
                return OrderResult.Ordered;
            case ObservedKind.String when literal.Kind == LiteralKind.Binary:
                if (ToLatin1(value.AsString()) is not { } bytes)
                {
                    return OrderResult.Invalid;
                }

                sign = bytes.AsSpan().SequenceCompareTo(literal.Bytes);
                return OrderResult.Ordered;
            case ObservedKind.String when literal.Kind == LiteralKind.Timestamp:
                if (!StixTimestamp.TryParse(value.AsString(), out var ticks))
                {
                    return OrderResult.Incomparable;
                }

                sign = ticks.CompareTo(literal.Ticks!.Value);
                return OrderResult.Ordered;
            case ObservedKind.Timestamp when literal.Kind is LiteralKind.Timestamp or LiteralKind.String && literal.Ticks is not null:
                sign = value.TimestampTicks.CompareTo(literal.Ticks!.Value);
                return OrderResult.Ordered;
            case ObservedKind.Binary when literal.Kind == LiteralKind.Binary:
                sign = value.AsBinary().SequenceCompareTo(literal.Bytes);
                return OrderResult.Ordered;
            case ObservedKind.Binary when literal.Kind == LiteralKind.String:
                if (literal.Latin1 is null)
                {
                    return OrderResult.Invalid;
                }

                sign = value.AsBinary().SequenceCompareTo(literal.Latin1);
                return OrderResult.Ordered;
            default:
                return OrderResult.Incomparable;
        }
    }

    /// <summary>The string as Latin-1 bytes, or null when a character is above U+00FF.</summary>
    public static byte[]? ToLatin1(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > '\u00FF')
            {
                return null;
            }

            bytes[i] = (byte)text[i];
        }

        return bytes;
    }

    /// <summary>Bytes as the Latin-1 string a regular expression can search.</summary>
    public static string FromLatin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    /// <summary>Orders by Unicode code point (as Python does), not UTF-16 unit: astral characters sort last.</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }

            var xs = char.IsSurrogate(x);
            var ys = char.IsSurrogate(y);
            if (xs != ys)
            {
                return xs ? 1 : -1;
            }

            return x < y ? -1 : 1;
        }

        return a.Length.CompareTo(b.Length);
    }
}
