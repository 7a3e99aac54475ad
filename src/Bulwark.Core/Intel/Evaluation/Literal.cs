using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>The kind of a pattern literal once prepared for comparison (hex and base64 are both bytes).</summary>
internal enum LiteralKind : byte
{
    String,
    Integer,
    Float,
    Boolean,
    Binary,
    Timestamp,
}

/// <summary>
/// A pattern literal prepared once per pattern: numbers as both exact and double, bytes decoded, and for a string
/// what else it can be read as (an IP address or range, a timestamp, Latin-1 bytes) so comparisons never reparse it.
/// </summary>
internal sealed class Literal
{
    private Literal(LiteralKind kind) => Kind = kind;

    public LiteralKind Kind { get; }

    public string Text { get; private init; } = "";

    public long Integer { get; private init; }

    public double Float { get; private init; }

    public bool Boolean { get; private init; }

    public byte[] Bytes { get; private init; } = [];

    /// <summary>Ticks of a timestamp literal, or of a string literal that reads as one.</summary>
    public long? Ticks { get; private init; }

    /// <summary>A string literal read as an IP address or CIDR range.</summary>
    public IpRange? Ip { get; private init; }

    /// <summary>A string literal whose every character is below U+0100, as bytes (for binary values).</summary>
    public byte[]? Latin1 { get; private init; }

    public static Literal From(PatternLiteral literal) => literal switch
    {
        StringLiteral s => new Literal(LiteralKind.String)
        {
            Text = s.Value,
            Ip = IpRange.TryParse(s.Value, out var ip) ? ip : null,
            Ticks = StixTimestamp.TryParse(s.Value, out var ticks) ? ticks : null,
            Latin1 = ValueRules.ToLatin1(s.Value),
        },
        IntegerLiteral i => new Literal(LiteralKind.Integer) { Integer = i.Value, Float = i.Value },
        FloatLiteral f => new Literal(LiteralKind.Float) { Float = (double)f.Value },
        BooleanLiteral b => new Literal(LiteralKind.Boolean) { Boolean = b.Value },
        BinaryLiteral b => new Literal(LiteralKind.Binary) { Bytes = b.ToBytes() },
        HexLiteral h => new Literal(LiteralKind.Binary) { Bytes = h.ToBytes() },
        TimestampLiteral t => new Literal(LiteralKind.Timestamp) { Ticks = t.Value.UtcTicks },
        _ => throw new PatternEvaluationException($"a set literal is allowed only after IN: {literal}"),
    };

    public static string Describe(LiteralKind kind) => kind switch
    {
        LiteralKind.String => "string",
        LiteralKind.Integer => "integer",
        LiteralKind.Float => "float",
        LiteralKind.Boolean => "boolean",
        LiteralKind.Binary => "binary",
        _ => "timestamp",
    };
}
