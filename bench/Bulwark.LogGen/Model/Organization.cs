namespace Bulwark.LogGen.Model;

/// <summary>
/// The fictitious organisation behind the logs: one Exchange 2016 CU18 server (15.1.2106.2, vulnerable
/// to ProxyLogon) named EX01 in contoso.local, mail domain contoso.org, a few hundred mailboxes.
/// </summary>
public sealed class Organization
{
    public const string ServerName = "EX01";
    public const string ServerFqdn = "ex01.contoso.local";
    public const string ServerIp = "10.0.1.10";
    public const string MailHost = "mail.contoso.org";
    public const string AutodiscoverHost = "autodiscover.contoso.org";

    /// <summary>Exchange's header form of 15.1.2106.2.</summary>
    public const string BuildHeader = "15.01.2106.002";
    public const string TargetServerVersion = "15.01.2106.000";

    /// <summary>ServerVersion integer of 15.1.2106 as it appears in back-end cookies (<c>~1942063162</c>).</summary>
    public const string ServerVersionNumber = "1942063162";

    public const string OwaVersion = "15.1.2106";

    private const string DomainSid = "S-1-5-21-1402327396-2851218426-2839510234";

    private Organization(Mailbox[] mailboxes, Mailbox admin, string[] healthMailboxes, Guid[] databases)
    {
        Mailboxes = mailboxes;
        Admin = admin;
        HealthMailboxes = healthMailboxes;
        Databases = databases;
    }

    public IReadOnlyList<Mailbox> Mailboxes { get; }

    /// <summary>The Exchange administrator who uses ECP now and then.</summary>
    public Mailbox Admin { get; }

    public IReadOnlyList<string> HealthMailboxes { get; }

    public IReadOnlyList<Guid> Databases { get; }

    public static Organization Create(Rng rng, int mailboxCount)
    {
        var databases = new[] { rng.NextGuid(), rng.NextGuid() };
        var mailboxes = new Mailbox[mailboxCount];
        for (var i = 0; i < mailboxCount; i++)
        {
            mailboxes[i] = NewMailbox(rng, $"user{i + 1:D3}", 1105 + i, databases);
        }

        var admin = NewMailbox(rng, "exadmin", 1104, databases);
        var health = databases.Select(_ => $"HealthMailbox{rng.NextGuid():N}@contoso.org").ToArray();
        return new Organization(mailboxes, admin, health, databases);
    }

    private static Mailbox NewMailbox(Rng rng, string name, int rid, Guid[] databases)
    {
        var mac = rng.Chance(0.12);
        return new Mailbox
        {
            Name = name,
            Upn = name + "@contoso.org",
            DomainAccount = "CONTOSO\\" + name,
            Sid = $"{DomainSid}-{rid}",
            MailboxGuid = rng.NextGuid(),
            DatabaseGuid = rng.Pick(databases),
            WorkstationIp = $"10.0.{rng.Next(20, 24)}.{rng.Next(10, 250)}",
            UsesMac = mac,
            OutlookAgent = mac ? rng.Pick(UserAgents.OutlookMac) : rng.Pick(UserAgents.OutlookWindows),
            BrowserAgent = mac ? UserAgents.Browsers[4] : rng.Pick(UserAgents.Browsers[..4]),
            Device = rng.Chance(0.7) ? NewDevice(rng) : null,
        };
    }

    private static EasDevice NewDevice(Rng rng)
    {
        var (type, agent) = rng.Pick(UserAgents.Mobile);
        var id = $"{rng.NextUInt64():X16}{rng.NextUInt64():X16}";
        // Carrier-grade NAT space (RFC 6598): looks like mobile carriers, never collides with a real indicator.
        var ip = $"100.{rng.Next(64, 128)}.{rng.Next(0, 256)}.{rng.Next(1, 255)}";
        return new EasDevice(id, type, agent, ip);
    }
}
