using Bulwark.Core.Findings;

namespace Bulwark.Server.Notification;

/// <summary>
/// Everything a notice email says, per language, in one place. Add a language by adding one entry to
/// <see cref="ByLanguage"/>; a recipient whose language has no entry gets English. The texts never contain a
/// link, an address to visit or a request for credentials: the email only announces, the portal is authoritative.
/// </summary>
public sealed record EmailTexts(
    string Language,
    string Subject,
    string Heading,
    string Announcement,
    string NoticeIdLabel,
    string TitleLabel,
    string SeverityLabel,
    string HowToRead,
    string NeverAsks,
    string Escalated,
    string PersonalTitle,
    IReadOnlyDictionary<Severity, string> Severities)
{
    public const string DefaultLanguage = "en";

    public static readonly EmailTexts English = new(
        Language: "en",
        Subject: "Bulwark notice {id} ({severity}): {title}",
        Heading: "New Bulwark security notice",
        Announcement: "Bulwark has a new security notice for you.",
        NoticeIdLabel: "Notice id",
        TitleLabel: "Title",
        SeverityLabel: "Severity",
        HowToRead: "Sign in to your Bulwark portal to read it, and look it up by its id. Open the portal yourself, from your bookmark or by typing its address: this message has no links and no attachments, on purpose.",
        NeverAsks: "Bulwark never asks you by email for a password or a code, and never asks you to open a file or install anything. A message that does is not from Bulwark.",
        Escalated: "You are receiving this because the notice is critical and was not acknowledged in time by the contacts before you.",
        PersonalTitle: "A security notice for you",
        Severities: new Dictionary<Severity, string>
        {
            [Severity.Info] = "information",
            [Severity.Low] = "low",
            [Severity.Medium] = "medium",
            [Severity.High] = "high",
            [Severity.Critical] = "critical",
        });

    /// <summary>Languages with a template (BCP 47 primary subtag).</summary>
    public static readonly IReadOnlyDictionary<string, EmailTexts> ByLanguage = new Dictionary<string, EmailTexts>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = English,
    };

    /// <summary>The texts for a BCP 47 tag such as <c>fr</c> or <c>fr-BE</c>, or English.</summary>
    public static EmailTexts For(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return English;
        }

        var primary = language.Split('-', '_')[0];
        return ByLanguage.TryGetValue(primary, out var texts) ? texts : English;
    }

    public string SeverityWord(Severity severity) => Severities.TryGetValue(severity, out var word) ? word : severity.ToText();
}
