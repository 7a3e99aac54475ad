using System.Globalization;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>
/// Recursive-descent parser for STIX 2.1 patterning (oasis-open/cti-stix2-json-schemas, STIXPattern.g4).
/// Chains of one operator are built as flat lists and nesting is capped, so hostile input cannot exhaust the stack.
/// </summary>
internal sealed class PatternParser
{
    /// <summary>Deepest allowed nesting of brackets and parentheses.</summary>
    public const int MaxDepth = 256;

    private static readonly HashSet<string> ComparisonKeywords = new(StringComparer.Ordinal)
    {
        "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "NOT", "EXISTS",
    };

    private readonly PatternLexer lexer;
    private PatternToken current;
    private int depth;

    private PatternParser(string text)
    {
        lexer = new PatternLexer(text);
        current = lexer.Next();
    }

    public static Pattern Parse(string text)
    {
        var parser = new PatternParser(text);
        if (parser.current.Kind == TokenKind.End)
            throw parser.Fail("pattern is empty");
        var expression = parser.ParseFollowedBy();
        if (parser.current.Kind != TokenKind.End)
            throw parser.Fail(parser.UnexpectedAfterObservation());
        return new Pattern(expression);
    }

    private string UnexpectedAfterObservation()
    {
        if (current.Kind == TokenKind.RightParen)
            return "')' has no matching '('";
        if (current.Kind == TokenKind.Word && current.Value is string word && IsLowerCaseKeyword(word, out var upper))
            return $"keywords are upper case: use '{upper}'";
        return "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern";
    }

    private ObservationExpression ParseFollowedBy() =>
        ParseObservationChain(ObservationOperator.FollowedBy, "FOLLOWEDBY", ParseObservationOr);

    private ObservationExpression ParseObservationOr() =>
        ParseObservationChain(ObservationOperator.Or, "OR", ParseObservationAnd);

    private ObservationExpression ParseObservationAnd() =>
        ParseObservationChain(ObservationOperator.And, "AND", ParseObservation);

    private ObservationExpression ParseObservationChain(
        ObservationOperator op, string keyword, Func<ObservationExpression> operand)
    {
        var first = operand();
        if (!current.IsWord(keyword))
            return first;
        var operands = new List<ObservationExpression> { first };
        while (current.IsWord(keyword))
        {
            Advance();
            operands.Add(operand());
        }

        return new CompositeObservation(op, new EquatableList<ObservationExpression>(operands));
    }

    private ObservationExpression ParseObservation()
    {
        ObservationExpression observation;
        var start = current.Offset;
        if (current.Kind == TokenKind.LeftBracket)
        {
            Enter();
            Advance();
            if (current.Kind == TokenKind.RightBracket)
                throw Fail("empty observation: expected a comparison");
            var comparison = ParseComparisonOr();
            if (current.Kind != TokenKind.RightBracket)
                throw Fail(UnexpectedInComparison($"expected ']' to close the observation started at {start}"));
            depth--;
            Advance();
            observation = new SimpleObservation(comparison);
        }
        else if (current.Kind == TokenKind.LeftParen)
        {
            Enter();
            Advance();
            observation = ParseFollowedBy();
            if (current.Kind != TokenKind.RightParen)
            {
                var word = current.Kind == TokenKind.Word ? (string)current.Value! : null;
                throw Fail(word is not null && IsLowerCaseKeyword(word, out var upper)
                    ? $"keywords are upper case: use '{upper}'"
                    : $"expected ')' to close the parenthesis opened at {start}");
            }

            depth--;
            Advance();
        }
        else
        {
            throw Fail(current.Kind == TokenKind.End
                ? "pattern ends where an observation '[...]' was expected"
                : "expected '[' or '(' to start an observation");
        }

        var qualifiers = new List<ObservationQualifier>();
        while (TryParseQualifier(out var qualifier))
            qualifiers.Add(qualifier);
        if (qualifiers.Count == 0)
            return observation;
        if (observation is QualifiedObservation qualified)
        {
            // ([x] REPEATS 2 TIMES) WITHIN 5 SECONDS means the same as [x] REPEATS 2 TIMES WITHIN 5 SECONDS.
            return new QualifiedObservation(qualified.Inner, new EquatableList<ObservationQualifier>([.. qualified.Qualifiers, .. qualifiers]));
        }

        return new QualifiedObservation(observation, new EquatableList<ObservationQualifier>(qualifiers));
    }

