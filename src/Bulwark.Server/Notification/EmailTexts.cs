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

    public static readonly EmailTexts French = new(
        Language: "fr",
        Subject: "Avis Bulwark {id} ({severity}) : {title}",
        Heading: "Nouvel avis de sécurité Bulwark",
        Announcement: "Bulwark a un nouvel avis de sécurité pour vous.",
        NoticeIdLabel: "Numéro de l'avis",
        TitleLabel: "Titre",
        SeverityLabel: "Gravité",
        HowToRead: "Connectez-vous à votre portail Bulwark pour le lire, et retrouvez-le grâce à son numéro. Ouvrez le portail vous-même, depuis vos favoris ou en tapant son adresse : ce message ne contient ni lien ni pièce jointe, volontairement.",
        NeverAsks: "Bulwark ne vous demande jamais par courriel un mot de passe ou un code, et ne vous demande jamais d'ouvrir un fichier ou d'installer quoi que ce soit. Un message qui le fait ne vient pas de Bulwark.",
        Escalated: "Vous recevez ce message parce que l'avis est critique et que les contacts précédents ne l'ont pas pris en compte à temps.",
        PersonalTitle: "Un avis de sécurité pour vous",
        Severities: new Dictionary<Severity, string>
        {
            [Severity.Info] = "information",
            [Severity.Low] = "faible",
            [Severity.Medium] = "moyenne",
            [Severity.High] = "élevée",
            [Severity.Critical] = "critique",
        });

    public static readonly EmailTexts Spanish = new(
        Language: "es",
        Subject: "Aviso de Bulwark {id} ({severity}): {title}",
        Heading: "Nuevo aviso de seguridad de Bulwark",
        Announcement: "Bulwark tiene un nuevo aviso de seguridad para usted.",
        NoticeIdLabel: "Número del aviso",
        TitleLabel: "Título",
        SeverityLabel: "Gravedad",
        HowToRead: "Inicie sesión en su portal de Bulwark para leerlo y búsquelo por su número. Abra el portal usted mismo, desde sus marcadores o escribiendo su dirección: este mensaje no tiene enlaces ni adjuntos, a propósito.",
        NeverAsks: "Bulwark nunca le pide por correo una contraseña o un código, y nunca le pide que abra un archivo o instale nada. Un mensaje que lo haga no viene de Bulwark.",
        Escalated: "Recibe este mensaje porque el aviso es crítico y los contactos anteriores no lo confirmaron a tiempo.",
        PersonalTitle: "Un aviso de seguridad para usted",
        Severities: new Dictionary<Severity, string>
        {
            [Severity.Info] = "información",
            [Severity.Low] = "baja",
            [Severity.Medium] = "media",
            [Severity.High] = "alta",
            [Severity.Critical] = "crítica",
        });

    /// <summary>Languages with a template (BCP 47 primary subtag).</summary>
    public static readonly IReadOnlyDictionary<string, EmailTexts> ByLanguage = new Dictionary<string, EmailTexts>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = English,
        ["fr"] = French,
        ["es"] = Spanish,
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
