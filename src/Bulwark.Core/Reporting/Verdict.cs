using Bulwark.Core.Findings;

namespace Bulwark.Core.Reporting;

/// <summary>The one-line answer a report starts with.</summary>
public enum Verdict
{
    /// <summary>No finding above <see cref="Severity.Info"/>.</summary>
    Clean,

    /// <summary>Only <see cref="Severity.Low"/> or <see cref="Severity.Medium"/> findings.</summary>
    Suspicious,

    /// <summary>At least one <see cref="Severity.High"/> or <see cref="Severity.Critical"/> finding.</summary>
    Compromise,
}

public static class Verdicts
{
    public static Verdict Of(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var verdict = Verdict.Clean;
        foreach (var finding in findings)
        {
            // A missing update is exposure, not a sign of compromise: it is in "what to do", not the verdict.
            if (Posture.PostureFindings.IsExposure(finding))
            {
                continue;
            }

            if (finding.Severity >= Severity.High)
            {
                return Verdict.Compromise;
            }

            if (finding.Severity >= Severity.Low)
            {
                verdict = Verdict.Suspicious;
            }
        }

        return verdict;
    }

    /// <summary>The machine-readable value used in the JSON report.</summary>
    public static string ToText(this Verdict verdict) => verdict switch
    {
        Verdict.Clean => "clean",
        Verdict.Suspicious => "suspicious",
        Verdict.Compromise => "compromise",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>The verdict in plain words, for someone who is not a security specialist.</summary>
    public static string Headline(this Verdict verdict) => verdict switch
    {
        Verdict.Clean => "No signs of compromise found in these logs",
        Verdict.Suspicious => "Suspicious activity found, review needed",
        Verdict.Compromise => "Signs of compromise found",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>One sentence on what the verdict means and what to do with it.</summary>
    public static string Explanation(this Verdict verdict) => verdict switch
    {
        Verdict.Clean =>
            "Bulwark checked these logs for known signs of attacks on Exchange Server and found none; "
            + "this does not prove the server is safe, only that these logs do not show a known attack.",
        Verdict.Suspicious =>
            "Bulwark found activity that may be an attack or may be harmless; "
            + "ask your IT contact or a security helpline to review the findings below.",
        Verdict.Compromise =>
            "These logs match known attacks on Exchange Server; treat the server as broken into "
            + "until someone qualified has checked it, and start on the steps below now.",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
