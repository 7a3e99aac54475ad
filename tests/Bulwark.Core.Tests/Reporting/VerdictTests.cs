using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using static Bulwark.Core.Tests.Reporting.ReportSamples;

namespace Bulwark.Core.Tests.Reporting;

public class VerdictTests
{
    [Theory]
    [InlineData(new Severity[0], Verdict.Clean)]
    [InlineData(new[] { Severity.Info }, Verdict.Clean)]
    [InlineData(new[] { Severity.Info, Severity.Low }, Verdict.Suspicious)]
    [InlineData(new[] { Severity.Medium, Severity.Low }, Verdict.Suspicious)]
    [InlineData(new[] { Severity.Low, Severity.High }, Verdict.Compromise)]
    [InlineData(new[] { Severity.Critical }, Verdict.Compromise)]
    public void Verdict_follows_the_worst_severity(Severity[] severities, Verdict expected)
    {
        var findings = severities.Select(s => Ssrf with { Severity = s });

        Assert.Equal(expected, Verdicts.Of(findings));
    }

    [Theory]
    [InlineData(Verdict.Compromise, "compromise", "Signs of compromise found")]
    [InlineData(Verdict.Suspicious, "suspicious", "Suspicious activity found, review needed")]
    [InlineData(Verdict.Clean, "clean", "No signs of compromise found in these logs")]
    public void Verdict_has_a_json_value_and_a_plain_headline(Verdict verdict, string text, string headline)
    {
        Assert.Equal(text, verdict.ToText());
        Assert.Equal(headline, verdict.Headline());
    }
}
