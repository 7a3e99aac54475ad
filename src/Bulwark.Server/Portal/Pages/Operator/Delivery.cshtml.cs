using System.Globalization;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership;
using Bulwark.Server.Notification;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bulwark.Server.Portal.Pages.Operator;

/// <summary>
/// The email settings in effect (configuration only: never the SMTP password or the DKIM key, just whether they
/// are set) and a test message sent through the configured sender, whose outcome is reported as it happened.
/// </summary>
public sealed class DeliveryModel(
    IOptions<SmtpOptions> smtp,
    IEnumerable<IEmailSender> senders,
    AuditLog audit,
    TimeProvider time,
    IStringLocalizer<Text.OperatorText> t) : PageModel
{
    public SmtpOptions Smtp => smtp.Value;

    [BindProperty]
    public string? To { get; set; }

    /// <summary>The outcome of the test message: true sent, false failed (with <see cref="Error"/>), null none tried.</summary>
    public bool? Sent { get; private set; }

    public string? Error { get; private set; }

    public string? MessageId { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        if (!EmailAddress.TryNormalise(To, out var to, out _))
        {
            ModelState.AddModelError(nameof(To), string.IsNullOrWhiteSpace(To)
                ? t["Enter the address to send the test message to."]
                : t["\"{0}\" is not a valid email address.", To.Trim().Length > 100 ? To.Trim()[..100] + "…" : To.Trim()]);
            return Page();
        }

        var sender = senders.LastOrDefault();
        if (!Smtp.Enabled || sender is null)
        {
            ModelState.AddModelError(string.Empty, t["This instance has no SMTP server configured (Smtp:Host), so it sends no email. Configure one, restart, then try again."]);
            return Page();
        }

        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var body = new TextPart("plain")
        {
            Text = t["This is a test message from your Bulwark instance, sent by an operator from the email delivery page at {0}. If you are reading it, email delivery works. It needs no reply.", OperatorNames.Instant(time.GetUtcNow())],
        };
        body.Headers.Add(HeaderId.ContentLanguage, language);
        var message = new MimeMessage { Subject = t["Bulwark test message"], Date = time.GetUtcNow(), Body = body };
        message.To.Add(MailboxAddress.Parse(to));
        try
        {
            await sender.SendAsync(message, ct);
            Sent = true;
            MessageId = message.MessageId;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The operator needs the server's own words (refused relay, bad credentials, TLS failure): show them.
            Sent = false;
            Error = $"{e.GetType().Name}: {e.Message}";
        }

        await audit.RecordAsync(Sent == true ? "delivery.test.sent" : "delivery.test.failed", "smtp", null, ct);
        return Page();
    }
}
