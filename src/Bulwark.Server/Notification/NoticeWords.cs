using System.Globalization;
using Bulwark.Core.Findings;

namespace Bulwark.Server.Notification;

/// <summary>
/// The words a notice is written with, per language (the portal's languages: English, French, Spanish). Detection
/// titles and remediation steps come from <see cref="DetectionTexts"/>; dates stay ISO 8601 in every language.
/// </summary>
public sealed record NoticeWords(
    string Language,
    string WhatWeSaw,
    string OccurrenceOne,
    string OccurrenceMany,
    string FirstSeen,
    string LastSeen,
    string LogCollectionOne,
    string LogCollectionMany,
    string SharedAccountOne,
    string SharedAccountMany,
    string Where,
    string AndList,
    string WhenFromToFormat,
    string HowSure,
    string HighConfidence,
    string MediumConfidence,
    string LowConfidence,
    string FalseAlarmLine,
    string PersonHelpLine,
    string NoStepsYet,
    string YourPersonalAccount,
    string PersonalWhatWeSaw,
    string WhenOnFormat,
    string WhenBetweenFormat,
    string OrganisationMaySee,
    string OnlyYou,
    string BehindIt,
    string AlsoKnownAs,
    string CountryLabel,
    string IntelConfidenceFormat,
    string IntelCaveat,
    string GovernmentBacked)
{
    public static readonly NoticeWords English = new(
        Language: "en",
        WhatWeSaw: "What we saw:",
        OccurrenceOne: "{0} occurrence",
        OccurrenceMany: "{0} occurrences",
        FirstSeen: ", first seen ",
        LastSeen: ", last seen ",
        LogCollectionOne: "in {0} log collection from your organisation's servers",
        LogCollectionMany: "in {0} log collections from your organisation's servers",
        SharedAccountOne: "on {0} staff member's personal account, shared with the organisation by their owners' consent",
        SharedAccountMany: "on {0} staff members' personal accounts, shared with the organisation by their owners' consent",
        Where: "Where: ",
        AndList: "; and ",
        WhenFromToFormat: "When: from {0} to {1}",
        HowSure: "How sure we are: ",
        HighConfidence: "high confidence: the evidence matches this attack closely.",
        MediumConfidence: "medium confidence: the evidence fits this attack, but it could have an innocent explanation.",
        LowConfidence: "low confidence: this is possible, not established.",
        FalseAlarmLine: "This may be a false alarm. If it is, or if it was you, say so with the notice's feedback (\"false alarm\" or \"this was me\").",
        PersonHelpLine: "If you need help, contact your organisation's security contact or the Access Now Digital Security Helpline.",
        NoStepsYet: "An analyst will follow up with the steps to take. Until then, watch for unusual sign-ins and messages.",
        YourPersonalAccount: "Your personal account: ",
        PersonalWhatWeSaw: "What we saw: activity against a personal account you asked Bulwark to watch.",
        WhenOnFormat: "When: on {0}",
        WhenBetweenFormat: "When: between {0} and {1}",
        OrganisationMaySee: "Your organisation's security contacts can also see activity on this account, because you allowed it.",
        OnlyYou: "Only you can see this notice: your organisation is not told about your personal accounts.",
        BehindIt: "Who may be behind it: ",
        AlsoKnownAs: "also known as ",
        CountryLabel: "country ",
        IntelConfidenceFormat: "intelligence confidence {0}/100",
        IntelCaveat: "Threat intelligence suggests this; it does not prove it.",
        GovernmentBacked: "a government-backed actor");

    public static readonly NoticeWords French = new(
        Language: "fr",
        WhatWeSaw: "Ce que nous avons vu :",
        OccurrenceOne: "{0} occurrence",
        OccurrenceMany: "{0} occurrences",
        FirstSeen: ", vu pour la première fois le ",
        LastSeen: ", vu pour la dernière fois le ",
        LogCollectionOne: "dans {0} collecte de journaux des serveurs de votre organisation",
        LogCollectionMany: "dans {0} collectes de journaux des serveurs de votre organisation",
        SharedAccountOne: "sur le compte personnel de {0} membre du personnel, partagé avec l'organisation avec l'accord de son titulaire",
        SharedAccountMany: "sur les comptes personnels de {0} membres du personnel, partagés avec l'organisation avec l'accord de leurs titulaires",
        Where: "Où : ",
        AndList: " ; et ",
        WhenFromToFormat: "Quand : du {0} au {1}",
        HowSure: "Notre degré de certitude : ",
        HighConfidence: "élevé : les éléments correspondent étroitement à cette attaque.",
        MediumConfidence: "moyen : les éléments correspondent à cette attaque, mais une explication anodine reste possible.",
        LowConfidence: "faible : c'est possible, pas établi.",
        FalseAlarmLine: "Il peut s'agir d'une fausse alerte. Si c'est le cas, ou si c'était vous, dites-le avec les boutons de réponse de l'avis (« fausse alerte » ou « c'était moi »).",
        PersonHelpLine: "Si vous avez besoin d'aide, contactez le responsable sécurité de votre organisation ou la ligne d'assistance en sécurité numérique d'Access Now (Digital Security Helpline).",
        NoStepsYet: "Un analyste vous indiquera les mesures à prendre. D'ici là, surveillez les connexions et les messages inhabituels.",
        YourPersonalAccount: "Votre compte personnel : ",
        PersonalWhatWeSaw: "Ce que nous avons vu : une activité visant un compte personnel que vous avez demandé à Bulwark de surveiller.",
        WhenOnFormat: "Quand : le {0}",
        WhenBetweenFormat: "Quand : entre le {0} et le {1}",
        OrganisationMaySee: "Les responsables sécurité de votre organisation peuvent aussi voir l'activité sur ce compte, parce que vous l'avez autorisé.",
        OnlyYou: "Vous seul pouvez voir cet avis : votre organisation n'est pas informée de vos comptes personnels.",
        BehindIt: "Qui pourrait être derrière : ",
        AlsoKnownAs: "aussi appelé ",
        CountryLabel: "pays : ",
        IntelConfidenceFormat: "confiance du renseignement {0}/100",
        IntelCaveat: "Le renseignement sur les menaces le suggère ; il ne le prouve pas.",
        GovernmentBacked: "un acteur soutenu par un gouvernement");

    public static readonly NoticeWords Spanish = new(
        Language: "es",
        WhatWeSaw: "Lo que vimos:",
        OccurrenceOne: "{0} vez",
        OccurrenceMany: "{0} veces",
        FirstSeen: ", visto por primera vez el ",
        LastSeen: ", visto por última vez el ",
        LogCollectionOne: "en {0} colección de registros de los servidores de su organización",
        LogCollectionMany: "en {0} colecciones de registros de los servidores de su organización",
        SharedAccountOne: "en la cuenta personal de {0} miembro del personal, compartida con la organización con el consentimiento de su titular",
        SharedAccountMany: "en las cuentas personales de {0} miembros del personal, compartidas con la organización con el consentimiento de sus titulares",
        Where: "Dónde: ",
        AndList: "; y ",
        WhenFromToFormat: "Cuándo: del {0} al {1}",
        HowSure: "Qué tan seguros estamos: ",
        HighConfidence: "confianza alta: las pruebas coinciden estrechamente con este ataque.",
        MediumConfidence: "confianza media: las pruebas encajan con este ataque, pero podría haber una explicación inocente.",
        LowConfidence: "confianza baja: es posible, no está demostrado.",
        FalseAlarmLine: "Puede ser una falsa alarma. Si lo es, o si fue usted, díganoslo con las respuestas del aviso («falsa alarma» o «fui yo»).",
        PersonHelpLine: "Si necesita ayuda, contacte con el responsable de seguridad de su organización o con la Línea de Ayuda en Seguridad Digital de Access Now.",
        NoStepsYet: "Un analista le indicará los pasos a seguir. Mientras tanto, esté atento a inicios de sesión y mensajes inusuales.",
        YourPersonalAccount: "Su cuenta personal: ",
        PersonalWhatWeSaw: "Lo que vimos: actividad contra una cuenta personal que pidió a Bulwark que vigilara.",
        WhenOnFormat: "Cuándo: el {0}",
        WhenBetweenFormat: "Cuándo: entre el {0} y el {1}",
        OrganisationMaySee: "Los responsables de seguridad de su organización también pueden ver la actividad de esta cuenta, porque usted lo permitió.",
        OnlyYou: "Solo usted puede ver este aviso: su organización no recibe información sobre sus cuentas personales.",
        BehindIt: "Quién podría estar detrás: ",
        AlsoKnownAs: "también conocido como ",
        CountryLabel: "país: ",
        IntelConfidenceFormat: "confianza de la inteligencia {0}/100",
        IntelCaveat: "La inteligencia de amenazas lo sugiere; no lo demuestra.",
        GovernmentBacked: "un actor respaldado por un gobierno");

    public static readonly IReadOnlyList<NoticeWords> All = [English, French, Spanish];

    /// <summary>The words for a BCP 47 tag (primary subtag: "fr-BE" is French), or English.</summary>
    public static NoticeWords For(string? language)
    {
        var primary = (language ?? "").Split('-', '_')[0];
        return All.FirstOrDefault(w => string.Equals(w.Language, primary, StringComparison.OrdinalIgnoreCase)) ?? English;
    }

    public string Occurrences(int n) => Format(n == 1 ? OccurrenceOne : OccurrenceMany, n);

    public string InLogCollections(int n) => Format(n == 1 ? LogCollectionOne : LogCollectionMany, n);

    public string OnSharedAccounts(int n) => Format(n == 1 ? SharedAccountOne : SharedAccountMany, n);

    public string WhenFromTo(string from, string to) => string.Format(CultureInfo.InvariantCulture, WhenFromToFormat, from, to);

    public string WhenOn(string day) => string.Format(CultureInfo.InvariantCulture, WhenOnFormat, day);

    public string WhenBetween(string first, string last) => string.Format(CultureInfo.InvariantCulture, WhenBetweenFormat, first, last);

    public string IntelConfidence(int confidence) => Format(IntelConfidenceFormat, confidence);

    public string Confidence(Confidence confidence) => confidence switch
    {
        Bulwark.Core.Findings.Confidence.High => HighConfidence,
        Bulwark.Core.Findings.Confidence.Medium => MediumConfidence,
        _ => LowConfidence,
    };

    private static string Format(string format, int n) => string.Format(CultureInfo.InvariantCulture, format, n);
}
