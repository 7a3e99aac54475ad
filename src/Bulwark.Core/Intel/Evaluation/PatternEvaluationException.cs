namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// Thrown by <see cref="PatternEvaluator.Create"/> for a pattern that parses but cannot be evaluated: a regular
/// expression .NET does not accept, an IN set mixing types, an address range that is not one, or a pattern needing
/// more observations in one match than the limits allow.
/// </summary>
public sealed class PatternEvaluationException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public PatternEvaluationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public PatternEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PatternEvaluationException()
    {
    }
}
