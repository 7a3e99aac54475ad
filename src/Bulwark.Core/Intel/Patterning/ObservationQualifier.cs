using System.Globalization;
using System.Text;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>A qualifier after an observation: WITHIN, REPEATS or START … STOP.</summary>
public abstract record ObservationQualifier
{
    private protected ObservationQualifier()
    {
    }

    /// <summary>The canonical STIX text of the qualifier.</summary>
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    internal abstract void WriteTo(StringBuilder builder);
}

/// <summary><c>WITHIN n SECONDS</c>: all matching observations fall within the window.</summary>
public sealed record WithinQualifier(decimal Seconds) : ObservationQualifier
{
    internal override void WriteTo(StringBuilder builder) =>
        builder.Append("WITHIN ").Append(Seconds.ToString(CultureInfo.InvariantCulture)).Append(" SECONDS");
}

/// <summary><c>REPEATS n TIMES</c>.</summary>
public sealed record RepeatsQualifier(long Times) : ObservationQualifier
{
    internal override void WriteTo(StringBuilder builder) =>
        builder.Append("REPEATS ").Append(Times.ToString(CultureInfo.InvariantCulture)).Append(" TIMES");
}

/// <summary><c>START t'…' STOP t'…'</c>: observed at or after Start and before Stop.</summary>
public sealed record StartStopQualifier(DateTimeOffset Start, DateTimeOffset Stop) : ObservationQualifier
{
    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append("START ");
        PatternSyntax.WriteTimestamp(builder, Start);
        builder.Append(" STOP ");
        PatternSyntax.WriteTimestamp(builder, Stop);
    }
}
