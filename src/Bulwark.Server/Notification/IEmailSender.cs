using MimeKit;

namespace Bulwark.Server.Notification;

/// <summary>Sends one email (SMTP through MailKit, DKIM-signed when a key is configured).</summary>
public interface IEmailSender
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
