using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>
/// The Exchange admin center and OWA options pages (both /ecp/): users reading their inbox rules and
/// settings, and the administrator now and then listing recipients or using remote PowerShell.
/// Each ECP call that runs a cmdlet also writes an ECP server log line.
/// </summary>
public sealed class EcpTraffic(Rng rng, RequestFactory requests, ExchangeLogs logs)
{
    private static readonly (string Path, string Command)[] UserPages =
    [
        ("/ecp/RulesEditor/InboxRules.svc/GetList", "Get-InboxRule"),
        ("/ecp/RegionalSettings/RegionalSettings.svc/GetObject", "Pipeline.1|Get-MailboxRegionalConfiguration"),
        ("/ecp/Organize/AutomaticReplies.svc/GetObject", "Get-MailboxAutoReplyConfiguration"),
        ("/ecp/MyGroups/PersonalGroups.svc/GetList", "Get-Recipient"),
    ];

    private static readonly (string Schema, string Command)[] AdminLists =
    [
        ("MailboxService", "Get-Recipient.ResultSize=500"),
        ("DistributionGroup", "Get-DistributionGroup.ResultSize=500"),
        ("ExchangeServer", "Get-ExchangeServer"),
        ("MessageTrace", "Get-MessageTrackingLog.ResultSize=1000"),
    ];

    public DateTime Emit(DateTime t, Mailbox user, Mailbox admin)
    {
        var roll = rng.NextDouble();
        return roll switch
        {
            < 0.75 => UserOptions(t, user),
            < 0.95 => AdminList(t, admin),
            _ => RemotePowerShell(t, admin),
        };
    }

    /// <summary>An ECP POST by <paramref name="user"/> that runs <paramref name="command"/>; returns where its lines went.</summary>
    public EcpCall Call(DateTime t, Mailbox user, string ip, string path, string query, string command)
    {
        var latency = rng.Latency(90);
        var r = requests.New(t, "Ecp", "POST", Organization.MailHost, path).WithQuery(query)
            .By(user.Upn, user.Upn, "FBA").From(ip, user.BrowserAgent)
            .ProxiedTo(path, user.SidAnchor, "WindowsIdentity")
            .Sized(rng.Next(300, 2000), rng.Next(500, 30000), latency);
        r.Referer = "https://mail.contoso.org/ecp/";
        r.Cookie = $"msExchEcpCanary={Canary(user)}; X-BackEndCookie={user.Sid}=u56Lnp2ejJqBzc3Kz8vGycbSnZ7GztLLycjL";
        var server = logs.WriteEcpServer(t.AddMilliseconds(-latency / 2), EcpEvent.Request(rng, command, path + "?" + query, user.MailboxGuid, latency / 2));
        return new EcpCall(logs.Write(r), server);
    }

    /// <summary>The anti-CSRF canary ECP puts on every call; stable per user session.</summary>
    public static string Canary(Mailbox user)
    {
        Span<byte> bytes = stackalloc byte[32];
        user.MailboxGuid.TryWriteBytes(bytes);
        user.DatabaseGuid.TryWriteBytes(bytes[16..]);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".";
    }

    private DateTime UserOptions(DateTime t, Mailbox user)
    {
        var (path, command) = rng.Pick(UserPages);
        Call(t, user, user.WorkstationIp, path, "msExchEcpCanary=" + Canary(user), command);
        return t;
    }

    private DateTime AdminList(DateTime t, Mailbox admin)
    {
        var (schema, command) = rng.Pick(AdminLists);
        Call(t, admin, AdminWorkstation, "/ecp/DDI/DDIService.svc/GetList", $"schema={schema}&msExchEcpCanary={Canary(admin)}", command);
        return t;
    }

    private DateTime RemotePowerShell(DateTime t, Mailbox admin)
    {
        var r = requests.New(t, "PowerShell", "POST", Organization.ServerFqdn, "/powershell")
            .WithQuery("serializationLevel=Full;ExchClientVer=15.1.2106.2;clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.14393.4225")
            .By(admin.DomainAccount, admin.DomainAccount, "Kerberos").From(AdminWorkstation, UserAgents.WinRm)
            .ProxiedTo("/powershell", admin.SidAnchor, "WindowsIdentity")
            .Sized(rng.Next(1500, 9000), rng.Next(800, 50000), rng.Latency(400));
        logs.Write(r);
        return t;
    }

    public const string AdminWorkstation = "10.0.5.20";
}
