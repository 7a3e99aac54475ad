using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>
/// Individuals opting personal accounts in with a code read from the real email, consent records, encryption at
/// rest with each person's own key, erasure by destroying that key, and what their organisation may see.
/// </summary>
public abstract class MembershipPersonalDataTests<TServer>(TServer server)
    where TServer : MembershipServer
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Personal_account_is_verified_with_the_code_from_the_real_email()
    {
        var (_, person) = await PersonAsync("Org Opt-in");
        var address = Personal();
        var me = server.As(person.Token);

        var added = await me.PostAsJsonAsync("/api/v1/me/accounts", new { address = address.ToUpperInvariant(), organisationMayView = false }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var body = await added.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var account = body.GetProperty("account");
        var id = account.GetProperty("id").GetGuid();
        Assert.Equal(address, account.GetProperty("address").GetString());
        Assert.False(account.GetProperty("verified").GetBoolean());
        Assert.Equal([Consents.MonitoringStatement], body.GetProperty("statements").EnumerateArray().Select(s => s.GetString()));

        var mail = Assert.Single(await server.MailToAsync(address));
        Assert.Equal("Your Bulwark verification code", mail.Message.Subject);
        Assert.Equal(0, mail.AttachmentCount);
        Assert.DoesNotContain("http", Encoding.Latin1.GetString(mail.Raw), StringComparison.OrdinalIgnoreCase);
        var code = MembershipServer.Code(mail.Message.TextBody);

        var verified = await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.True((await verified.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("verified").GetBoolean());
        var accounts = await me.GetFromJsonAsync<JsonElement>("/api/v1/me/accounts", Json, Ct);
        var listed = Assert.Single(accounts.EnumerateArray());
        Assert.Equal(address, listed.GetProperty("address").GetString());
        Assert.Equal(server.Clock.GetUtcNow(), listed.GetProperty("verifiedAt").GetDateTimeOffset());
        var consents = await me.GetFromJsonAsync<JsonElement>("/api/v1/me/consents", Json, Ct);
        var consent = Assert.Single(consents.EnumerateArray());
        Assert.Equal($"personal-account-monitoring:{id}", consent.GetProperty("scope").GetString());
        Assert.Equal(Consents.MonitoringStatement, consent.GetProperty("statement").GetString());
        Assert.Equal(JsonValueKind.Null, consent.GetProperty("withdrawnAt").ValueKind);

        var stored = await server.WithDbAsync(db => db.PersonalAccounts.SingleAsync(a => a.Id == id, Ct));
        Assert.Null(stored.VerificationCodeHash);
        Assert.Null(stored.CodeExpiresAt);
    }

    [Fact]
    public async Task Wrong_codes_are_counted_and_the_last_try_voids_the_code()
    {
        var (_, person) = await PersonAsync("Org Guess");
        var address = Personal();
        var me = server.As(person.Token);
        var id = await AddAsync(me, address, false);
        var code = MembershipServer.Code((await server.MailToAsync(address))[^1].Message.TextBody);
        var wrong = code == "00000000" ? "11111111" : "00000000";

        var details = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code = wrong }, Json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            details.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("detail").GetString()!);
        }

        var late = await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code }, Json, Ct);

        Assert.Equal(
            [
                "this is not the code that was sent; 4 tries left",
                "this is not the code that was sent; 3 tries left",
                "this is not the code that was sent; 2 tries left",
                "this is not the code that was sent; 1 try left",
                "this is not the code that was sent, and that was the last try: add the address again (POST /api/v1/me/accounts) for a new code",
            ],
            details);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal("No code pending", (await late.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Expired_code_is_refused_and_a_new_one_is_sent_on_request()
    {
        var (_, person) = await PersonAsync("Org Slow");
        var address = Personal();
        var me = server.As(person.Token);
        var id = await AddAsync(me, address, false);
        var first = MembershipServer.Code((await server.MailToAsync(address))[^1].Message.TextBody);

        var tooSoon = await me.PostAsJsonAsync("/api/v1/me/accounts", new { address }, Json, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);

        server.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var expired = await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code = first }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal("Code expired", (await expired.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("title").GetString());

        var resent = await me.PostAsJsonAsync("/api/v1/me/accounts", new { address }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        var second = MembershipServer.Code((await server.MailToAsync(address, count: 2))[^1].Message.TextBody);
        if (second != first)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code = first }, Json, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code = second }, Json, Ct)).StatusCode);
        Assert.Single((await me.GetFromJsonAsync<JsonElement>("/api/v1/me/accounts", Json, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task Address_is_stored_only_encrypted_with_the_persons_own_key()
    {
        var (_, person) = await PersonAsync("Org At Rest");
        var address = Personal();
        var id = await AddAsync(server.As(person.Token), address, true);

        var everything = await server.EverythingStoredAsync();
        var row = await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().SingleAsync(a => a.Id == id, Ct));
        var key = await server.WithDbAsync(db => db.PersonKeys.AsNoTracking().SingleAsync(k => k.PersonId == person.PersonId, Ct));

        Assert.DoesNotContain(address, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(address)), everything, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1 + 12 + 16 + Encoding.UTF8.GetByteCount(address), row.EncryptedAddress.Length);
        Assert.NotEqual(SHA256.HashData(Encoding.UTF8.GetBytes(address)), row.AddressLookup);
        Assert.Equal(32, row.AddressLookup.Length);
        Assert.Equal(1 + 12 + 16 + 32, key.WrappedKey.Length);
        Assert.Equal(address, await server.WithDbAsync(db => server.PersonalData.TryDecryptAsync(db, person.PersonId, id, row.EncryptedAddress, Ct)));

        // The ciphertext is bound to its row: under another row's id it does not open.
        await Assert.ThrowsAnyAsync<CryptographicException>(() => server.WithDbAsync(db => server.PersonalData.TryDecryptAsync(db, person.PersonId, Guid.NewGuid(), row.EncryptedAddress, Ct)));
    }

    [Fact]
    public async Task Withdrawal_destroys_the_key_so_the_raw_ciphertext_no_longer_decrypts()
    {
        var (member, person) = await PersonAsync("Org Withdraw");
        var me = server.As(person.Token);
        var visible = Personal();
        var hidden = Personal();
        var visibleId = await VerifyAsync(me, visible, true);
        var hiddenId = await AddAsync(me, hidden, false);
        var ciphertexts = await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().Where(a => a.PersonId == person.PersonId)
            .ToDictionaryAsync(a => a.Id, a => a.EncryptedAddress, Ct));
        Assert.Equal(visible, await server.WithDbAsync(db => server.PersonalData.TryDecryptAsync(db, person.PersonId, visibleId, ciphertexts[visibleId], Ct)));

        var response = await me.PostAsync("/api/v1/me/withdraw", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(server.Clock.GetUtcNow(), (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("erasedAt").GetDateTimeOffset());
        await server.WithDbAsync(async db =>
        {
            Assert.False(await db.PersonKeys.AnyAsync(k => k.PersonId == person.PersonId, Ct));
            Assert.False(await db.PersonalAccounts.AnyAsync(a => a.PersonId == person.PersonId, Ct));
            Assert.False(await db.Invitations.AnyAsync(i => i.PersonId == person.PersonId, Ct));
            var consents = await db.Consents.Where(c => c.PersonId == person.PersonId).ToListAsync(Ct);
            Assert.Equal(3, consents.Count);
            Assert.All(consents, c => Assert.Equal(server.Clock.GetUtcNow(), c.WithdrawnAt));
            var tombstone = await db.People.SingleAsync(p => p.Id == person.PersonId, Ct);
            Assert.Equal(PersonErasure.ErasedName, tombstone.DisplayName);
            Assert.Equal("", tombstone.WorkEmail);
            Assert.Equal(server.Clock.GetUtcNow(), tombstone.ErasedAt);

            // Whatever copy of the ciphertext survives (a backup, a free page), the server can no longer read it.
            Assert.Null(await server.PersonalData.TryDecryptAsync(db, person.PersonId, visibleId, ciphertexts[visibleId], Ct));
            Assert.Null(await server.PersonalData.TryDecryptAsync(db, person.PersonId, hiddenId, ciphertexts[hiddenId], Ct));
            return 0;
        });
        var everything = await server.EverythingStoredAsync();
        Assert.DoesNotContain(visible, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(hidden, everything, StringComparison.OrdinalIgnoreCase);

        // The token died with the person; the organisation sees a tombstone; the erasure is audited without data.
        Assert.Equal(HttpStatusCode.Unauthorized, (await me.GetAsync("/api/v1/me/accounts", Ct)).StatusCode);
        var people = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>($"/api/v1/organisations/{member.Id}/people", Json, Ct);
        var listed = Assert.Single(people.EnumerateArray());
        Assert.Equal(PersonErasure.ErasedName, listed.GetProperty("displayName").GetString());
        Assert.False(listed.GetProperty("personalAccountsVisible").GetBoolean());
        var audit = await server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}&action=person.erase", Json, Ct);
        var entry = Assert.Single(audit.GetProperty("entries").EnumerateArray());
        Assert.Equal($"person/{person.PersonId}", entry.GetProperty("target").GetString());
        Assert.True(audit.GetProperty("chainIntact").GetBoolean());
    }

    [Fact]
    public async Task Organisation_sees_a_personal_account_only_when_verified_and_consented()
    {
        var (member, person) = await PersonAsync("Org Visibility");
        var me = server.As(person.Token);
        var address = Personal();

        var id = await AddAsync(me, address, true);
        Assert.False(await VisibleAsync(member));
        Assert.False(await SeesAsync(member.Id, person.PersonId));

        var code = MembershipServer.Code((await server.MailToAsync(address))[^1].Message.TextBody);
        Assert.Equal(HttpStatusCode.OK, (await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code }, Json, Ct)).StatusCode);
        Assert.True(await VisibleAsync(member));
        Assert.True(await SeesAsync(member.Id, person.PersonId));
        Assert.True(await server.WithDbAsync(member.Id, db => new PersonalVisibility(db).CanOrganisationSeeAccountAsync(id, Ct)));

        // Another organisation's context never sees it.
        var other = await server.AdmitAsync("Org Elsewhere");
        Assert.False(await SeesAsync(other.Id, person.PersonId));

        var off = await me.PutAsJsonAsync($"/api/v1/me/accounts/{id}/visibility", new { organisationMayView = false }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("organisationMayView").GetBoolean());
        Assert.False(await VisibleAsync(member));

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await me.PutAsJsonAsync($"/api/v1/me/accounts/{id}/visibility", new { organisationMayView = true }, Json, Ct)).StatusCode);
        Assert.True(await VisibleAsync(member));
        var views = (await me.GetFromJsonAsync<JsonElement>("/api/v1/me/consents", Json, Ct)).EnumerateArray()
            .Where(c => c.GetProperty("scope").GetString() == $"organisation-may-view:{id}").ToList();
        Assert.Equal(2, views.Count);
        Assert.NotEqual(JsonValueKind.Null, views[0].GetProperty("withdrawnAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, views[1].GetProperty("withdrawnAt").ValueKind);
        Assert.Equal(Consents.OrganisationViewStatement, views[1].GetProperty("statement").GetString());

        // The flag alone is not enough: without a live consent record the organisation sees nothing.
        await server.WithDbAsync(db => db.Consents.Where(c => c.PersonId == person.PersonId && c.Scope.StartsWith("organisation-may-view"))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, server.Clock.GetUtcNow()), Ct));
        Assert.True(await server.WithDbAsync(db => db.PersonalAccounts.Where(a => a.Id == id).Select(a => a.OrganisationMayView).SingleAsync(Ct)));
        Assert.False(await SeesAsync(member.Id, person.PersonId));
    }

    [Fact]
    public async Task Removing_the_last_account_withdraws_its_consents_and_destroys_the_key()
    {
        var (_, person) = await PersonAsync("Org Remove");
        var me = server.As(person.Token);
        var id = await VerifyAsync(me, Personal(), true);

        Assert.Equal(HttpStatusCode.NoContent, (await me.DeleteAsync($"/api/v1/me/accounts/{id}", Ct)).StatusCode);

        Assert.Empty((await me.GetFromJsonAsync<JsonElement>("/api/v1/me/accounts", Json, Ct)).EnumerateArray());
        Assert.All((await me.GetFromJsonAsync<JsonElement>("/api/v1/me/consents", Json, Ct)).EnumerateArray(),
            c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("withdrawnAt").ValueKind));
        Assert.False(await server.WithDbAsync(db => db.PersonKeys.AnyAsync(k => k.PersonId == person.PersonId, Ct)));
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Person_tokens_open_only_the_persons_own_me_endpoints()
    {
        var (member, ana) = await PersonAsync("Org Tokens");
        var domain = await server.WithDbAsync(db => db.Domains.Where(d => d.OrganisationId == member.Id).Select(d => d.Name).SingleAsync(Ct));
        var ben = await server.JoinAsync(member, $"ben@{domain}", "Ben");
        var anaAccount = await AddAsync(server.As(ana.Token), Personal(), false);
        var asBen = server.As(ben.Token);

        Assert.Equal(HttpStatusCode.NotFound, (await asBen.PostAsJsonAsync($"/api/v1/me/accounts/{anaAccount}/verify", new { code = "12345678" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asBen.PutAsJsonAsync($"/api/v1/me/accounts/{anaAccount}/visibility", new { organisationMayView = true }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asBen.DeleteAsync($"/api/v1/me/accounts/{anaAccount}", Ct)).StatusCode);
        Assert.Empty((await asBen.GetFromJsonAsync<JsonElement>("/api/v1/me/accounts", Json, Ct)).EnumerateArray());

        // Person tokens open no API-key endpoint, and API keys open no /me endpoint.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(ana.Token).GetAsync($"/api/v1/organisations/{member.Id}/people", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(member.AdminToken).GetAsync("/api/v1/me/accounts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Operator.GetAsync("/api/v1/me", Ct)).StatusCode);

        // A token altered by one character is refused.
        var tampered = ana.Token[..^2] + (ana.Token[^2] == 'A' ? 'B' : 'A') + ana.Token[^1];
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(tampered).GetAsync("/api/v1/me", Ct)).StatusCode);

        // Renewed before expiry it goes on; the old one ends at its time.
        server.Clock.Advance(TimeSpan.FromDays(29));
        var renewed = await server.As(ana.Token).PostAsync("/api/v1/me/token", null, Ct);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var fresh = (await renewed.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("token").GetString()!;
        server.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(ana.Token).GetAsync("/api/v1/me", Ct)).StatusCode);
        var self = await server.As(fresh).GetFromJsonAsync<JsonElement>("/api/v1/me", Json, Ct);
        Assert.Equal(ana.PersonId, self.GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("{\"address\":\"LONG\"}", "errors.address", "an email address has at most 254 characters (this one has 307)")]
    [InlineData("{\"address\":\"not an address\"}", "errors.address", "not an email address (local@domain)")]
    [InlineData("{\"address\":\"x@localhost\"}", "errors.address", "the domain after @ is not valid: 'localhost' is not a domain name with at least two labels, e.g. example.org")]
    [InlineData("{\"address\":\"x@y.test\",\"organisationMayView\":\"yes\"}", "detail", "$.organisationMayView")]
    [InlineData("{\"address\":17}", "detail", "$.address")]
    [InlineData("{\"address\":\"x@y.test\"", "detail", "LineNumber: 0")]
    public async Task Hostile_personal_account_input_is_refused_naming_the_field(string body, string where, string expected)
    {
        var (_, person) = await PersonAsync("Org Hostile Me");
        body = body.Replace("LONG", new string('a', 300) + "@x.test", StringComparison.Ordinal);

        var response = await server.As(person.Token).PostAsync("/api/v1/me/accounts", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var text = where == "detail"
            ? problem.GetProperty("detail").GetString()!
            : problem.GetProperty("errors").GetProperty(where["errors.".Length..])[0].GetString()!;
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.False(await server.WithDbAsync(db => db.PersonalAccounts.AnyAsync(a => a.PersonId == person.PersonId, Ct)));
    }

    [Theory]
    [InlineData("{\"code\":\"12ab5678\"}")]
    [InlineData("{\"code\":\"1234567\"}")]
    [InlineData("{\"code\":\"123456789\"}")]
    [InlineData("{}")]
    public async Task Malformed_codes_are_refused_without_using_a_try(string body)
    {
        var (_, person) = await PersonAsync("Org Codes");
        var me = server.As(person.Token);
        var id = await AddAsync(me, Personal(), false);

        var response = await me.PostAsync($"/api/v1/me/accounts/{id}/verify", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("the 8-digit code from the email", (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors").GetProperty("code")[0].GetString());
        Assert.Equal(0, await server.WithDbAsync(db => db.PersonalAccounts.Where(a => a.Id == id).Select(a => a.CodeAttempts).SingleAsync(Ct)));
    }

    private static string Personal() => $"ana.{Guid.NewGuid():N}"[..16] + "@mail.example-personal.test";

    private async Task<(Member Member, Joined Person)> PersonAsync(string organisation)
    {
        var member = await server.AdmitAsync(organisation);
        var domain = $"o{Guid.NewGuid():N}"[..13] + ".test";
        await server.AddVerifiedDomainAsync(member.Id, domain);
        return (member, await server.JoinAsync(member, $"ana@{domain}"));
    }

    private static async Task<Guid> AddAsync(HttpClient me, string address, bool organisationMayView)
    {
        var response = await me.PostAsJsonAsync("/api/v1/me/accounts", new { address, organisationMayView }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("account").GetProperty("id").GetGuid();
    }

    private async Task<Guid> VerifyAsync(HttpClient me, string address, bool organisationMayView)
    {
        var id = await AddAsync(me, address, organisationMayView);
        var code = MembershipServer.Code((await server.MailToAsync(address))[^1].Message.TextBody);
        Assert.Equal(HttpStatusCode.OK, (await me.PostAsJsonAsync($"/api/v1/me/accounts/{id}/verify", new { code }, Json, Ct)).StatusCode);
        return id;
    }

    private async Task<bool> VisibleAsync(Member member)
    {
        var people = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>($"/api/v1/organisations/{member.Id}/people", Json, Ct);
        return Assert.Single(people.EnumerateArray()).GetProperty("personalAccountsVisible").GetBoolean();
    }

    private Task<bool> SeesAsync(Guid organisationId, Guid personId) =>
        server.WithDbAsync(organisationId, db => new PersonalVisibility(db).CanOrganisationSeeAsync(personId, Ct));
}

[Collection(MembershipMailSqlite.Name)]
public sealed class MembershipPersonalDataSqliteTests(MembershipSqliteMailServer server) : MembershipPersonalDataTests<MembershipSqliteMailServer>(server);

[Collection(MembershipMailPostgres.Name)]
public sealed class MembershipPersonalDataPostgresTests(MembershipPostgresMailServer server) : MembershipPersonalDataTests<MembershipPostgresMailServer>(server);
