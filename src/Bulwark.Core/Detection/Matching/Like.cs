namespace Bulwark.Core.Detection.Matching;

/// <summary>
/// PowerShell's <c>-like</c>: <c>*</c> any run, <c>?</c> one character, case-insensitive. The published
/// Exchange hunting conditions (Test-ProxyLogon, MSTIC) are written this way, so Bulwark keeps their form.
/// </summary>
public static class Like
{
    public static bool Match(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
