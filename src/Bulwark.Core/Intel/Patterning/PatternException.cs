namespace Bulwark.Core.Intel.Patterning;

/// <summary>Thrown by <see cref="Pattern.Parse"/> for a pattern that is not valid STIX 2.1 patterning.</summary>
public sealed class PatternException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public PatternException(PatternError error)
        : base(error?.ToString())
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Where and why parsing failed.</summary>
    public PatternError Error { get; }
}