    private bool TryParseQualifier(out ObservationQualifier qualifier)
    {
        if (current.IsWord("WITHIN"))
        {
            Advance();
            decimal seconds = current.Kind switch
            {
                TokenKind.Integer => (long)current.Value!,
                TokenKind.Float => (decimal)current.Value!,
                _ => throw Fail("WITHIN needs a number of seconds"),
            };
            if (seconds <= 0)
                throw Fail("WITHIN needs a positive number of seconds");
            Advance();
            Expect("SECONDS", "expected 'SECONDS' after the WITHIN duration");
            qualifier = new WithinQualifier(seconds);
            return true;
        }

        if (current.IsWord("REPEATS"))
        {
            Advance();
            if (current.Kind != TokenKind.Integer)
                throw Fail("REPEATS needs a whole number of times");
            var times = (long)current.Value!;
            if (times <= 0)
                throw Fail("REPEATS needs a positive number of times");
            Advance();
            Expect("TIMES", "expected 'TIMES' after the REPEATS count");
            qualifier = new RepeatsQualifier(times);
            return true;
        }

        if (current.IsWord("START"))
        {
            Advance();
            var start = ExpectTimestamp("START needs a timestamp literal like t'2016-01-01T00:00:00Z'");
            Expect("STOP", "expected 'STOP' after the START timestamp");
            var stopToken = current;
            var stop = ExpectTimestamp("STOP needs a timestamp literal like t'2016-01-01T00:00:00Z'");
            if (stop <= start)
                throw Fail(stopToken, "STOP must be later than START");
            qualifier = new StartStopQualifier(start, stop);
            return true;
        }

        qualifier = null!;
        return false;
    }

    private DateTimeOffset ExpectTimestamp(string message)
    {
        if (current.Kind != TokenKind.Timestamp)
            throw Fail(message);
        var value = (DateTimeOffset)current.Value!;
        Advance();
        return value;
    }

    private ComparisonExpression ParseComparisonOr() =>
        ParseComparisonChain(LogicalOperator.Or, "OR", ParseComparisonAnd);

    private ComparisonExpression ParseComparisonAnd() =>
        ParseComparisonChain(LogicalOperator.And, "AND", ParseComparison);

    private ComparisonExpression ParseComparisonChain(
        LogicalOperator op, string keyword, Func<ComparisonExpression> operand)
    {
        var first = operand();
        if (!current.IsWord(keyword))
            return first;
        var operands = new List<ComparisonExpression> { first };
        while (current.IsWord(keyword))
        {
            Advance();
            operands.Add(operand());
        }

        return new CompositeComparison(op, new EquatableList<ComparisonExpression>(operands));
    }

    private ComparisonExpression ParseComparison()
    {
        if (current.Kind == TokenKind.LeftParen)
        {
            var start = current.Offset;
            Enter();
            Advance();
            var inner = ParseComparisonOr();
            if (current.Kind != TokenKind.RightParen)
                throw Fail(UnexpectedInComparison($"expected ')' to close the parenthesis opened at {start}"));
            depth--;
            Advance();
            return inner;
        }

        if (current.IsWord("EXISTS"))
        {
            Advance();
            return new ExistsComparison(ParseObjectPath());
        }

        if (current.IsWord("NOT"))
        {
            Advance();
            if (!current.IsWord("EXISTS"))
                throw Fail("only EXISTS may follow a leading NOT; negate other comparisons before the operator, as in 'file:name NOT = 'x''");
            Advance();
            return new ExistsComparison(ParseObjectPath(), Negated: true);
        }

        var path = ParseObjectPath();
        var negated = false;
        if (current.IsWord("NOT"))
        {
            negated = true;
            Advance();
        }

        var operatorToken = current;
        var op = ParseOperator(path);
        Advance();
        PatternLiteral value;
        switch (op)
        {
            case ComparisonOperator.In:
                if (current.Kind != TokenKind.LeftParen)
                    throw Fail("IN needs a set of literals in parentheses, like ('a', 'b')");
                value = ParseSet();
                break;
            case ComparisonOperator.Like or ComparisonOperator.Matches or ComparisonOperator.IsSubset or ComparisonOperator.IsSuperset:
                if (current.Kind != TokenKind.String)
                    throw Fail($"{OperatorText(operatorToken)} needs a string literal");
                value = ParseLiteral();
                break;
            case ComparisonOperator.Equal or ComparisonOperator.NotEqual:
                value = ParseLiteral();
                break;
            default:
                if (current.IsWord("true") || current.IsWord("false"))
                    throw Fail($"operator '{OperatorText(operatorToken)}' cannot order a boolean");
                value = ParseLiteral();
                break;
        }

        return new PropertyComparison(path, op, negated, value);
    }

