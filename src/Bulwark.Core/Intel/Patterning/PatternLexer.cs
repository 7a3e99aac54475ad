using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>
/// Hand-written lexer for STIX 2.1 patterning, pulled one token at a time so the first error by position wins.
/// </summary>
internal sealed partial class PatternLexer(string text)
{
    private int position;

    public string Text { get; } = text;

    public PatternToken Next()
    {
        SkipTrivia();
        if (position >= Text.Length)
            return new PatternToken(TokenKind.End, Text.Length, 0, null);

        var start = position;
        var c = Text[position];
        switch (c)
        {
            case '[': return Single(TokenKind.LeftBracket);
            case ']': return Single(TokenKind.RightBracket);
            case '(': return Single(TokenKind.LeftParen);
            case ')': return Single(TokenKind.RightParen);
            case ':': return Single(TokenKind.Colon);
            case ',': return Single(TokenKind.Comma);
            case '*': return Single(TokenKind.Asterisk);
            case '.' when !IsDigitAt(position + 1): return Single(TokenKind.Dot);
            case '=':
                return Operator(TokenKind.Equal, Peek(1) == '=' ? 2 : 1);
            case '!' when Peek(1) == '=':
                return Operator(TokenKind.NotEqual, 2);
            case '<':
                return Peek(1) switch
                {
                    '=' => Operator(TokenKind.LessOrEqual, 2),
                    '>' => Operator(TokenKind.NotEqual, 2),
                    _ => Operator(TokenKind.Less, 1),
                };
            case '>':
                return Peek(1) == '=' ? Operator(TokenKind.GreaterOrEqual, 2) : Operator(TokenKind.Greater, 1);
            case '\'':
                return LexString();
            case 'b' or 'h' or 't' when Peek(1) == '\'':
                return LexPrefixed(c);
            default:
                break;
        }

        if (PatternSyntax.IsIdentifierStart(c))
        {
            while (position < Text.Length && PatternSyntax.IsIdentifierPart(Text[position]))
                position++;
            return new PatternToken(TokenKind.Word, start, position - start, Text[start..position]);
        }

        if (char.IsAsciiDigit(c) || c == '.' || (c is '+' or '-' && (IsDigitAt(position + 1) || (Peek(1) == '.' && IsDigitAt(position + 2)))))
            return LexNumber();

        throw Error(start, PatternSyntax.Describe(c), $"unexpected character '{PatternSyntax.Describe(c)}'");
    }

    public PatternException Error(int offset, string token, string message) =>
        new(new PatternError(offset, token, message));

    private char Peek(int ahead) => position + ahead < Text.Length ? Text[position + ahead] : '\0';

    private bool IsDigitAt(int index) => index < Text.Length && char.IsAsciiDigit(Text[index]);

    private PatternToken Single(TokenKind kind) => new(kind, position++, 1, null);

    private PatternToken Operator(TokenKind kind, int length)
    {
        var token = new PatternToken(kind, position, length, Text.Substring(position, length));
        position += length;
        return token;
    }

    private void SkipTrivia()
    {
        while (position < Text.Length)
        {
            var c = Text[position];
            if (IsWhitespace(c))
            {
                position++;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var end = Text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                if (end < 0)
                    throw Error(position, "/*", $"unterminated comment starting at {position}");
                position = end + 2;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                var end = Text.AsSpan(position).IndexOfAny('\r', '\n');
                position = end < 0 ? Text.Length : position + end;
            }
            else
            {
                return;
            }
        }
    }

    // The whitespace set of the reference grammar (STIXPattern.g4, rule WS).
    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\u000B' or '\u000C' or '\u0085'
        or '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F'
        or '\u3000';

    private PatternToken LexString()
    {
        var start = position;
        var value = ReadQuoted(start);
        return new PatternToken(TokenKind.String, start, position - start, value);
    }

