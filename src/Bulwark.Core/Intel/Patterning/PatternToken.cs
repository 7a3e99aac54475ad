namespace Bulwark.Core.Intel.Patterning;

internal enum TokenKind
{
    End,
    Word,
    String,
    Integer,
    Float,
    Binary,
    Hex,
    Timestamp,
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    Colon,
    Dot,
    Comma,
    Asterisk,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>A lexed token; <see cref="Value"/> holds the decoded literal (string, long, decimal, DateTimeOffset).</summary>
internal readonly record struct PatternToken(TokenKind Kind, int Offset, int Length, object? Value)
{
    public bool IsWord(string word) => Kind == TokenKind.Word && (string)Value! == word;
}
