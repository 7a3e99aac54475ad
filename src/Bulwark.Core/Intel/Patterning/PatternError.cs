namespace Bulwark.Core.Intel.Patterning;

/// <summary>
/// Why a STIX pattern was rejected: the 0-based character <paramref name="Offset"/> of the problem, the
/// offending text (<paramref name="Token"/>, shortened; empty at the end of the pattern) and a cause for humans.
/// </summary>
public sealed record PatternError(int Offset, string Token, string Message)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Token.Length == 0 ? $"{Message} (at offset {Offset})" : $"{Message} (at offset {Offset}, near '{Token}')";
}
