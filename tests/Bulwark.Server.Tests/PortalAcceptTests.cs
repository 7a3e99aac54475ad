using System.Net;
using System.Net.Http.Json;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Membership.People;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Server.Tests.Support.PortalMe;

namespace Bulwark.Server.Tests;

/// <summary>
/// An invited person accepts on the portal with the code from the real invitation email, chooses a password and
/// is signed in; a refused password, a bad code or a used or expired invitation leaves nothing behind.
/// </summary>
public abstract class PortalAcceptTests<TServer>(TServer server)
    where TServer : MembershipServer
{
    private const string Good = "lantern orchard velvet 7";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_invited_person_accepts_is_signed_in_in_their_language_and_asked_to_add_a_passkey()
    {
        var (member, domain) = await MemberAsync("Parti Exemple");
        var email = $"ana.garcia@{domain}";
        var (invitationId, token) = await InviteAsync(member, email, "OrgAdmin", "fr");
        var browser = new PortalBrowser(server);

        var accepted = await browser.SubmitAsync("/account/accept", Form(("Token", $"  {token} "), ("DisplayName", "  Ana García "), ("Password", Good), ("Confirm", Good)));

        Assert.Equal((HttpStatusCode.Redirect, "/security"), (accepted.Status, accepted.Target));
        var security = await browser.GetAsync("/security");
        Assert.Equal(HttpStatusCode.OK, security.Status);
        Assert.Equal(
            "Bienvenue sur Bulwark, Ana García. Ajoutez dès maintenant une clé d'accès (passkey) : c'est la façon la plus sûre de vous connecter, et elle ne peut pas être hameçonnée.",
            security.Document.QuerySelector("p.status")!.TextContent);
        Assert.Equal("fr", security.Document.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Ana García", security.Document.QuerySelector(".signout .who")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/me/notices")).Status);

        var (person, user, invitation) = await server.WithDbAsync(async db => (
            await db.People.AsNoTracking().SingleAsync(p => p.OrganisationId == member.Id, Ct),
            await db.Set<PortalUser>().AsNoTracking().SingleAsync(u => u.UserName == email, Ct),
            await db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitationId, Ct)));
        Assert.Equal(("Ana García", email, PersonRole.OrgAdmin, "fr"), (person.DisplayName, person.WorkEmail, person.Role, person.Language));
        Assert.Equal((email, (Guid?)member.Id, (Guid?)person.Id, "fr", false), (user.Email, user.OrganisationId, user.PersonId, user.Language, user.MustChangePassword));
        Assert.Equal(((DateTimeOffset?)server.Clock.GetUtcNow(), (Guid?)person.Id), (invitation.AcceptedAt, invitation.PersonId));
        var audit = await server.WithDbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.Action == "invitation.accept" && a.Target == $"invitation/{invitationId}", Ct));
        Assert.Equal(((Guid?)person.Id, "Person", (Guid?)member.Id), (audit.ActorId, audit.ActorScope, audit.OrganisationId));

        var later = new PortalBrowser(server);
        Assert.Equal("/", (await later.SignInAsync(email, Good)).Target);

        var reused = await new PortalBrowser(server).SubmitAsync("/account/accept", Form(("Token", token), ("DisplayName", "Someone Else"), ("Password", Good), ("Confirm", Good)));
        Assert.Equal(
            ["This invitation has been used already: each invitation works once. If it was not you, tell your organisation's administrator."],
            Errors(reused));
        Assert.Equal(1, await server.WithDbAsync(db => db.People.CountAsync(p => p.OrganisationId == member.Id, Ct)));
    }

    [Fact]
    public async Task A_refused_password_creates_nothing_and_the_invitation_still_works()
    {
        var (member, domain) = await MemberAsync("Org Passwords");
        var email = $"ana.garcia@{domain}";
        var (invitationId, token) = await InviteAsync(member, email, "Staff", "en");
        var browser = new PortalBrowser(server);

        Task<PortalBrowser.PageResult> TryAsync(string password, string? confirm = null) =>
            browser.SubmitAsync("/account/accept", Form(("Token", token), ("DisplayName", "Ana García"), ("Password", password), ("Confirm", confirm ?? password)));

        Assert.Equal(["The password is too short: 12 characters at least."], Errors(await TryAsync("short one")));
        Assert.Equal(["This password appears in known data breaches; choose another (a passphrase of several words works well)."], Errors(await TryAsync("Password123456")));
        Assert.Equal(["The password must not contain your user name or address."], Errors(await TryAsync("my ana.garcia passphrase")));
        Assert.Equal(["The two passwords differ."], Errors(await TryAsync(Good, Good + "!")));
        Assert.Equal(["The password is too long: 512 characters at most."], Errors(await TryAsync(new string('w', 600))));

        var left = await server.WithDbAsync(async db => (
            People: await db.People.CountAsync(p => p.OrganisationId == member.Id, Ct),
            Users: await db.Set<PortalUser>().CountAsync(u => u.UserName == email, Ct),
            AcceptedAt: await db.Invitations.Where(i => i.Id == invitationId).Select(i => i.AcceptedAt).SingleAsync(Ct)));
        Assert.Equal((0, 0, (DateTimeOffset?)null), left);

        var accepted = await TryAsync(Good);
        Assert.Equal("/security", accepted.Target);
    }

    [Fact]
    public async Task Bad_codes_and_hostile_input_are_refused_clearly()
    {
        var (member, domain) = await MemberAsync("Org Hostile Accept");
        var browser = new PortalBrowser(server);

        Task<PortalBrowser.PageResult> TryAsync(string token, string name = "Ana García", string password = Good) =>
            browser.SubmitAsync("/account/accept", Form(("Token", token), ("DisplayName", name), ("Password", password), ("Confirm", password)));

        const string NotACode = "This is not an invitation code. Copy the whole code from the email: it starts with bwi_.";
        var attempts = new List<PortalBrowser.PageResult>
        {
            await TryAsync("bwi_xx"),
            await TryAsync(new string('a', 5000)),
            await TryAsync("bwi_en_' OR 1=1 --"),
            await TryAsync(InvitationTokens.Create("en")),
            await TryAsync(InvitationTokens.Create("en"), new string('n', 201)),
            await TryAsync(InvitationTokens.Create("en"), "Ana\u0007García"),
            await TryAsync("", "", ""),
        };

        Assert.All(attempts, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal([NotACode], Errors(attempts[0]));
        Assert.Equal([NotACode], Errors(attempts[1]));
        Assert.Equal([NotACode], Errors(attempts[2]));
        Assert.Equal(["No invitation has this code. Check that you copied the whole code from the email."], Errors(attempts[3]));
        Assert.Equal(["Enter your name as your colleagues know it: 1 to 200 characters."], Errors(attempts[4]));
        Assert.Equal(["Enter your name as your colleagues know it: 1 to 200 characters."], Errors(attempts[5]));
        Assert.Equal(
            ["Choose a password.", "Enter your name as your colleagues know it: 1 to 200 characters.", NotACode],
            Errors(attempts[6]).Order(StringComparer.Ordinal));

        // Someone took the address meanwhile (a person created by other means): the invitation cannot make a second one.
        var (_, taken) = await InviteAsync(member, $"taken@{domain}", "Staff", "en");
        await PortalUsers.CreatePersonAsync(server, member.Id, $"taken@{domain}");
        Assert.Equal(["Someone with this work address already belongs to the organisation. Sign in instead."], Errors(await TryAsync(taken)));

        var (_, late) = await InviteAsync(member, $"late@{domain}", "Staff", "en");
        server.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(["This invitation has expired. Ask your organisation's administrator for a new one."], Errors(await TryAsync(late)));
        Assert.Equal(0, await server.WithDbAsync(db => db.Set<PortalUser>().CountAsync(u => u.OrganisationId == member.Id && u.UserName != $"taken@{domain}", Ct)));
    }

    [Fact]
    public async Task The_page_is_open_to_visitors_strict_and_rate_limited()
    {
        server.EnsureAvailable();
        var page = await new PortalBrowser(server).GetAsync("/account/accept");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Accept your invitation", page.Document.QuerySelector("h1")!.TextContent);
        Assert.Empty(page.Document.QuerySelectorAll("[style]"));
        Assert.All(page.Document.QuerySelectorAll("script"), s => Assert.False(string.IsNullOrEmpty(s.GetAttribute("src"))));

        await using var strict = server.WithWebHostBuilder(b => b.UseSetting("Portal:SignInAttemptsPerMinute", "3"));
        var browser = new PortalBrowser(strict);
        browser.Http.DefaultRequestHeaders.Add(ClientAddresses.Header, "203.0.113.7");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await browser.SubmitAsync("/account/accept", Form(("Token", InvitationTokens.Create("en")), ("DisplayName", "Guess"), ("Password", Good), ("Confirm", Good)))).Status);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private async Task<(Member Member, string Domain)> MemberAsync(string name)
    {
        var member = await server.AdmitAsync(name + " " + Guid.NewGuid().ToString("N")[..6]);
        var domain = $"o{Guid.NewGuid():N}"[..13] + ".test";
        await server.AddVerifiedDomainAsync(member.Id, domain);
        return (member, domain);
    }

    /// <summary>Invites with the org admin's key and reads the token from the real email.</summary>
    private async Task<(Guid Id, string Token)> InviteAsync(Member member, string email, string role, string language)
    {
        var invited = await server.As(member.AdminToken).PostAsJsonAsync($"/api/v1/organisations/{member.Id}/invitations", new { email, role, language }, BulwarkServer.Json, Ct);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var id = (await invited.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(BulwarkServer.Json, Ct)).GetProperty("invitation").GetProperty("id").GetGuid();
        var mail = await server.MailToAsync(email);
        return (id, MembershipServer.InvitationToken(mail[^1].Message.TextBody));
    }
}

[Collection(MembershipMailSqlite.Name)]
public sealed class PortalAcceptSqliteTests(MembershipSqliteMailServer server) : PortalAcceptTests<MembershipSqliteMailServer>(server);

[Collection(MembershipMailPostgres.Name)]
public sealed class PortalAcceptPostgresTests(MembershipPostgresMailServer server) : PortalAcceptTests<MembershipPostgresMailServer>(server);
