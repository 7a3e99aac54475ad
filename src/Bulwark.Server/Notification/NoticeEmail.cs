using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Data.Notification;
using MimeKit;

namespace Bulwark.Server.Notification;

/// <summary>
/// The email that announces a notice: its id, title and severity, and "sign in to your portal to read it"
/// (a person's notice gets a neutral title instead of its own).
/// No links, no attachments, nothing an attacker could usefully imitate. The <c>Message-ID</c> is derived from
/// the delivery's idempotency key, so a resend after a crash carries the same id and the receiver can drop it.
/// </summary>
public static partial class NoticeEmail
{
    public static MimeMessage Create(Notice notice, string recipient, string idempotencyKey, EmailTexts texts, bool escalated, SmtpOptions smtp, DateTimeOffset now)
    {
        var from = smtp.FromAddress;
        // A person's notice is about their own accounts, and a work mailbox may be read by the organisation's IT:
        // its email names no detail, only that there is a notice.
        var title = notice.Audience == NoticeAudience.Person ? texts.PersonalTitle : Defang(notice.Title);
        var severity = texts.SeverityWord(notice.Severity);
        var id = notice.Id.ToString();

        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = Fill(texts.Subject, id, title, severity);
        message.Date = now;
        message.MessageId = MessageIdFor(idempotencyKey, smtp.DkimEnabled ? smtp.DkimDomain! : from.Domain);
        // RFC 3834: tells auto-responders not to answer.
        message.Headers.Add("Auto-Submitted", "auto-generated");

        var text = new StringBuilder()
            .Append(texts.Announcement).Append("\n\n")
            .Append(texts.NoticeIdLabel).Append(": ").Append(id).Append("\n")
            .Append(texts.TitleLabel).Append(": ").Append(title).Append("\n")
            .Append(texts.SeverityLabel).Append(": ").Append(severity).Append("\n\n");
        if (escalated)
        {
            text.Append(texts.Escalated).Append("\n\n");
        }

        text.Append(texts.HowToRead).Append("\n\n").Append(texts.NeverAsks).Append("\n");

        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(Html(texts.Language)).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(Html(texts.Heading)).Append("</title></head><body>")
            .Append("<h1>").Append(Html(texts.Heading)).Append("</h1>")
            .Append("<p>").Append(Html(texts.Announcement)).Append("</p>")
            .Append("<table>")
            .Append("<tr><th scope=\"row\">").Append(Html(texts.NoticeIdLabel)).Append("</th><td><code>").Append(Html(id)).Append("</code></td></tr>")
            .Append("<tr><th scope=\"row\">").Append(Html(texts.TitleLabel)).Append("</th><td>").Append(Html(title)).Append("</td></tr>")
            .Append("<tr><th scope=\"row\">").Append(Html(texts.SeverityLabel)).Append("</th><td>").Append(Html(severity)).Append("</td></tr>")
            .Append("</table>");
        if (escalated)
        {
            html.Append("<p>").Append(Html(texts.Escalated)).Append("</p>");
        }

        html.Append("<p>").Append(Html(texts.HowToRead)).Append("</p>")
            .Append("<p>").Append(Html(texts.NeverAsks)).Append("</p>")
            .Append("</body></html>");

        message.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        message.Body.Headers.Add(HeaderId.ContentLanguage, texts.Language);
        return message;
    }

    /// <summary>The Message-ID (without angle brackets) for a delivery: the same key always gives the same id.</summary>
    public static string MessageIdFor(string idempotencyKey, string domain) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..40] + "@" + domain;

    /// <summary>
    /// Makes anything that a mail client could turn into a link inert (<c>hxxp</c>, <c>[.]</c>), in case a title
    /// ever carries an address: the email must hold no link at all.
    /// </summary>
    public static string Defang(string text)
    {
        var defanged = HttpScheme().Replace(text, m => "hxxp" + m.Value[4..]);
        defanged = defanged.Replace("://", "[:]//", StringComparison.Ordinal);
        return DomainLike().Replace(defanged, m => m.Value.Replace(".", "[.]", StringComparison.Ordinal));
    }

    private static string Fill(string template, string id, string title, string severity) => template
        .Replace("{id}", id, StringComparison.Ordinal)
        .Replace("{title}", title, StringComparison.Ordinal)
        .Replace("{severity}", severity, StringComparison.Ordinal);

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("http(?=s?:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpScheme();

    // A word with a dot followed by two or more letters (example.org, www.evil.co): what mail clients auto-link.
    [GeneratedRegex(@"\b[\w-]+(\.[\w-]+)*\.[A-Za-z]{2,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex DomainLike();
}
