using MimeKit;
using MimeKit.Cryptography;

namespace Bulwark.Server.Notification;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a relay on the same host, or tests).</summary>
    None,

    /// <summary>Connect in plain text and require STARTTLS before anything is sent.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// Configuration section <c>Smtp</c>. Without <see cref="Host"/> the instance sends no email: email deliveries
/// wait in the outbox until SMTP is configured.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>The sender, e.g. <c>Bulwark &lt;notices@alerts.example.org&gt;</c>; its domain should have SPF and DMARC <c>p=reject</c>.</summary>
    public string? From { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>DKIM signing domain (d=); set together with <see cref="DkimSelector"/> and <see cref="DkimPrivateKeyPath"/>.</summary>
    public string? DkimDomain { get; set; }

    /// <summary>DKIM selector (s=): the key is published at <c>{selector}._domainkey.{domain}</c>.</summary>
    public string? DkimSelector { get; set; }

    /// <summary>PEM file with the RSA private key (PKCS#1 or PKCS#8).</summary>
    public string? DkimPrivateKeyPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public bool DkimEnabled => !string.IsNullOrWhiteSpace(DkimDomain);

    public MailboxAddress FromAddress => MailboxAddress.Parse(From!);

    /// <summary>The signer for the configured key, or null without DKIM.</summary>
    public DkimSigner? CreateDkimSigner() => DkimEnabled
        ? new DkimSigner(DkimPrivateKeyPath!, DkimDomain!, DkimSelector!, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            AgentOrUserIdentifier = "@" + DkimDomain,
        }
        : null;

    /// <summary>The problems with these settings, each naming its key; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        var dkimParts = new[] { DkimDomain, DkimSelector, DkimPrivateKeyPath }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (!Enabled)
        {
            if (dkimParts > 0 || !string.IsNullOrWhiteSpace(From))
            {
                yield return $"{Section}:Host is required when other {Section} settings are given";
            }

            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{Section}:Port must be between 1 and 65535 (is {Port})";
        }

        if (string.IsNullOrWhiteSpace(From))
        {
            yield return $"{Section}:From is required, e.g. \"Bulwark <notices@alerts.example.org>\"";
        }
        else if (!MailboxAddress.TryParse(From, out var from) || from.Domain.Length == 0)
        {
            yield return $"{Section}:From is not an email address: \"{From}\"";
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return $"{Section}:Username and {Section}:Password go together: give both or neither";
        }

        if (!Enum.IsDefined(Security))
        {
            yield return $"{Section}:Security must be None, StartTls or SslOnConnect";
        }

        if (dkimParts is > 0 and < 3)
        {
            yield return $"{Section}:DkimDomain, {Section}:DkimSelector and {Section}:DkimPrivateKeyPath go together: give all three or none";
        }
        else if (dkimParts == 3)
        {
            string? keyProblem = null;
            if (!File.Exists(DkimPrivateKeyPath))
            {
                keyProblem = $"{Section}:DkimPrivateKeyPath: no file at \"{DkimPrivateKeyPath}\"";
            }
            else
            {
                try
                {
                    _ = CreateDkimSigner();
                }
                catch (Exception e)
                {
                    keyProblem = $"{Section}:DkimPrivateKeyPath: \"{DkimPrivateKeyPath}\" is not a readable RSA private key in PEM format ({e.GetType().Name})";
                }
            }

            if (keyProblem is not null)
            {
                yield return keyProblem;
            }
        }
    }
}
