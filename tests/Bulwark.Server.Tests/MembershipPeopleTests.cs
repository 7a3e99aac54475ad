using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>Invitations to work addresses, read from the real emails (smtp4dev), and the people they create.</summary>
public abstract class MembershipPeopleTests<TServer>(TServer server)
    where TServer : MembershipServer
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invitation_email_carries_the_token_without_links_and_accepting_creates_the_person()
    {
        var (member, domain) = await MemberAsync("Parti Exemple");
        var email = $"Ana.Garcia@Staff.{domain}";

        var invited = await server.As(member.AdminToken).PostAsJsonAsync(Invitations(member), new { email, role = "OrgAdmin", language = "fr" }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var created = await invited.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var invitation = created.GetProperty("invitation");
        Assert.Equal($"ana.garcia@staff.{domain}", invitation.GetProperty("email").GetString());
        Assert.Equal("pending", invitation.GetProperty("state").GetString());
        Assert.Equal(server.Clock.GetUtcNow().AddDays(7), invitation.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("fr", created.GetProperty("language").GetString());
        Assert.DoesNotContain("bwi_", await invited.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var mail = Assert.Single(await server.MailToAsync($"ana.garcia@staff.{domain}"));
        Assert.Equal("Parti Exemple vous invite sur Bulwark", mail.Message.Subject);
        Assert.Equal(0, mail.AttachmentCount);
        Assert.Equal("fr", mail.Message.Body?.Headers[MimeKit.HeaderId.ContentLanguage]);
        var raw = Encoding.Latin1.GetString(mail.Raw);
        Assert.DoesNotContain("http", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("://", raw, StringComparison.Ordinal);
        var token = MembershipServer.InvitationToken(mail.Message.TextBody);
        Assert.StartsWith("bwi_fr_", token, StringComparison.Ordinal);

        var accepted = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "  Ana García  " }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var person = body.GetProperty("person");
        var personId = person.GetProperty("id").GetGuid();
        Assert.Equal("Ana García", person.GetProperty("displayName").GetString());
        Assert.Equal($"ana.garcia@staff.{domain}", person.GetProperty("workEmail").GetString());
        Assert.Equal("OrgAdmin", person.GetProperty("role").GetString());
        Assert.Equal("fr", person.GetProperty("language").GetString());
        Assert.StartsWith("bwp_", body.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(server.Clock.GetUtcNow().AddDays(30), body.GetProperty("tokenExpiresAt").GetDateTimeOffset());

        var people = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>(People(member), Json, Ct);
        var listed = Assert.Single(people.EnumerateArray());
        Assert.Equal(personId, listed.GetProperty("id").GetGuid());
        Assert.False(listed.GetProperty("personalAccountsVisible").GetBoolean());
        var invitations = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>(Invitations(member), Json, Ct);
        var state = Assert.Single(invitations.EnumerateArray());
        Assert.Equal("accepted", state.GetProperty("state").GetString());
        Assert.Equal(personId, state.GetProperty("personId").GetGuid());

        // Only the hash of the token is stored.
        var stored = await server.WithDbAsync(db => db.Invitations.SingleAsync(i => i.PersonId == personId, Ct));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored.TokenHash);
        Assert.DoesNotContain(token, await server.EverythingStoredAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_invitation_is_refused_with_its_date()
    {
        var (member, domain) = await MemberAsync("Org Expired");
        var email = $"late@{domain}";
        await InviteAsync(member, email);
        var token = MembershipServer.InvitationToken((await server.MailToAsync(email))[^1].Message.TextBody);
        var expires = server.Clock.GetUtcNow().AddDays(7);

        server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        var response = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Late" }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal("Invitation expired", problem.GetProperty("title").GetString());
        Assert.Equal($"this invitation expired on {expires:u}; ask your organisation's admin for a new one", problem.GetProperty("detail").GetString());
        var invitations = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>(Invitations(member), Json, Ct);
        Assert.Equal("expired", Assert.Single(invitations.EnumerateArray()).GetProperty("state").GetString());
        Assert.Empty((await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>(People(member), Json, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task Invitation_works_once()
    {
        var (member, domain) = await MemberAsync("Org Reuse");
        var email = $"once@{domain}";
        await InviteAsync(member, email);
        var token = MembershipServer.InvitationToken((await server.MailToAsync(email))[^1].Message.TextBody);
        Assert.Equal(HttpStatusCode.Created, (await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "First" }, Json, Ct)).StatusCode);

        var again = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Second" }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal("Invitation already used", problem.GetProperty("title").GetString());
        var people = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>(People(member), Json, Ct);
        Assert.Equal(["First"], people.EnumerateArray().Select(p => p.GetProperty("displayName").GetString()));
    }

    [Fact]
    public async Task Unknown_and_malformed_tokens_are_refused_with_problem_details()
    {
        var unknown = "bwi_en_" + Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var notFound = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token = unknown, displayName = "X" }, Json, Ct);
        var malformed = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token = "hello", displayName = "" }, Json, Ct);

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("Unknown invitation", (await notFound.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var errors = (await malformed.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors");
        Assert.Equal("not an invitation token: copy the whole code from the email, starting with bwi_", errors.GetProperty("token")[0].GetString());
        Assert.Equal("a name of 1 to 200 characters, without control characters, is required", errors.GetProperty("displayName")[0].GetString());
    }

    [Fact]
    public async Task Work_address_must_be_on_a_verified_domain_of_the_organisation()
    {
        var (member, domain) = await MemberAsync("Org Domains");
        await server.WithDbAsync(db =>
        {
            db.Domains.Add(new Data.Membership.OrganisationDomain { Id = Guid.NewGuid(), OrganisationId = member.Id, Name = "unproved-" + domain, VerificationToken = "x", CreatedAt = server.Clock.GetUtcNow() });
            return db.SaveChangesAsync(Ct);
        });

        var response = await server.As(member.AdminToken).PostAsJsonAsync(Invitations(member), new { email = $"someone@unproved-{domain}" }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal($"unproved-{domain} is not a verified domain of this organisation (verified: {domain})", problem.GetProperty("errors").GetProperty("email")[0].GetString());
        Assert.Empty(await server.MailToAsync($"someone@unproved-{domain}", count: 0));
    }

    [Fact]
    public async Task Pending_invitation_blocks_a_second_until_withdrawn()
    {
        var (member, domain) = await MemberAsync("Org Twice");
        var email = $"twice@{domain}";
        var first = await InviteAsync(member, email);

        var second = await server.As(member.AdminToken).PostAsJsonAsync(Invitations(member), new { email }, Json, Ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await server.As(member.AdminToken).DeleteAsync($"{Invitations(member)}/{first}", Ct)).StatusCode);
        await InviteAsync(member, email);
        var tokens = (await server.MailToAsync(email, count: 2)).Select(m => MembershipServer.InvitationToken(m.Message.TextBody)).ToList();
        Assert.Equal(2, tokens.Distinct().Count());
        var withdrawn = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token = tokens[0], displayName = "X" }, Json, Ct);
        Assert.Equal(HttpStatusCode.NotFound, withdrawn.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token = tokens[1], displayName = "X" }, Json, Ct)).StatusCode);
    }

    [Fact]
    public async Task Another_members_admin_can_neither_invite_nor_see_people_or_invitations()
    {
        var (a, _) = await MemberAsync("Org A");
        var (b, domainB) = await MemberAsync("Org B");
        var pending = await InviteAsync(b, $"pending@{domainB}");
        await server.JoinAsync(b, $"joined@{domainB}");
        var asA = server.As(a.AdminToken);

        Assert.Equal(HttpStatusCode.NotFound, (await asA.PostAsJsonAsync(Invitations(b), new { email = $"spy@{domainB}" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.GetAsync(Invitations(b), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.GetAsync(People(b), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.DeleteAsync($"{Invitations(b)}/{pending}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.DeleteAsync($"{Invitations(a)}/{pending}", Ct)).StatusCode);
        Assert.Empty((await asA.GetFromJsonAsync<JsonElement>(People(a), Json, Ct)).EnumerateArray());
        Assert.Empty((await asA.GetFromJsonAsync<JsonElement>(Invitations(a), Json, Ct)).EnumerateArray());
        Assert.Empty(await server.MailToAsync($"spy@{domainB}", count: 0));

        // A's admin cannot invite at B's domain into A either.
        var poach = await asA.PostAsJsonAsync(Invitations(a), new { email = $"spy@{domainB}" }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, poach.StatusCode);

        Assert.Equal(2, (await server.As(b.AdminToken).GetFromJsonAsync<JsonElement>(Invitations(b), Json, Ct)).GetArrayLength());
        Assert.Single((await server.As(b.AdminToken).GetFromJsonAsync<JsonElement>(People(b), Json, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task Accepting_is_rate_limited_per_client_address()
    {
        var client = server.As(null, "198.51.100.23");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            var token = "bwi_en_" + new string((char)('A' + (i % 26)), 43);
            statuses.Add((await client.PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "X" }, Json, Ct)).StatusCode);
        }

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.As(null, "198.51.100.24").PostAsJsonAsync("/api/v1/invitations/accept", new { token = "bwi_en_" + new string('Z', 43), displayName = "X" }, Json, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("{\"email\":\"LONG\"}", "errors.email", "an email address has at most 254 characters (this one has 307)")]
    [InlineData("{\"email\":\"no-at-sign\"}", "errors.email", "not an email address (local@domain)")]
    [InlineData("{\"email\":\"a b@x.test\"}", "errors.email", "the part before @ must be 1 to 64 letters, digits or . ! # $ % & ' * + / = ? ^ _ ` { | } ~ - (no spaces, quotes or dots at either end)")]
    [InlineData("{\"email\":\"a@x.test\",\"language\":\"klingon-from-outer-space-and-beyond\"}", "errors.language", "a BCP 47 language tag of at most 35 characters is expected, e.g. en, fr, es or pt-BR")]
    [InlineData("{\"email\":\"a@x.test\",\"role\":\"God\"}", "detail", "$.role")]
    [InlineData("{\"email\":\"a@x.test\",\"role\":7}", "errors.role", "Staff or OrgAdmin")]
    [InlineData("{\"email\":[\"a@x.test\"]}", "detail", "$.email")]
    public async Task Hostile_invitation_fields_are_refused_naming_the_field(string body, string where, string expected)
    {
        var (member, _) = await MemberAsync("Org Hostile");
        body = body.Replace("LONG", new string('a', 300) + "@x.test", StringComparison.Ordinal);

        var response = await server.As(member.AdminToken).PostAsync(Invitations(member), new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var text = where == "detail"
            ? problem.GetProperty("detail").GetString()!
            : problem.GetProperty("errors").GetProperty(where["errors.".Length..])[0].GetString()!;
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlong_display_name_is_refused_and_the_invitation_still_works()
    {
        var (member, domain) = await MemberAsync("Org Long Name");
        var email = $"longname@{domain}";
        await InviteAsync(member, email);
        var token = MembershipServer.InvitationToken((await server.MailToAsync(email))[^1].Message.TextBody);

        var tooLong = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = new string('n', 201) }, Json, Ct);
        var control = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Ana\u0000" }, Json, Ct);
        var fine = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = new string('n', 200) }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
    }

    private async Task<(Member Member, string Domain)> MemberAsync(string name)
    {
        var member = await server.AdmitAsync(name);
        var domain = $"o{Guid.NewGuid():N}"[..13] + ".test";
        await server.AddVerifiedDomainAsync(member.Id, domain);
        return (member, domain);
    }

    private async Task<Guid> InviteAsync(Member member, string email)
    {
        var response = await server.As(member.AdminToken).PostAsJsonAsync(Invitations(member), new { email }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("invitation").GetProperty("id").GetGuid();
    }

    private static string Invitations(Member member) => $"/api/v1/organisations/{member.Id}/invitations";

    private static string People(Member member) => $"/api/v1/organisations/{member.Id}/people";
}

[Collection(MembershipMailSqlite.Name)]
public sealed class MembershipPeopleSqliteTests(MembershipSqliteMailServer server) : MembershipPeopleTests<MembershipSqliteMailServer>(server);

[Collection(MembershipMailPostgres.Name)]
public sealed class MembershipPeoplePostgresTests(MembershipPostgresMailServer server) : MembershipPeopleTests<MembershipPostgresMailServer>(server);

/// <summary>The membership test classes that read email share one server and one smtp4dev per provider.</summary>
[CollectionDefinition(Name)]
public sealed class MembershipMailSqlite : ICollectionFixture<MembershipSqliteMailServer>
{
    public const string Name = "Membership with email, SQLite";
}

[CollectionDefinition(Name)]
public sealed class MembershipMailPostgres : ICollectionFixture<MembershipPostgresMailServer>
{
    public const string Name = "Membership with email, PostgreSQL";
}
