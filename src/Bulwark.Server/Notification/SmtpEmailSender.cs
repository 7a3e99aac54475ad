using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Bulwark.Server.Notification;

/// <summary>
/// Sends through the configured SMTP server with MailKit, one connection per message, and DKIM-signs every
/// message when a key is configured. Fills in From, Message-ID and Date when the caller left them out.
/// </summary>
public sealed partial class SmtpEmailSender(
    IOptions<SmtpOptions> options,
    IOptions<NotificationOptions> notification,
    ILogger<SmtpEmailSender> logger) : IEmailSender
{
    // The headers a forger would change; the DKIM signature covers them (those present).
    private static readonly HeaderId[] SignedHeaders =
        [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost];

    private readonly Lazy<DkimSigner?> _signer = new(() => options.Value.CreateDkimSigner());

    public bool Enabled => options.Value.Enabled;

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = options.Value;
        if (!smtp.Enabled)
        {
            throw new InvalidOperationException("Smtp:Host is not configured: this instance sends no email");
        }

        if (message.From.Count == 0)
        {
            message.From.Add(smtp.FromAddress);
        }

        if (string.IsNullOrEmpty(message.MessageId))
        {
            message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(smtp.DkimEnabled ? smtp.DkimDomain! : smtp.FromAddress.Domain);
        }

        if (_signer.Value is { } signer)
        {
            // Sign the exact bytes that travel: fix the transfer encoding first, so no relay re-encodes the body.
            message.Prepare(EncodingConstraint.SevenBit);
            signer.Sign(message, SignedHeaders.Where(h => message.Headers.Contains(h)).ToList());
        }

        using var client = new SmtpClient { Timeout = (int)notification.Value.SendTimeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host!, smtp.Port, Socket(smtp.Security), ct);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
        LogSent(logger, message.MessageId);
    }

    private static SecureSocketOptions Socket(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security)),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent email {MessageId}")]
    private static partial void LogSent(ILogger logger, string messageId);
}
