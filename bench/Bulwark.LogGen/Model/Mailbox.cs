namespace Bulwark.LogGen.Model;

/// <summary>A mailbox user with the clients and addresses their traffic comes from.</summary>
public sealed class Mailbox
{
    public required string Name { get; init; }

    public required string Upn { get; init; }

    public required string DomainAccount { get; init; }

    public required string Sid { get; init; }

    public required Guid MailboxGuid { get; init; }

    public required Guid DatabaseGuid { get; init; }

    public required string WorkstationIp { get; init; }

    public required string OutlookAgent { get; init; }

    public required string BrowserAgent { get; init; }

    public EasDevice? Device { get; init; }

    public bool UsesMac { get; init; }

    /// <summary><c>Sid~S-1-5-21-…</c>, the anchor EAS and Autodiscover log.</summary>
    public string SidAnchor => "Sid~" + Sid;

    public string SmtpAnchor => "Smtp~" + Upn;

    public string MailboxAnchor => "MailboxGuid~" + MailboxGuid.ToString("D") + "@contoso.org";
}
