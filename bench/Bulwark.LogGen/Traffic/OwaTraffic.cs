using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>Outlook on the web in a browser: the forms logon flow, then service.svc calls, notifications and static files.</summary>
public sealed class OwaTraffic(Rng rng, RequestFactory requests, ExchangeLogs logs)
{
    private const string Auth = "/owa/auth/" + Organization.OwaVersion;
    private const string LogonPage = "https://mail.contoso.org/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail.contoso.org%2fowa%2f";
    private const string OwaPage = "https://mail.contoso.org/owa/";

    private static readonly string[] LogonResources =
    [
        Auth + "/themes/resources/logon.css", Auth + "/scripts/premium/flogon.js", Auth + "/themes/resources/favicon.ico",
        Auth + "/themes/resources/Sign_in_arrow.png",
    ];

    private static readonly string[] Actions =
    [
        "FindConversation", "GetConversationItems", "GetItem", "FindItem", "GetAccessTokenforResource",
        "GetOwaUserConfiguration", "UpdateUserConfiguration", "GetComplianceConfiguration", "CreateItem", "FindPeople",
    ];

    public DateTime Emit(DateTime t, Mailbox user)
    {
        var roll = rng.NextDouble();
        return roll switch
        {
            < 0.12 => Logon(t, user),
            < 0.80 => Service(t, user, rng.Pick(Actions)),
            < 0.92 => Notification(t, user),
            _ => PublishedCalendar(t),
        };
    }

    /// <summary>GET /owa/ → logon.aspx and its static files → POST auth.owa → the mailbox loads.</summary>
    private DateTime Logon(DateTime t, Mailbox user)
    {
        var ip = Ip(user);
        Anonymous(t, "/owa/", null, null, ip, user, 302);
        t = t.AddMilliseconds(rng.Next(50, 300));
        Anonymous(t, "/owa/auth/logon.aspx", "url=https%3a%2f%2fmail.contoso.org%2fowa%2f&reason=0", null, ip, user, 200);
        foreach (var resource in LogonResources)
        {
            t = t.AddMilliseconds(rng.Next(5, 120));
            StaticFile(t, resource, LogonPage, ip, user);
        }

        t = t.AddMilliseconds(rng.Next(3000, 15000));
        var post = requests.New(t, "Owa", "POST", Organization.MailHost, "/owa/auth.owa").From(ip, user.BrowserAgent)
            .Returning(302).Sized(rng.Next(900, 1400), 0, rng.Latency(40));
        post.Referer = LogonPage;
        Send(post.By(user.Upn, user.Upn, "FBA"));
        t = t.AddMilliseconds(rng.Next(100, 600));
        return Service(Mailbox(t, user, ip), user, "GetOwaUserConfiguration");
    }

    private DateTime Service(DateTime t, Mailbox user, string action) => Send(ServiceRequest(t, user, Ip(user), action));

    /// <summary>A signed-in user's POST /owa/service.svc call.</summary>
    public Request ServiceRequest(DateTime t, Mailbox user, string ip, string action)
    {
        var r = Signed(t, user, ip, "POST", "/owa/service.svc")
            .WithQuery($"action={action}&app=Mail&n={rng.Next(1, 400)}")
            .Sized(rng.Next(400, 3000), rng.Next(300, 60000), rng.Latency(45));
        r.ProtocolAction = action;
        r.Referer = OwaPage;
        return r;
    }

    private DateTime Notification(DateTime t, Mailbox user)
    {
        var r = Signed(t, user, Ip(user), "POST", "/owa/ev.owa2").WithQuery("ns=PendingRequest&ev=PendingNotificationRequest&UA=0")
            .Sized(rng.Next(300, 600), rng.Next(100, 5000), rng.Next(30000, 600000));
        r.Referer = OwaPage;
        return Send(r);
    }

    private DateTime PublishedCalendar(DateTime t)
    {
        var stem = $"/owa/calendar/{rng.NextGuid():N}@contoso.org/{rng.NextGuid():N}/calendar.html";
        var ip = $"100.{rng.Next(64, 128)}.{rng.Next(0, 256)}.{rng.Next(1, 255)}";
        var r = requests.New(t, "OwaCalendar", "GET", Organization.MailHost, stem).From(ip, rng.Pick(UserAgents.Browsers))
            .ProxiedTo(stem, "", "AnonymousCalendarUrl").Sized(rng.Next(400, 900), rng.Next(4000, 30000), rng.Latency(70));
        r.EncodingToken = true;
        return Send(r);
    }

    private DateTime Mailbox(DateTime t, Mailbox user, string ip)
    {
        var r = Signed(t, user, ip, "GET", "/owa/").Sized(rng.Next(900, 1500), rng.Next(20000, 60000), rng.Latency(120));
        r.Referer = LogonPage;
        Send(r);
        return t.AddMilliseconds(rng.Next(300, 1500));
    }

    private Request Signed(DateTime t, Mailbox user, string ip, string method, string stem)
    {
        var r = requests.New(t, "Owa", method, Organization.MailHost, stem).By(user.Upn, user.Upn, "FBA")
            .From(ip, user.BrowserAgent).ProxiedTo(stem, user.SmtpAnchor, "OwaExplicitLogonAnchor");
        r.Cookie = $"ClientId={user.MailboxGuid:N}; PrivateComputer=true; X-BackEndCookie={user.Sid}=u56Lnp2ejJqBzc3Kz8vGycbSnZ7GztLLycjL";
        r.EncodingToken = true;
        return r;
    }

    private void Anonymous(DateTime t, string stem, string? query, string? referer, string ip, Mailbox user, int status)
    {
        var r = requests.New(t, "Owa", "GET", Organization.MailHost, stem).WithQuery(query).From(ip, user.BrowserAgent)
            .Returning(status).Sized(rng.Next(500, 900), status == 302 ? 0 : rng.Next(9000, 12000), rng.Latency(8));
        r.Referer = referer;
        r.EncodingToken = true;
        Send(r);
    }

    private void StaticFile(DateTime t, string stem, string referer, string ip, Mailbox user) =>
        logs.Write(StaticRequest(t, stem, referer, ip, user));

    /// <summary>Static files under owa/auth are served by IIS itself: they appear in the IIS log only.</summary>
    public Request StaticRequest(DateTime t, string stem, string referer, string ip, Mailbox user)
    {
        var r = requests.New(t, null, "GET", Organization.MailHost, stem).From(ip, user.BrowserAgent)
            .Sized(0, 0, rng.Next(0, 16));
        r.Referer = referer;
        r.EncodingToken = true;
        return r;
    }

    private string Ip(Mailbox user) => user.Device is not null && rng.Chance(0.25) ? user.Device.Ip : user.WorkstationIp;

    private DateTime Send(Request r)
    {
        logs.Write(r);
        return r.Time;
    }
}