    private string OperatorText(PatternToken token) => lexer.Text.Substring(token.Offset, token.Length);

    private ComparisonOperator ParseOperator(ObjectPath path)
    {
        switch (current.Kind)
        {
            case TokenKind.Equal: return ComparisonOperator.Equal;
            case TokenKind.NotEqual: return ComparisonOperator.NotEqual;
            case TokenKind.Less: return ComparisonOperator.LessThan;
            case TokenKind.LessOrEqual: return ComparisonOperator.LessThanOrEqual;
            case TokenKind.Greater: return ComparisonOperator.GreaterThan;
            case TokenKind.GreaterOrEqual: return ComparisonOperator.GreaterThanOrEqual;
            case TokenKind.Word:
                var word = (string)current.Value!;
                switch (word)
                {
                    case "IN": return ComparisonOperator.In;
                    case "LIKE": return ComparisonOperator.Like;
                    case "MATCHES": return ComparisonOperator.Matches;
                    case "ISSUBSET": return ComparisonOperator.IsSubset;
                    case "ISSUPERSET": return ComparisonOperator.IsSuperset;
                    case "EXISTS": throw Fail($"EXISTS goes before the object path, as in 'EXISTS {path}'");
                    case "NOT": throw Fail("NOT may appear only once, before the operator");
                }

                var upper = word.ToUpperInvariant();
                throw Fail(ComparisonKeywords.Contains(upper)
                    ? $"operators are upper case: use '{upper}'"
                    : $"unknown operator '{word}'");
            case TokenKind.End:
                throw Fail($"pattern ends where an operator was expected after '{path}'");
            default:
                throw Fail($"expected a comparison operator after '{path}'");
        }
    }

    private SetLiteral ParseSet()
    {
        var start = current.Offset;
        Advance();
        var items = new List<PatternLiteral>();
        if (current.Kind == TokenKind.RightParen)
        {
            Advance();
            return new SetLiteral(EquatableList<PatternLiteral>.Empty);
        }

        while (true)
        {
            items.Add(ParseLiteral());
            if (current.Kind == TokenKind.RightParen)
            {
                Advance();
                return new SetLiteral(new EquatableList<PatternLiteral>(items));
            }

            if (current.Kind != TokenKind.Comma)
                throw Fail($"expected ',' or ')' in the set opened at {start}");
            Advance();
        }
    }

    private PatternLiteral ParseLiteral()
    {
        PatternLiteral literal = current.Kind switch
        {
            TokenKind.String => new StringLiteral((string)current.Value!),
            TokenKind.Integer => new IntegerLiteral((long)current.Value!),
            TokenKind.Float => new FloatLiteral((decimal)current.Value!),
            TokenKind.Binary => new BinaryLiteral((string)current.Value!),
            TokenKind.Hex => new HexLiteral((string)current.Value!),
            TokenKind.Timestamp => new TimestampLiteral((DateTimeOffset)current.Value!),
            TokenKind.Word when current.IsWord("true") => new BooleanLiteral(true),
            TokenKind.Word when current.IsWord("false") => new BooleanLiteral(false),
            TokenKind.Word when current.IsWord("TRUE") || current.IsWord("FALSE") =>
                throw Fail("booleans are lower case: use 'true' or 'false'"),
            TokenKind.LeftParen => throw Fail("a set of literals is allowed only after IN"),
            TokenKind.End => throw Fail("pattern ends where a literal was expected"),
            _ => throw Fail("expected a literal value such as 'text', 42, 1.5, true, t'…', h'…' or b'…'"),
        };
        Advance();
        return literal;
    }

