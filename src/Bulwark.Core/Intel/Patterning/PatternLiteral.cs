using System.Globalization;
using System.Text;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>A literal on the right of a comparison.</summary>
public abstract record PatternLiteral
{
    private protected PatternLiteral()
    {
    }

    /// <summary>The canonical STIX text of the literal.</summary>
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    internal abstract void WriteTo(StringBuilder builder);
}

/// <summary>A string, unescaped (<c>'a\\b'</c> in the pattern is <c>a\b</c> here).</summary>
public sealed record StringLiteral(string Value) : PatternLiteral
{
    internal override void WriteTo(StringBuilder builder) => PatternSyntax.WriteQuoted(builder, Value);
}

/// <summary>An integer.</summary>
public sealed record IntegerLiteral(long Value) : PatternLiteral
{
    internal override void WriteTo(StringBuilder builder) => builder.Append(Value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>A float, kept as a decimal so the text round-trips exactly.</summary>
public sealed record FloatLiteral(decimal Value) : PatternLiteral
{
    internal override void WriteTo(StringBuilder builder)
    {
        var text = Value.ToString(CultureInfo.InvariantCulture);
        builder.Append(text);
        if (!text.Contains('.', StringComparison.Ordinal))
            builder.Append(".0");
    }
}

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record BooleanLiteral(bool Value) : PatternLiteral
{
    internal override void WriteTo(StringBuilder builder) => builder.Append(Value ? "true" : "false");
}

/// <summary><c>b'…'</c>: binary data held as canonical base64.</summary>
public sealed record BinaryLiteral(string Base64) : PatternLiteral
{
    /// <summary>The decoded bytes (a new array each call).</summary>
    public byte[] ToBytes() => Convert.FromBase64String(Base64);

    internal override void WriteTo(StringBuilder builder) => builder.Append("b'").Append(Base64).Append('\'');
}

/// <summary><c>h'…'</c>: binary data held as lower-case hex.</summary>
public sealed record HexLiteral(string Hex) : PatternLiteral
{
    /// <summary>The decoded bytes (a new array each call).</summary>
    public byte[] ToBytes() => Convert.FromHexString(Hex);

    internal override void WriteTo(StringBuilder builder) => builder.Append("h'").Append(Hex).Append('\'');
}

/// <summary><c>t'…'</c>: a UTC instant.</summary>
public sealed record TimestampLiteral(DateTimeOffset Value) : PatternLiteral
{
    internal override void WriteTo(StringBuilder builder) => PatternSyntax.WriteTimestamp(builder, Value);
}

/// <summary><c>('a', 'b')</c>: the right side of IN.</summary>
public sealed record SetLiteral(EquatableList<PatternLiteral> Items) : PatternLiteral
{
    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append('(');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
                builder.Append(", ");
            Items[i].WriteTo(builder);
        }

        builder.Append(')');
    }
}
