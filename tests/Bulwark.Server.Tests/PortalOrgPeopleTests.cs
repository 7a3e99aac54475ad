using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Bulwark.Data.Membership;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>The org admin's people page: invitations sent through the form, read from the real email (smtp4dev), listed and withdrawn.</summary>
public abstract class PortalOrgPeopleTests<TServer>(TServer server)
    where TServer : MembershipServer
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.GetCultureInfo("en"));

    private static List<string> Errors(PortalBrowser.PageResult page) => [.. page.Document.QuerySelectorAll(".errors li").Select(li => li.TextContent)];

    [Fact]
    public async Task Invitation_sent_from_the_form_reaches_the_work_address_is_listed_and_withdrawn()
    {
        var (member, domain, browser) = await AdminAsync("Journal Exemple");
        var (_, _, otherBrowser) = await AdminAsync("Autre Journal");
        var email = $"ana.garcia@{domain}";
        Assert.Equal("No invitation yet.", (await browser.GetAsync("/org/people")).Document.QuerySelector("#invitations-title + p")!.TextContent);

        var sent = await browser.SubmitAsync("/org/people", Form(("Email", $" Ana.Garcia@{domain.ToUpperInvariant()} "), ("Role", "OrgAdmin"), ("Language", "fr")), "#invite-form");

        Assert.Equal((HttpStatusCode.Redirect, "/org/people"), (sent.Status, sent.Target));
        var expires = server.Clock.GetUtcNow().AddDays(7);
        var page = await browser.GetAsync("/org/people");
        Assert.Equal($"Invitation sent to {email}. It works once, until {Time(expires)}.", page.Document.QuerySelector("p.status")!.TextContent);
        var mail = Assert.Single(await server.MailToAsync(email));
        Assert.Equal("Journal Exemple vous invite sur Bulwark", mail.Message.Subject);
        Assert.StartsWith("bwi_fr_", MembershipServer.InvitationToken(mail.Message.TextBody), StringComparison.Ordinal);
        var row = Assert.Single(page.Document.QuerySelectorAll("#invitations tbody tr"));
        Assert.Equal(
            [email, "Organisation admin", $"Pending until {Time(expires)}", Time(server.Clock.GetUtcNow())],
            row.QuerySelectorAll("td").Take(4).Select(c => c.TextContent.Trim()));
        var id = Guid.Parse(row.GetAttribute("data-invitation")!);
        var stored = await server.WithDbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == id, Ct));
        Assert.Equal((member.Id, email, PersonRole.OrgAdmin, expires), (stored.OrganisationId, stored.Email, stored.Role, stored.ExpiresAt));

        // Refused: already invited, not on a verified domain, malformed, hostile role and language. No email goes out.
        var again = await browser.SubmitAsync("/org/people", Form(("Email", email), ("Role", "Staff"), ("Language", "en")), "#invite-form");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal([$"An invitation to {email} is pending until {Time(expires)}. Withdraw it to send a new one."], Errors(again));
        var elsewhere = await browser.SubmitAsync("/org/people", Form(("Email", "someone@elsewhere.test")), "#invite-form");
        Assert.Equal([$"elsewhere.test is not a verified domain of your organisation. Verified domains: {domain}."], Errors(elsewhere));
        Assert.Equal("someone@elsewhere.test", elsewhere.Document.QuerySelector("#invite-email")!.GetAttribute("value"));
        var malformed = await browser.SubmitAsync("/org/people", Form(("Email", "not an address")), "#invite-form");
        Assert.Equal(["Enter a work email address such as name@example.org."], Errors(malformed));
        var hostile = await browser.SubmitAsync("/org/people", Form(("Email", $"bo@{domain}"), ("Role", "<script>alert(1)</script>"), ("Language", "de")), "#invite-form");
        Assert.Equal(HttpStatusCode.OK, hostile.Status);
        Assert.Equal(["Choose a role: staff member or organisation admin.", "Choose the language of the invitation: English, French or Spanish."], Errors(hostile));
        Assert.Single(await server.MailToAsync(email));
        Assert.Empty(await server.MailToAsync($"bo@{domain}", count: 0));
        Assert.Equal(1, await server.WithDbAsync(db => db.Invitations.CountAsync(i => i.OrganisationId == member.Id, Ct)));

        // Another organisation's admin cannot withdraw it.
        var foreign = await otherBrowser.GetAsync("/org/people");
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(otherBrowser, foreign, "/org/people?handler=Withdraw", ("id", id.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(otherBrowser, foreign, "/org/people?handler=Withdraw", ("id", "'; DROP TABLE \"Invitations\"; --")));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.SubmitAsync(page, Form(("id", Guid.NewGuid().ToString())), $"tr[data-invitation='{id}'] form.withdraw", "/org/people")).Status);
        Assert.NotNull(await server.WithDbAsync(db => db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, Ct)));

        var withdrawn = await browser.SubmitAsync(await browser.GetAsync("/org/people"), Form(), $"tr[data-invitation='{id}'] form.withdraw", "/org/people");

        Assert.Equal((HttpStatusCode.Redirect, "/org/people"), (withdrawn.Status, withdrawn.Target));
        var after = await browser.GetAsync("/org/people");
        Assert.Equal($"The invitation to {email} is withdrawn: its code no longer works.", after.Document.QuerySelector("p.status")!.TextContent);
        Assert.Empty(after.Document.QuerySelectorAll("#invitations tbody tr"));
        var token = MembershipServer.InvitationToken(mail.Message.TextBody);
        var accept = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Ana" }, BulwarkServer.Json, Ct);
        Assert.Equal(HttpStatusCode.NotFound, accept.StatusCode);

        // Withdrawn, it can be sent again.
        var resent = await browser.SubmitAsync("/org/people", Form(("Email", email)), "#invite-form");
        Assert.Equal(HttpStatusCode.Redirect, resent.Status);
        Assert.Equal(2, (await server.MailToAsync(email, count: 2)).Count);
    }

    [Fact]
    public async Task An_organisation_without_verified_domains_is_told_to_claim_one()
    {
        server.EnsureAvailable();
        var member = await server.AdmitAsync("Sans Domaine");
        var admin = $"admin-{Guid.NewGuid():N}@example.org";
        await PortalUsers.CreatePersonAsync(server, member.Id, admin, PersonRole.OrgAdmin, "Olga Admin");
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(admin)).Target);

        var refused = await browser.SubmitAsync("/org/people", Form(("Email", "ana@example.org")), "#invite-form");

        Assert.Equal(
            ["example.org is not a verified domain of your organisation, which has none yet. Claim and verify it under Domains first."],
            Errors(refused));
        Assert.Equal(["Olga Admin", admin, "Organisation admin"], refused.Document.QuerySelectorAll("#people tbody tr td").Select(c => c.TextContent.Trim()));
    }

    /// <summary>Posts to a page handler with the anti-forgery token of <paramref name="page"/>, as a forged form would.</summary>
    private static async Task<HttpStatusCode> PostAsync(PortalBrowser browser, PortalBrowser.PageResult page, string action, params (string Key, string Value)[] fields)
    {
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var response = await browser.Http.PostAsync(action, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]), Ct);
        return response.StatusCode;
    }

    /// <summary>An admitted member with a verified domain, and its org admin signed in.</summary>
    private async Task<(Member Member, string Domain, PortalBrowser Browser)> AdminAsync(string name)
    {
        server.EnsureAvailable();
        var member = await server.AdmitAsync(name);
        var domain = $"p{Guid.NewGuid():N}"[..13] + ".test";
        await server.AddVerifiedDomainAsync(member.Id, domain);
        var admin = $"admin@{domain}";
        await PortalUsers.CreatePersonAsync(server, member.Id, admin, PersonRole.OrgAdmin, "Olga Admin");
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(admin)).Target);
        return (member, domain, browser);
    }
}

[Collection(MembershipMailSqlite.Name)]
public sealed class PortalOrgPeopleSqliteTests(MembershipSqliteMailServer server) : PortalOrgPeopleTests<MembershipSqliteMailServer>(server);

[Collection(MembershipMailPostgres.Name)]
public sealed class PortalOrgPeoplePostgresTests(MembershipPostgresMailServer server) : PortalOrgPeopleTests<MembershipPostgresMailServer>(server);