    private ObjectPath ParseObjectPath()
    {
        if (current.Kind != TokenKind.Word)
        {
            throw Fail(current.Kind == TokenKind.End
                ? "pattern ends where an object path was expected"
                : "expected an object path like 'file:name'");
        }

        var type = (string)current.Value!;
        if (PatternSyntax.Keywords.Contains(type))
            throw Fail($"expected an object path, found keyword '{type}'");
        if (type.Any(char.IsAsciiLetterUpper))
            throw Fail($"object type '{type}' must be lower case");
        if (type.Contains('_', StringComparison.Ordinal))
            throw Fail($"object type '{type}' may contain only a-z, 0-9 and '-'");
        if (type.Length is < 3 or > 250)
            throw Fail($"object type '{type}' must be 3 to 250 characters long");
        Advance();
        if (current.Kind != TokenKind.Colon)
            throw Fail($"expected ':' after object type '{type}'");
        Advance();

        var steps = new List<PathStep> { new PropertyStep(ParsePropertyName()) };
        while (true)
        {
            if (current.Kind == TokenKind.Dot)
            {
                Advance();
                steps.Add(new PropertyStep(ParsePropertyName()));
            }
            else if (current.Kind == TokenKind.LeftBracket)
            {
                var open = current.Offset;
                Advance();
                if (current.Kind == TokenKind.Asterisk)
                {
                    steps.Add(new IndexStep(null));
                }
                else if (current.Kind == TokenKind.Integer && (long)current.Value! is >= int.MinValue and <= int.MaxValue)
                {
                    steps.Add(new IndexStep((int)(long)current.Value!));
                }
                else
                {
                    throw Fail("list index must be an integer or '*'");
                }

                Advance();
                if (current.Kind != TokenKind.RightBracket)
                    throw Fail($"expected ']' to close the list index opened at {open}");
                Advance();
            }
            else
            {
                return new ObjectPath(type, new EquatableList<PathStep>(steps));
            }
        }
    }

    private string ParsePropertyName()
    {
        string name;
        if (current.Kind == TokenKind.String)
        {
            name = (string)current.Value!;
        }
        else if (current.Kind == TokenKind.Word)
        {
            name = (string)current.Value!;
            if (PatternSyntax.Keywords.Contains(name))
                throw Fail($"property name '{name}' is a keyword: quote it as '{name}'");
            if (name.Contains('-', StringComparison.Ordinal))
                throw Fail($"property name '{name}' contains '-': quote it as '{name}'");
        }
        else
        {
            throw Fail("expected a property name");
        }

        Advance();
        return name;
    }

    private string UnexpectedInComparison(string fallback)
    {
        if (current.Kind == TokenKind.Word && current.Value is string word && IsLowerCaseKeyword(word, out var upper))
            return $"keywords are upper case: use '{upper}'";
        return fallback;
    }

    private static bool IsLowerCaseKeyword(string word, out string upper)
    {
        upper = word.ToUpperInvariant();
        return !string.Equals(upper, word, StringComparison.Ordinal) && PatternSyntax.Keywords.Contains(upper)
            && upper is not ("TRUE" or "FALSE");
    }

    private void Expect(string keyword, string message)
    {
        if (!current.IsWord(keyword))
            throw Fail(message);
        Advance();
    }

    private void Enter()
    {
        if (++depth > MaxDepth)
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {MaxDepth} brackets or parentheses"));
    }

    private void Advance() => current = lexer.Next();

    private PatternException Fail(string message) => Fail(current, message);

    private PatternException Fail(PatternToken token, string message) =>
        lexer.Error(token.Offset, PatternSyntax.Excerpt(lexer.Text, token.Offset, token.Length), message);
}
