using System.Globalization;
using Bulwark.Server.Notification;
using MimeKit;

namespace Bulwark.Server.Membership;

/// <summary>
/// The two emails membership sends: an invitation to a work address and a verification code to a personal
/// address. Both carry no link and no attachment (a message with a link is what a phisher would send): only a
/// value to type into the Bulwark portal, which the reader opens themselves. The sender fills in From.
/// </summary>
public sealed partial class MembershipMail(IEnumerable<IEmailSender> senders, TimeProvider time, ILogger<MembershipMail> logger)
{
    /// <summary>Sends an invitation; false (logged, without the address or token) when no email could be sent.</summary>
    public Task<bool> SendInvitationAsync(string to, string organisation, string token, string language, DateTimeOffset expiresAt, Guid invitationId, CancellationToken ct)
    {
        var text = Texts.For(language);
        var body = string.Format(CultureInfo.InvariantCulture, text.InvitationBody, organisation, token, Utc(expiresAt));
        return SendAsync(to, string.Format(CultureInfo.InvariantCulture, text.InvitationSubject, organisation), body, language, "invitation", invitationId, ct);
    }

    /// <summary>Sends a verification code to a personal address; false when no email could be sent.</summary>
    public Task<bool> SendCodeAsync(string to, string code, string language, DateTimeOffset expiresAt, Guid accountId, CancellationToken ct)
    {
        var text = Texts.For(language);
        var body = string.Format(CultureInfo.InvariantCulture, text.CodeBody, code, Utc(expiresAt));
        return SendAsync(to, text.CodeSubject, body, language, "verification code", accountId, ct);
    }

    private async Task<bool> SendAsync(string to, string subject, string body, string language, string purpose, Guid about, CancellationToken ct)
    {
        // The last registration wins, as for any single service; none means this instance sends no email yet.
        var sender = senders.LastOrDefault();
        if (sender is null)
        {
            LogNoSender(logger, purpose, about);
            return false;
        }

        var text = new TextPart("plain") { Text = body };
        text.Headers.Add(HeaderId.ContentLanguage, Texts.Language(language));
        var message = new MimeMessage { Subject = subject, Date = time.GetUtcNow(), Body = text };
        message.To.Add(MailboxAddress.Parse(to));
        try
        {
            await sender.SendAsync(message, ct);
            LogSent(logger, purpose, about);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception's text may quote the address (a rejected recipient): log its type only.
            LogFailed(logger, purpose, about, e.GetType().Name);
            return false;
        }
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the {Purpose} email for {Id}")]
    private static partial void LogSent(ILogger logger, string purpose, Guid id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the {Purpose} email for {Id}: {Error}")]
    private static partial void LogFailed(ILogger logger, string purpose, Guid id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the {Purpose} email for {Id}: no email sender is configured")]
    private static partial void LogNoSender(ILogger logger, string purpose, Guid id);

    private sealed record Texts(string InvitationSubject, string InvitationBody, string CodeSubject, string CodeBody)
    {
        private static readonly Texts English = new(
            "{0} invites you to Bulwark",
            """
            {0} invites you to Bulwark, the service that warns its people when state-backed attackers target them.

            Your invitation code:

                {1}

            Open your Bulwark portal yourself, from your bookmark or by typing its address (this message has no link, and no genuine Bulwark message ever will), and enter the code there. It works once, until {2}.

            If you did not expect this invitation, ignore it and tell your organisation's IT security contact.
            """,
            "Your Bulwark verification code",
            """
            Someone, we hope you, asked Bulwark to watch this email account for attacks.

            Your verification code: {0}

            Enter it in your Bulwark portal, where you added this address. It works until {1}. Nobody from Bulwark will ever ask you to tell them this code.

            If you did not ask for this, ignore this message: nothing is watched until the code is entered.
            """);

        private static readonly Texts French = new(
            "{0} vous invite sur Bulwark",
            """
            {0} vous invite sur Bulwark, le service qui avertit ses membres lorsque des attaquants soutenus par un État les ciblent.

            Votre code d'invitation :

                {1}

            Ouvrez vous-même votre portail Bulwark, depuis vos favoris ou en tapant son adresse (ce message ne contient aucun lien, et aucun message authentique de Bulwark n'en contiendra), et saisissez-y ce code. Il n'est valable qu'une fois, jusqu'au {2}.

            Si vous n'attendiez pas cette invitation, ignorez-la et prévenez le responsable de la sécurité informatique de votre organisation.
            """,
            "Votre code de vérification Bulwark",
            """
            Quelqu'un, vous nous l'espérons, a demandé à Bulwark de surveiller ce compte de messagerie contre les attaques.

            Votre code de vérification : {0}

            Saisissez-le dans votre portail Bulwark, là où vous avez ajouté cette adresse. Il est valable jusqu'au {1}. Personne chez Bulwark ne vous demandera jamais de lui communiquer ce code.

            Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien n'est surveillé tant que le code n'a pas été saisi.
            """);

        private static readonly Texts Spanish = new(
            "{0} le invita a Bulwark",
            """
            {0} le invita a Bulwark, el servicio que avisa a sus miembros cuando atacantes respaldados por un Estado los tienen como objetivo.

            Su código de invitación:

                {1}

            Abra usted mismo su portal de Bulwark, desde sus marcadores o escribiendo su dirección (este mensaje no contiene ningún enlace, y ningún mensaje auténtico de Bulwark lo contendrá), e introduzca allí el código. Sirve una sola vez, hasta el {2}.

            Si no esperaba esta invitación, ignórela y avise al responsable de seguridad informática de su organización.
            """,
            "Su código de verificación de Bulwark",
            """
            Alguien, esperamos que usted, ha pedido a Bulwark que vigile esta cuenta de correo frente a ataques.

            Su código de verificación: {0}

            Introdúzcalo en su portal de Bulwark, donde añadió esta dirección. Es válido hasta el {1}. Nadie de Bulwark le pedirá nunca que le comunique este código.

            Si no lo ha pedido usted, ignore este mensaje: no se vigila nada hasta que se introduce el código.
            """);

        public static Texts For(string language) => Language(language) switch
        {
            "fr" => French,
            "es" => Spanish,
            _ => English,
        };

        /// <summary>The language the message is written in: the primary subtag when Bulwark has it, else English.</summary>
        public static string Language(string language)
        {
            var primary = language.Split('-')[0];
            return primary is "fr" or "es" ? primary : "en";
        }
    }
}
