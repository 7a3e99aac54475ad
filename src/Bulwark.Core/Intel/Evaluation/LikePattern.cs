namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// SQL LIKE as STIX uses it: <c>%</c> is any run of characters, <c>_</c> exactly one (a surrogate pair counts as
/// one), everything else literal, the whole value must match. Matched without a regular expression, in time
/// proportional to value × pattern at worst, so a hostile pattern cannot backtrack exponentially.
/// </summary>
internal static class LikePattern
{
    public static bool IsMatch(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        int t = 0, p = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && (pattern[p] == '_' || pattern[p] == text[t]))
            {
                t += pattern[p] == '_' ? Width(text, t) : 1;
                p++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                resume += Width(text, resume);
                t = resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static int Width(ReadOnlySpan<char> text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
}
