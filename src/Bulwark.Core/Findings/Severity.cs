namespace Bulwark.Core.Findings;

/// <summary>How bad the thing is if true. Ordered: a larger value is more severe.</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>How sure Bulwark is that the finding is true.</summary>
public enum Confidence
{
    Low = 0,
    Medium = 1,
    High = 2,
}

public static class SeverityText
{
    public static string ToText(this Severity s) => s switch
    {
        Severity.Info => "info",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string ToText(this Confidence c) => c switch
    {
        Confidence.Low => "low",
        Confidence.Medium => "medium",
        Confidence.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };
}
