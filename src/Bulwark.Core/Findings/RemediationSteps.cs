using System.Text.RegularExpressions;

namespace Bulwark.Core.Findings;

/// <summary>
/// Turns the remediation texts of several findings (worst first) into steps a reader follows once: detections
/// share sentences ("treat the server as compromised…"), so each sentence is kept only where it first appears
/// and a text left empty by that is dropped.
/// </summary>
public static partial class RemediationSteps
{
    public static IReadOnlyList<string> From(IEnumerable<string> remediations)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var steps = new List<string>();
        foreach (var text in remediations)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var fresh = SentenceEnd().Split(text.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0 && seen.Add(s)).ToList();
            if (fresh.Count > 0)
            {
                steps.Add(string.Join(' ', fresh));
            }
        }

        return steps;
    }

    // A sentence ends at '.', '!' or '?' followed by white space and a capital letter (keeps "e.g. x", "KB5000871.").
    [GeneratedRegex(@"(?<=[.!?])\s+(?=\p{Lu})", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();
}