    /// <summary>Reads a quoted body starting at the quote at <paramref name="quote"/>; only \' and \\ escape.</summary>
    private string ReadQuoted(int quote)
    {
        const string what = "string";
        var literalStart = quote;
        var builder = new StringBuilder();
        var i = quote + 1;
        while (true)
        {
            var run = Text.AsSpan(i).IndexOfAny('\'', '\\');
            if (run < 0)
            {
                throw Error(literalStart, PatternSyntax.Excerpt(Text, literalStart, Text.Length - literalStart),
                    $"unterminated {what} starting at {literalStart}");
            }

            builder.Append(Text, i, run);
            i += run;
            if (Text[i] == '\'')
            {
                position = i + 1;
                return builder.ToString();
            }

            if (i + 1 >= Text.Length)
            {
                throw Error(literalStart, PatternSyntax.Excerpt(Text, literalStart, Text.Length - literalStart),
                    $"unterminated {what} starting at {literalStart}");
            }

            var escaped = Text[i + 1];
            if (escaped is not ('\'' or '\\'))
            {
                throw Error(i, PatternSyntax.Excerpt(Text, i, 2),
                    $"invalid escape '\\{PatternSyntax.Describe(escaped)}': only \\' and \\\\ are allowed");
            }

            builder.Append(escaped);
            i += 2;
        }
    }

    private PatternToken LexPrefixed(char prefix)
    {
        var start = position;
        var what = prefix switch { 'b' => "binary literal", 'h' => "hex literal", _ => "timestamp" };
        var end = Text.IndexOf('\'', start + 2);
        if (end < 0)
        {
            throw Error(start, PatternSyntax.Excerpt(Text, start, Text.Length - start),
                $"unterminated {what} starting at {start}");
        }

        var body = Text.Substring(start + 2, end - start - 2);
        position = end + 1;
        var length = position - start;
        var excerpt = PatternSyntax.Excerpt(Text, start, length);
        switch (prefix)
        {
            case 'b':
                if (!IsStrictBase64(body))
                    throw Error(start, excerpt, "binary literal must be base64");
                return new PatternToken(TokenKind.Binary, start, length, body);
            case 'h':
                if (body.Length % 2 != 0 || !body.All(char.IsAsciiHexDigit))
                    throw Error(start, excerpt, "hex literal must be pairs of hex digits");
                return new PatternToken(TokenKind.Hex, start, length, body.ToLowerInvariant());
            default:
                return new PatternToken(TokenKind.Timestamp, start, length, ParseTimestamp(body, start, excerpt));
        }
    }

    private static bool IsStrictBase64(string body)
    {
        if (body.Length % 4 != 0)
            return false;
        var padding = body.EndsWith("==", StringComparison.Ordinal) ? 2 : body.EndsWith('=') ? 1 : 0;
        for (var i = 0; i < body.Length - padding; i++)
        {
            var c = body[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
                return false;
        }

        return true;
    }

    private DateTimeOffset ParseTimestamp(string body, int start, string excerpt)
    {
        var match = TimestampRegex().Match(body);
        if (!match.Success)
            throw Error(start, excerpt, "timestamp must be RFC 3339 in UTC, like t'2016-01-01T00:00:00Z'");
        int Part(int group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var (year, month, day, hour, minute, second) = (Part(1), Part(2), Part(3), Part(4), Part(5), Part(6));
        if (second == 60)
            throw Error(start, excerpt, "timestamp with a leap second (60) is not supported");
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23
            || minute > 59 || second > 59)
        {
            throw Error(start, excerpt, "timestamp must be RFC 3339 in UTC: date or time out of range");
        }

        var ticks = 0L;
        if (match.Groups[7].Success)
        {
            var digits = match.Groups[7].Value.PadRight(7, '0')[..7];
            ticks = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks);
    }

    private PatternToken LexNumber()
    {
        var start = position;
        if (Text[position] is '+' or '-')
            position++;
        var integerStart = position;
        while (IsDigitAt(position))
            position++;
        var integerDigits = position - integerStart;
        var isFloat = false;
        if (position < Text.Length && Text[position] == '.' && IsDigitAt(position + 1))
        {
            isFloat = true;
            position++;
            while (IsDigitAt(position))
                position++;
        }

        var length = position - start;
        var span = Text.AsSpan(start, length);
        var excerpt = PatternSyntax.Excerpt(Text, start, length);
        if (isFloat)
        {
            if (!decimal.TryParse(span, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                throw Error(start, excerpt, $"float '{excerpt}' is out of range");
            return new PatternToken(TokenKind.Float, start, length, number);
        }

        if (integerDigits > 1 && Text[integerStart] == '0')
            throw Error(start, excerpt, $"integer '{excerpt}' must not have leading zeros");
        if (!long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            throw Error(start, excerpt, $"integer '{excerpt}' is out of range");
        return new PatternToken(TokenKind.Integer, start, length, integer);
    }

    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?Z$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampRegex();
}
