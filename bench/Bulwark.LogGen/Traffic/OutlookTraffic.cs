using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>Outlook desktop: MAPI over HTTP, address book (NSPI), Autodiscover, free/busy over EWS, OAB, and RPC over HTTP for Outlook 2013.</summary>
public sealed class OutlookTraffic(Rng rng, RequestFactory requests, ExchangeLogs logs)
{
    private static readonly Guid OabGuid = new("5b8d0c49-b5a3-4d6b-9c8e-2f1a7d9e3c41");

    public DateTime Emit(DateTime t, Mailbox user)
    {
        if (user.UsesMac)
        {
            return Ews(t, user);
        }

        var roll = rng.NextDouble();
        return roll switch
        {
            < 0.58 => Mapi(t, user, "/mapi/emsmdb/"),
            < 0.66 => Mapi(t, user, "/mapi/nspi/"),
            < 0.76 => Ews(t, user),
            < 0.88 => Autodiscover(t, user),
            < 0.94 => Oab(t, user),
            _ => user.OutlookAgent.Contains("Outlook 15.", StringComparison.Ordinal) ? RpcHttp(t, user) : Mapi(t, user, "/mapi/emsmdb/"),
        };
    }

    private DateTime Mapi(DateTime t, Mailbox user, string stem)
    {
        var wait = stem == "/mapi/emsmdb/" && rng.Chance(0.3);
        var r = requests.New(t, "Mapi", "POST", Organization.MailHost, stem)
            .WithQuery($"MailboxId={user.MailboxGuid:D}@contoso.org")
            .By(user.DomainAccount, user.DomainAccount, "Negotiate")
            .From(user.WorkstationIp, user.OutlookAgent)
            .ProxiedTo(stem, user.MailboxAnchor, "MailboxGuidWithDomain")
            .Sized(rng.Next(300, 9000), rng.Next(200, 60000), wait ? rng.Next(20000, 60000) : rng.Latency(25));
        r.DatabaseGuid = user.DatabaseGuid.ToString("D");
        return Send(r, challenge: 0.06);
    }

    private DateTime Ews(DateTime t, Mailbox user)
    {
        var agent = user.UsesMac && rng.Chance(0.4) ? UserAgents.AppleMail : user.OutlookAgent;
        var r = requests.New(t, "Ews", "POST", Organization.MailHost, "/EWS/Exchange.asmx")
            .By(user.DomainAccount, user.DomainAccount, "NTLM")
            .From(user.WorkstationIp, agent)
            .ProxiedTo("/EWS/Exchange.asmx", user.SmtpAnchor, "Smtp")
            .Sized(rng.Next(600, 4000), rng.Next(800, 40000), rng.Latency(60));
        return Send(r, challenge: user.UsesMac ? 0.35 : 0.1);
    }

    private DateTime Autodiscover(DateTime t, Mailbox user)
    {
        var r = requests.New(t, "Autodiscover", "POST", Organization.AutodiscoverHost, "/autodiscover/autodiscover.xml")
            .By(user.DomainAccount, user.DomainAccount, "NTLM")
            .From(user.WorkstationIp, user.OutlookAgent)
            .ProxiedTo("/Autodiscover/Autodiscover.xml", user.SidAnchor, "WindowsIdentity")
            .Sized(rng.Next(330, 420), rng.Next(2500, 4200), rng.Latency(15));
        r.BackEndCookie = $"Database~{user.DatabaseGuid:D}~~2021-04-01T00:00:00~contoso.local~1";
        return Send(r, challenge: 0.3);
    }

    private DateTime Oab(DateTime t, Mailbox user)
    {
        var file = rng.Chance(0.7) ? "oab.xml" : $"{rng.NextGuid():D}-data-{rng.Next(1, 9)}.lzx";
        var stem = $"/OAB/{OabGuid:D}/{file}";
        var r = requests.New(t, "Oab", "GET", Organization.MailHost, stem)
            .By(user.DomainAccount, user.DomainAccount, "Negotiate")
            .From(user.WorkstationIp, user.OutlookAgent)
            .ProxiedTo(stem, user.SidAnchor, "WindowsIdentity")
            .Sized(rng.Next(250, 400), file == "oab.xml" ? rng.Next(1500, 3000) : rng.Next(20000, 900000), rng.Latency(20));
        return Send(r, challenge: 0.2);
    }

    private DateTime RpcHttp(DateTime t, Mailbox user)
    {
        var method = rng.Chance(0.5) ? "RPC_IN_DATA" : "RPC_OUT_DATA";
        var r = requests.New(t, "RpcHttp", method, Organization.MailHost, "/rpc/rpcproxy.dll")
            .WithQuery($"{user.MailboxGuid:D}@contoso.org:6001")
            .By(user.DomainAccount, user.DomainAccount, "NTLM")
            .From(user.WorkstationIp, "MSRPC")
            .ProxiedTo("/rpc/rpcproxy.dll", user.MailboxAnchor, "RpcHttpServer")
            .Sized(rng.Next(100, 1000), rng.Next(100, 80000), rng.Next(30000, 900000));
        return Send(r, challenge: 0.1);
    }

    private DateTime Send(Request r, double challenge)
    {
        if (rng.Chance(challenge))
        {
            logs.Write(requests.Challenge(r));
        }

        logs.Write(r);
        return r.Time;
    }
}
