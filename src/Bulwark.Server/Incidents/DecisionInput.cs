namespace Bulwark.Server.Incidents;

/// <summary>The limits and clean-up of what an analyst writes with a decision, shared by the API and the portal so they agree.</summary>
public static class DecisionInput
{
    public const int MaxReasonLength = 2000;

    public const int MaxNoticeTitleLength = 300;

    public const int MaxNoticeTextLength = 8000;

    /// <summary>Trimmed, with Windows line ends (a browser's textarea) made <c>\n</c>; null when blank.</summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
    }

    /// <summary>
    /// Null, or at most <paramref name="max"/> characters with no control character but line breaks and tabs (and no
    /// line break at all unless <paramref name="multiline"/>): the text ends up in notices, emails and webhooks.
    /// </summary>
    public static bool IsAcceptable(string? text, int max, bool multiline = true)
    {
        if (text is null)
        {
            return true;
        }

        if (text.Length > max)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c != '\t' && !(multiline && c == '\n'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The audit target of a merge: which incident went into which.</summary>
    public static string MergeTarget(Guid from, Guid into) => $"incident/{from} into incident/{into}";
}
