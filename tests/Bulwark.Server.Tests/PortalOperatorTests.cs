using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Audit;
using Bulwark.Server.Portal;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>
/// The operator's pages over real HTTP: applications and admissions (with the first admin's emailed invitation,
/// read from a real SMTP server), eligibility, staff accounts and reset codes, the audit log and email delivery.
/// </summary>
public abstract class PortalOperatorTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : MembershipServer
{
    private static readonly HtmlParser Parser = new();

    private static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>A date and an instant as the pages write them for an English reader.</summary>
    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d", English);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("g", English) + " UTC";

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(PortalUser User, PortalBrowser Browser)> OperatorAsync()
    {
        server.EnsureAvailable();
        var user = await PortalUsers.CreateStaffAsync(server, Unique("op"), PortalRoles.Operator);
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(user.UserName!)).Target);
        return (user, browser);
    }

    private Task<Guid> ApplicantAsync(string name, Sector sector = Sector.Journalism, string country = "FR", TimeSpan? ago = null) => server.WithDbAsync(async db =>
    {
        var id = Guid.CreateVersion7();
        db.Organisations.Add(new Organisation
        {
            Id = id,
            Name = name,
            Sector = sector,
            Country = country,
            Status = OrganisationStatus.Applied,
            CreatedAt = server.Clock.GetUtcNow() - (ago ?? TimeSpan.Zero),
        });
        await db.SaveChangesAsync();
        return id;
    });

    private Task<Organisation> OrganisationAsync(Guid id) => server.WithDbAsync(db => db.Organisations.AsNoTracking().SingleAsync(o => o.Id == id));

    private Task<List<Data.Audit.AuditEntry>> AuditAsync(string target) =>
        server.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.Target == target).OrderBy(a => a.Sequence).ToListAsync());

    private static string Errors(PortalBrowser.PageResult page) => string.Join("\n", page.Document.QuerySelectorAll(".errors li").Select(e => e.TextContent.Trim()));

    /// <summary>The errors in a fixed order (the summary lists them in the model state's order, not the form's).</summary>
    private static List<string> SortedErrors(PortalBrowser.PageResult page) => [.. page.Document.QuerySelectorAll(".errors li").Select(e => e.TextContent.Trim()).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Sessions are checked against the account's security stamp once time has passed since the cookie was issued;
    /// the fixture's clock stands still unless moved.
    /// </summary>
    private void Tick() => server.Clock.Advance(TimeSpan.FromSeconds(1));

    private static async Task<string?> StatusAfterAsync(PortalBrowser browser, PortalBrowser.PageResult redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.Status);
        var page = await browser.GetAsync(redirect.Target!);
        return page.Document.QuerySelector("main > p.status")?.TextContent.Trim();
    }

    /// <summary>Posts a page's main form with repeated fields (the browser helper takes one value a name).</summary>
    private static async Task<PortalBrowser.PageResult> PostAsync(PortalBrowser browser, string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await browser.GetAsync(path);
        var token = page.Document.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await browser.Http.PostAsync(path, new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]), Ct);
        var document = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct));
        return new PortalBrowser.PageResult(response.StatusCode, document, response.Headers.Location, response);
    }

    [Fact]
    public async Task Applicants_come_first_oldest_first_and_are_admitted_or_rejected_with_their_reason()
    {
        var (op, browser) = await OperatorAsync();
        var older = Unique("Older Party");
        var newer = Unique("Newer Newsroom");
        var olderId = await ApplicantAsync(older, Sector.PoliticalParty, "FR", TimeSpan.FromDays(2));
        var newerId = await ApplicantAsync(newer, Sector.Journalism, "DE");

        var page = await browser.GetAsync("/operator");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var names = page.Document.QuerySelectorAll("section.applicant h2").Select(h => h.TextContent).ToList();
        Assert.True(names.IndexOf(older) < names.IndexOf(newer) && names.IndexOf(older) >= 0, string.Join(", ", names));
        Assert.Equal(
            $"Journalism · DE (Germany) · applied on {Date(server.Clock.GetUtcNow())}",
            page.Document.QuerySelector($"#applicant-{newerId} .facts")!.TextContent);

        var admitted = await browser.SubmitAsync(page, Form(("Reason", "vetted by phone with the party's secretary")), $"#admit-{olderId}", "/operator");

        Assert.Equal($"{older} is admitted.", await StatusAfterAsync(browser, admitted));
        var org = await OrganisationAsync(olderId);
        Assert.Equal((OrganisationStatus.Admitted, "vetted by phone with the party's secretary", server.Clock.GetUtcNow()), (org.Status, org.StatusReason, org.AdmittedAt));
        var admit = Assert.Single(await AuditAsync($"organisation/{olderId}"));
        Assert.Equal(("organisation.admit", op.Id, "Operator", (Guid?)olderId), (admit.Action, admit.ActorId, admit.ActorScope, admit.OrganisationId));

        var noReason = await browser.SubmitAsync("/operator", Form(("Reason", "  ")), $"#reject-{newerId}");
        Assert.Equal(HttpStatusCode.OK, noReason.Status);
        Assert.Equal($"{newer}: give the reason for the rejection (the applicant may ask for it).", Errors(noReason));
        Assert.Equal(OrganisationStatus.Applied, (await OrganisationAsync(newerId)).Status);

        var rejected = await browser.SubmitAsync("/operator", Form(("Reason", "not a newsroom")), $"#reject-{newerId}");
        Assert.Equal($"{newer} is rejected.", await StatusAfterAsync(browser, rejected));
        org = await OrganisationAsync(newerId);
        Assert.Equal((OrganisationStatus.Rejected, "not a newsroom", (DateTimeOffset?)null), (org.Status, org.StatusReason, org.AdmittedAt));
        Assert.Equal("organisation.reject", Assert.Single(await AuditAsync($"organisation/{newerId}")).Action);

        // A form left open from before the decision changes nothing.
        var again = await browser.SubmitAsync(page, Form(("Reason", "again")), $"#admit-{newerId}", "/operator");
        Assert.Equal($"{newer} is no longer waiting for a decision (it is Rejected): nothing was changed.", Errors(again));
        Assert.Equal(OrganisationStatus.Rejected, (await OrganisationAsync(newerId)).Status);

        var listed = await browser.GetAsync("/operator");
        Assert.Null(listed.Document.QuerySelector($"#applicant-{olderId}"));
        var cell = listed.Document.QuerySelector($"#org-{olderId} .status-cell")!;
        Assert.Equal(("Admitted", $"since {Date(server.Clock.GetUtcNow())}"), (cell.QuerySelector(".state")!.TextContent, cell.QuerySelector(".muted")!.TextContent));
    }

    [Fact]
    public async Task Unknown_or_malformed_organisation_ids_answer_404_and_change_nothing()
    {
        var (_, browser) = await OperatorAsync();
        var id = await ApplicantAsync(Unique("Hostile"));
        var page = await browser.GetAsync("/operator");

        var unknown = await browser.SubmitAsync(page, Form(("Id", Guid.NewGuid().ToString()), ("Reason", "x")), $"#admit-{id}", "/operator");
        var malformed = await browser.SubmitAsync(page, Form(("Id", "'; drop table organisations; --"), ("Reason", "x")), $"#reject-{id}", "/operator");
        var longReason = await browser.SubmitAsync(page, Form(("Reason", new string('x', 1001))), $"#reject-{id}", "/operator");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.Status, malformed.Status));
        Assert.Equal(HttpStatusCode.OK, longReason.Status);
        Assert.EndsWith(": the reason is too long (1000 characters at most).", Errors(longReason), StringComparison.Ordinal);
        Assert.Equal(OrganisationStatus.Applied, (await OrganisationAsync(id)).Status);
    }

    [Fact]
    public async Task Admitting_with_a_first_admin_emails_an_org_admin_invitation_without_the_verified_domain_rule()
    {
        var (op, browser) = await OperatorAsync();
        var name = Unique("Radio Libre");
        var id = await ApplicantAsync(name);
        var email = $"chief-{Guid.NewGuid():N}@unverified-newsroom.example";

        var badEmail = await browser.SubmitAsync("/operator", Form(("AdminEmail", "chief at newsroom")), $"#admit-{id}");
        Assert.Equal($"{name}: \"chief at newsroom\" is not a valid email address.", Errors(badEmail));
        Assert.Equal(OrganisationStatus.Applied, (await OrganisationAsync(id)).Status);

        var admitted = await browser.SubmitAsync("/operator", Form(("AdminEmail", email.ToUpperInvariant()), ("AdminName", "Camille Chief"), ("AdminLanguage", "fr")), $"#admit-{id}");

        Assert.Equal(
            $"{name} is admitted. An invitation to be an admin of {name} was emailed to Camille Chief <{email}>. It works once, until {Instant(server.Clock.GetUtcNow().AddDays(7))}.",
            await StatusAfterAsync(browser, admitted));
        var invitation = await server.WithDbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.OrganisationId == id));
        Assert.Equal((email, PersonRole.OrgAdmin, (DateTimeOffset?)null), (invitation.Email, invitation.Role, invitation.AcceptedAt));
        var created = Assert.Single(await AuditAsync($"invitation/{invitation.Id}"));
        Assert.Equal(("invitation.create", op.Id, "Operator"), (created.Action, created.ActorId, created.ActorScope));

        var mail = Assert.Single(await server.MailToAsync(email));
        Assert.Equal($"{name} vous invite sur Bulwark", mail.Message.Subject);
        var token = MembershipServer.InvitationToken(mail.Message.TextBody);
        var accepted = await server.As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Camille Chief" }, BulwarkServer.Json, Ct);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var person = (await accepted.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json, Ct)).GetProperty("person");
        Assert.Equal(("OrgAdmin", id), (person.GetProperty("role").GetString(), person.GetProperty("organisationId").GetGuid()));

        // Once a member, the address cannot be invited again; the org admin's own invitations keep the domain rule.
        var twice = await browser.SubmitAsync("/operator", Form(("AdminEmail", email)), $"#invite-{id}");
        Assert.Equal($"{email} already belongs to a person of {name}: no invitation was sent.", Errors(await browser.GetAsync(twice.Target!)));
        var adminKey = await server.CreateKeyAsync("admin", "OrganisationAdmin", id);
        var byAdmin = await server.As(adminKey).PostAsJsonAsync($"/api/v1/organisations/{id}/invitations", new { email = $"other@unverified-newsroom.example", role = "Staff" }, BulwarkServer.Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, byAdmin.StatusCode);
    }

    [Fact]
    public async Task A_pending_invitation_is_not_sent_twice_and_only_admitted_members_get_invitations()
    {
        var (_, browser) = await OperatorAsync();
        var name = Unique("Human Rights Watchers");
        var id = await ApplicantAsync(name, Sector.HumanRights);
        await browser.SubmitAsync("/operator", Form(), $"#admit-{id}");
        var email = $"lead-{Guid.NewGuid():N}@watchers.example";

        var first = await browser.SubmitAsync("/operator", Form(("AdminEmail", email)), $"#invite-{id}");
        Assert.StartsWith($"An invitation to be an admin of {name} was emailed to {email}.", await StatusAfterAsync(browser, first), StringComparison.Ordinal);
        var second = await browser.SubmitAsync("/operator", Form(("AdminEmail", email)), $"#invite-{id}");

        Assert.Equal(
            $"An invitation to {email} is already waiting to be accepted (until {Instant(server.Clock.GetUtcNow().AddDays(7))}): no new one was sent.",
            Errors(await browser.GetAsync(second.Target!)));
        Assert.Single(await server.MailToAsync(email));

        var rejectedId = await ApplicantAsync(Unique("Rejected"));
        var page = await browser.GetAsync("/operator");
        await browser.SubmitAsync(page, Form(("Reason", "out of scope")), $"#reject-{rejectedId}", "/operator");
        var toRejected = await browser.SubmitAsync(page, Form(("Id", rejectedId.ToString()), ("AdminEmail", "x@rejected.example")), $"#invite-{id}", "/operator");
        Assert.EndsWith("is not an admitted member (it is Rejected): only members' admins can be invited.", Errors(toRejected), StringComparison.Ordinal);
        Assert.Equal(0, await server.WithDbAsync(db => db.Invitations.CountAsync(i => i.OrganisationId == rejectedId)));
    }

    [Fact]
    public async Task Eligibility_is_saved_as_the_api_reads_it_and_bad_input_is_refused_with_reasons()
    {
        var (_, browser) = await OperatorAsync();
        var before = await server.As(null).GetFromJsonAsync<JsonElement>("/api/v1/eligibility", BulwarkServer.Json, Ct);

        var bad = await PostAsync(browser, "/operator/eligibility", [new("Sectors", "Journalism"), new("Sectors", "3"), new("Countries", "fr France XX, de")]);

        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Equal(
            ["Not ISO 3166-1 alpha-2 codes (two letters, such as FR or DE): FRANCE.", "Unknown country codes: XX.", "Unknown sectors: 3."],
            SortedErrors(bad));
        Assert.Equal(before.GetRawText(), (await server.As(null).GetFromJsonAsync<JsonElement>("/api/v1/eligibility", BulwarkServer.Json, Ct)).GetRawText());

        var saved = await PostAsync(browser, "/operator/eligibility", [new("Sectors", "Journalism"), new("Sectors", "HumanRights"), new("Countries", "fr, de\nUA ua")]);

        Assert.Equal("Eligibility saved: 2 sectors and 3 countries.", await StatusAfterAsync(browser, saved));
        var now = await server.As(null).GetFromJsonAsync<JsonElement>("/api/v1/eligibility", BulwarkServer.Json, Ct);
        Assert.Equal(["Journalism", "HumanRights"], now.GetProperty("sectors").EnumerateArray().Select(s => s.GetString()!));
        Assert.Equal(["DE", "FR", "UA"], now.GetProperty("countries").EnumerateArray().Select(s => s.GetString()!));
        var page = await browser.GetAsync("/operator/eligibility");
        Assert.Equal(["HumanRights", "Journalism"], page.Document.QuerySelectorAll("input[name=Sectors][checked]").Select(i => i.GetAttribute("value")!));
        Assert.Equal("DE FR UA", page.Document.QuerySelector("#countries")!.TextContent);
        Assert.Equal(["DE (Germany)", "FR (France)", "UA (Ukraine)"], page.Document.QuerySelectorAll("#current-countries li").Select(l => l.TextContent));
        Assert.Equal("eligibility.set", Assert.Single(await AuditAsync("eligibility")).Action);

        // Put the seeds back for the other tests of this server.
        var restore = await server.Operator.PutAsJsonAsync("/api/v1/eligibility", new { sectors = before.GetProperty("sectors"), countries = before.GetProperty("countries") }, BulwarkServer.Json, Ct);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
    }

    [Fact]
    public async Task A_new_analyst_gets_a_one_time_password_shown_once_that_must_be_replaced()
    {
        var (op, browser) = await OperatorAsync();
        var name = Unique("analyst");

        var created = await browser.SubmitAsync("/operator/users", Form(("NewUserName", name), ("NewEmail", "Analyst@CERT.example"), ("NewRole", "Analyst")), "#create");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal($"One-time password for {name}", created.Document.QuerySelector("#one-time-password h2")!.TextContent);
        var password = created.Document.QuerySelector("#one-time-password code")!.TextContent;
        Assert.Matches("^[a-z2-9]{5}(-[a-z2-9]{5}){3}$", password);
        var row = created.Document.QuerySelector($"#user-{name}")!;
        Assert.Equal(("analyst", "off", "0", "—"), (row.QuerySelector(".roles")!.TextContent, row.QuerySelector(".two-factor")!.TextContent, row.QuerySelector(".passkeys")!.TextContent, row.QuerySelector(".locked")!.TextContent));
        Assert.Contains("analyst@cert.example", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("one-time password not yet replaced", row.TextContent, StringComparison.Ordinal);
        Assert.Null((await browser.GetAsync("/operator/users")).Document.QuerySelector("#one-time-password"));
        var user = await server.WithDbAsync(db => db.PortalUsers.AsNoTracking().SingleAsync(u => u.UserName == name));
        Assert.Equal("account.create", Assert.Single(await AuditAsync($"user/{user.Id}")).Action);

        var duplicate = await browser.SubmitAsync("/operator/users", Form(("NewUserName", name), ("NewRole", "Analyst")), "#create");
        Assert.Equal($"An account named {name} exists already.", Errors(duplicate));
        var invalid = await browser.SubmitAsync("/operator/users", Form(("NewUserName", "a b"), ("NewEmail", "nope"), ("NewRole", "Root")), "#create");
        Assert.Equal(
            ["\"nope\" is not a valid email address.", "A user name has 3 to 64 letters, digits, dots, hyphens or underscores (no spaces, no @).", "Choose a role: operator or analyst."],
            SortedErrors(invalid));

        var analyst = new PortalBrowser(server);
        Assert.Equal("/", (await analyst.SignInAsync(name, password)).Target);
        Assert.Equal("/security/change-password", (await analyst.GetAsync("/security")).Target);
        var changed = await analyst.SubmitAsync("/security/change-password", Form(("Current", password), ("New", "quiet harbour lantern 93"), ("Confirm", "quiet harbour lantern 93")));
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/security")).Status);
        Assert.Equal("/account/denied", (await analyst.GetAsync("/operator/users")).TargetPath);
        var again = new PortalBrowser(server);
        Assert.Equal("Wrong user name or password.", Errors(await again.SignInAsync(name, password)));
    }

    [Fact]
    public async Task Roles_are_added_and_removed_and_the_last_operator_keeps_the_role()
    {
        var (op, browser) = await OperatorAsync();
        var analyst = await PortalUsers.CreateStaffAsync(server, Unique("analyst"), PortalRoles.Analyst);

        var made = await browser.SubmitAsync("/operator/users", Form(), $"#add-operator-{analyst.UserName}");
        Assert.Equal($"{analyst.UserName} is now operator.", await StatusAfterAsync(browser, made));
        Assert.Equal("analyst, operator", (await browser.GetAsync("/operator/users")).Document.QuerySelector($"#user-{analyst.UserName} .roles")!.TextContent);
        var unmade = await browser.SubmitAsync("/operator/users", Form(), $"#remove-operator-{analyst.UserName}");
        Assert.Equal($"{analyst.UserName} is no longer operator.", await StatusAfterAsync(browser, unmade));
        Assert.Equal(
            ["account.role.add", "account.role.remove"],
            (await server.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.Target == $"user/{analyst.Id}/Operator").OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync())));

        // Leave this operator the only one on the instance.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            foreach (var other in (await users.GetUsersInRoleAsync(PortalRoles.Operator)).Where(u => u.Id != op.Id))
            {
                await users.RemoveFromRoleAsync(other, PortalRoles.Operator);
            }
        }

        var refused = await browser.SubmitAsync("/operator/users", Form(), $"#remove-operator-{op.UserName}");
        Assert.Equal($"{op.UserName} is the last operator: the instance needs one. Make another account an operator first.", Errors(refused));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/operator/users")).Status);

        await browser.SubmitAsync("/operator/users", Form(), $"#add-operator-{analyst.UserName}");
        var stepDown = await browser.SubmitAsync("/operator/users", Form(), $"#remove-operator-{op.UserName}");
        Assert.Equal(HttpStatusCode.Redirect, stepDown.Status);
        Tick();
        Assert.Equal("/account/denied", (await browser.GetAsync("/operator/users")).TargetPath);
    }

    [Fact]
    public async Task A_locked_out_staff_account_is_shown_locked_and_unlocked()
    {
        var (_, browser) = await OperatorAsync();
        var analyst = await PortalUsers.CreateStaffAsync(server, Unique("analyst"), PortalRoles.Analyst);
        var guesser = new PortalBrowser(server);
        for (var i = 0; i < 5; i++)
        {
            await guesser.SignInAsync(analyst.UserName!, "not the password at all");
        }

        var page = await browser.GetAsync("/operator/users");
        Assert.NotEqual("—", page.Document.QuerySelector($"#user-{analyst.UserName} .locked")!.TextContent);

        var unlocked = await browser.SubmitAsync(page, Form(), $"#unlock-{analyst.UserName}", "/operator/users");

        Assert.Equal($"{analyst.UserName} is unlocked.", await StatusAfterAsync(browser, unlocked));
        Assert.Equal("—", (await browser.GetAsync("/operator/users")).Document.QuerySelector($"#user-{analyst.UserName} .locked")!.TextContent);
        Assert.Equal("/", (await new PortalBrowser(server).SignInAsync(analyst.UserName!)).Target);
        Assert.Equal("account.unlock", Assert.Single(await AuditAsync($"user/{analyst.Id}")).Action);
    }

    private async Task<string> IssueCodeAsync(PortalBrowser browser, string accountName)
    {
        var issued = await browser.SubmitAsync("/operator/users", Form(("AccountName", accountName)), "#issue-by-name");
        Assert.Equal(HttpStatusCode.OK, issued.Status);
        Assert.Equal($"Reset code for {accountName}", issued.Document.QuerySelector("#reset-code h2")!.TextContent);
        return issued.Document.QuerySelector("#reset-code code")!.TextContent;
    }

    private static Task<PortalBrowser.PageResult> RedeemAsync(PortalBrowser browser, string userName, string code, string password, string? recovery = null) =>
        browser.SubmitAsync("/account/reset", Form(("UserName", userName), ("Code", code), ("RecoveryCode", recovery ?? ""), ("NewPassword", password), ("Confirm", password)));

    private async Task<(Member Member, PortalUser User)> PersonAsync(string label)
    {
        var member = await server.AdmitAsync(Unique(label));
        var (_, user) = await PortalUsers.CreatePersonAsync(server, member.Id, $"{Unique(label)}@staff.example");
        return (member, user);
    }

    [Fact]
    public async Task A_reset_code_sets_a_new_password_once_lifts_the_lockout_and_ends_other_sessions()
    {
        var (op, browser) = await OperatorAsync();
        var (member, user) = await PersonAsync("forgetful");
        var laptop = new PortalBrowser(server);
        await laptop.SignInAsync(user.UserName!);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/security")).Status);
        var guesser = new PortalBrowser(server);
        for (var i = 0; i < 5; i++)
        {
            await guesser.SignInAsync(user.UserName!, "wrong guess number " + i);
        }

        var code = await IssueCodeAsync(browser, user.UserName!);

        Assert.Matches("^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}$", code);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var stored = await users.GetAuthenticationTokenAsync((await users.FindByIdAsync(user.Id.ToString()))!, "Bulwark", "ResetCode");
            Assert.StartsWith($"v1:{(server.Clock.GetUtcNow() + TimeSpan.FromHours(24)).ToUnixTimeSeconds()}:0:", stored, StringComparison.Ordinal);
            Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), stored, StringComparison.Ordinal);
        }

        var issuedAudit = Assert.Single(await AuditAsync($"user/{user.Id}"));
        Assert.Equal(("account.reset-code.issue", op.Id, (Guid?)member.Id), (issuedAudit.Action, issuedAudit.ActorId, issuedAudit.OrganisationId));

        var person = new PortalBrowser(server);
        var mismatch = await person.SubmitAsync("/account/reset", Form(("UserName", user.UserName!), ("Code", code), ("NewPassword", "silver meadow rain 41"), ("Confirm", "silver meadow rain 42")));
        Assert.Equal("The two new passwords differ.", Errors(mismatch));
        var weak = await RedeemAsync(person, user.UserName!, code, "short");
        Assert.Equal("The new password is too short: 12 characters at least.", Errors(weak));

        var done = await RedeemAsync(person, user.UserName!, code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), "silver meadow rain 41");

        Assert.Equal("/account/sign-in", done.Target);
        Assert.Equal(
            "Your password is changed, and every other session of your account has ended. Sign in with the new password.",
            await StatusAfterAsync(person, done));
        Tick();
        Assert.Equal("/account/sign-in", (await laptop.GetAsync("/security")).TargetPath);
        Assert.Equal("/", (await new PortalBrowser(server).SignInAsync(user.UserName!, "silver meadow rain 41")).Target);
        Assert.Equal(
            ["account.reset-code.issue", "account.password-reset"],
            (await AuditAsync($"user/{user.Id}")).Select(a => a.Action));

        var reused = await RedeemAsync(new PortalBrowser(server), user.UserName!, code, "another fine password 7");
        Assert.Equal("That user name and reset code do not go together, or the code was already used. Check both, or ask for a new code.", Errors(reused));
    }

    [Fact]
    public async Task With_two_factor_on_the_reset_code_alone_is_not_enough()
    {
        var (_, browser) = await OperatorAsync();
        var (_, user) = await PersonAsync("twofactor");
        await PortalUsers.EnableTotpAsync(server, user);
        List<string> recovery;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            recovery = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(user.Id.ToString()))!, 10))!];
        }

        var code = await IssueCodeAsync(browser, user.UserName!);
        var person = new PortalBrowser(server);

        var alone = await RedeemAsync(person, user.UserName!, code, "silver meadow rain 41");
        var wrongRecovery = await RedeemAsync(person, user.UserName!, code, "silver meadow rain 41", "AAAAA-BBBBB");
        var done = await RedeemAsync(person, user.UserName!, code, "silver meadow rain 41", recovery[3]);

        Assert.Equal("Your account has two-factor sign-in: enter one of your recovery codes as well. The reset code alone is not enough.", Errors(alone));
        Assert.Equal("That recovery code is not valid (or was used already).", Errors(wrongRecovery));
        Assert.Equal("/account/sign-in", done.Target);
        Assert.Equal("/account/two-factor", (await new PortalBrowser(server).SignInAsync(user.UserName!, "silver meadow rain 41")).TargetPath);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.Equal(9, await users.CountRecoveryCodesAsync((await users.FindByIdAsync(user.Id.ToString()))!));
        }
    }

    [Fact]
    public async Task Wrong_codes_expired_codes_and_other_accounts_codes_are_refused()
    {
        var (_, browser) = await OperatorAsync();
        var (_, user) = await PersonAsync("expiry");
        var (_, other) = await PersonAsync("other");
        var code = await IssueCodeAsync(browser, user.UserName!);
        var otherCode = await IssueCodeAsync(browser, other.UserName!);
        var person = new PortalBrowser(server);
        const string Invalid = "That user name and reset code do not go together, or the code was already used. Check both, or ask for a new code.";

        Assert.Equal(Invalid, Errors(await RedeemAsync(person, user.UserName!, otherCode, "silver meadow rain 41")));
        Assert.Equal(Invalid, Errors(await RedeemAsync(person, "nobody@staff.example", code, "silver meadow rain 41")));
        Assert.Equal(Invalid, Errors(await RedeemAsync(person, user.UserName!, new string('A', 5000), "silver meadow rain 41")));
        Assert.Equal("Enter your user name, the reset code and a new password.", Errors(await person.SubmitAsync("/account/reset", Form(("UserName", user.UserName!)))));

        server.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        Assert.Equal("This reset code has expired (codes work for 24 hours). Ask for a new one.", Errors(await RedeemAsync(person, user.UserName!, code, "silver meadow rain 41")));
        Assert.Equal(Invalid, Errors(await RedeemAsync(person, user.UserName!, code, "silver meadow rain 41")));
        Assert.Equal("Wrong user name or password.", Errors(await new PortalBrowser(server).SignInAsync(user.UserName!, "silver meadow rain 41")));
    }

    [Fact]
    public async Task Five_wrong_codes_spend_the_reset_code()
    {
        var (_, browser) = await OperatorAsync();
        var (_, user) = await PersonAsync("guessed");
        var code = await IssueCodeAsync(browser, user.UserName!);
        var guesser = new PortalBrowser(server);
        for (var i = 0; i < PasswordResets.MaxWrongTries; i++)
        {
            await RedeemAsync(guesser, user.UserName!, "AAAA-BBBB-CCCC-DDD" + "EFGHJ"[i], "silver meadow rain 41");
        }

        var right = await RedeemAsync(new PortalBrowser(server), user.UserName!, code, "silver meadow rain 41");

        Assert.Equal("That user name and reset code do not go together, or the code was already used. Check both, or ask for a new code.", Errors(right));
    }

    [Fact]
    public async Task A_staff_account_gets_a_reset_code_from_the_list()
    {
        var (_, browser) = await OperatorAsync();
        var analyst = await PortalUsers.CreateStaffAsync(server, Unique("analyst"), PortalRoles.Analyst);

        var issued = await browser.SubmitAsync("/operator/users", Form(), $"#issue-{analyst.UserName}");
        var code = issued.Document.QuerySelector("#reset-code code")!.TextContent;
        Assert.Contains("reset code pending", (await browser.GetAsync("/operator/users")).Document.QuerySelector($"#user-{analyst.UserName}")!.TextContent, StringComparison.Ordinal);
        var done = await RedeemAsync(new PortalBrowser(server), analyst.UserName!, code, "copper kettle sunrise 5");

        Assert.Equal("/account/sign-in", done.Target);
        Assert.Equal("/", (await new PortalBrowser(server).SignInAsync(analyst.UserName!, "copper kettle sunrise 5")).Target);
        Assert.DoesNotContain("reset code pending", (await browser.GetAsync("/operator/users")).Document.QuerySelector($"#user-{analyst.UserName}")!.TextContent, StringComparison.Ordinal);
        var unknown = await browser.SubmitAsync("/operator/users", Form(("AccountName", "nobody-here")), "#issue-by-name");
        Assert.Equal("No account is named nobody-here.", Errors(unknown));
    }

    [Fact]
    public async Task The_audit_log_is_filtered_by_action_scope_organisation_and_day()
    {
        server.EnsureAvailable();
        var prefix = Unique("test") + ".";
        var orgX = Guid.CreateVersion7();
        var orgY = Guid.CreateVersion7();
        var day1 = server.Clock.GetUtcNow().UtcDateTime.Date;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            await audit.AppendAsync(Guid.NewGuid(), "Operator", prefix + "one", "thing/1", orgX, Ct);
            server.Clock.Advance(TimeSpan.FromDays(2));
            await audit.AppendAsync(Guid.NewGuid(), "Analyst", prefix + "two", "thing/2", orgY, Ct);
            await audit.AppendAsync(null, "system", prefix + "three", "thing/3", orgX, Ct);
        }

        var day3 = day1.AddDays(2);
        var (_, browser) = await OperatorAsync(); // after the clock moved: a session lasts 8 hours

        async Task<List<string>> ActionsAsync(string query)
        {
            var page = await browser.GetAsync("/operator/audit?" + query);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            return [.. page.Document.QuerySelectorAll("#entries .action").Select(a => a.TextContent)];
        }

        Assert.Equal([prefix + "three", prefix + "two", prefix + "one"], await ActionsAsync($"action={prefix}"));
        Assert.Equal([prefix + "two"], await ActionsAsync($"action={prefix}&scope=Analyst"));
        Assert.Equal([prefix + "three", prefix + "one"], await ActionsAsync($"action={prefix}&organisation={orgX}"));
        Assert.Equal([prefix + "three", prefix + "two"], await ActionsAsync($"action={prefix}&from={day3:yyyy-MM-dd}"));
        Assert.Equal([prefix + "one"], await ActionsAsync($"action={prefix}&to={day1:yyyy-MM-dd}"));
        Assert.Empty(await ActionsAsync($"action={prefix}&from={day1.AddDays(1):yyyy-MM-dd}&to={day1.AddDays(1):yyyy-MM-dd}"));

        var bad = await browser.GetAsync("/operator/audit?organisation=not-an-id&from=02/03/2026&p=0");
        Assert.Equal(
            ["Dates are written year-month-day, such as 2026-03-02.", "The organisation filter must be an organisation id, such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.", "The page number must be a whole number from 1."],
            SortedErrors(bad));
        Assert.Empty(bad.Document.QuerySelectorAll("#entries tr"));
        var chain = (await browser.GetAsync("/operator/audit")).Document.QuerySelector("#chain")!;
        Assert.Equal("chain-ok", chain.ClassName);
        var total = await server.WithDbAsync(db => db.Audit.CountAsync());
        Assert.Equal($"The hash chain is intact: all {total} entries verify.", chain.TextContent);
    }

    [Fact]
    public async Task The_audit_log_pages_by_fifty_newest_first()
    {
        var (_, browser) = await OperatorAsync();
        var prefix = Unique("paged") + ".";
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            for (var i = 1; i <= 60; i++)
            {
                await audit.AppendAsync(null, "system", $"{prefix}{i:00}", "thing", null, Ct);
            }
        }

        var first = await browser.GetAsync($"/operator/audit?action={prefix}");
        var older = first.Document.QuerySelector("#older")!.GetAttribute("href")!;
        var second = await browser.GetAsync(older);

        Assert.Equal(Enumerable.Range(11, 50).Reverse().Select(i => $"{prefix}{i:00}"), first.Document.QuerySelectorAll("#entries .action").Select(a => a.TextContent));
        Assert.Null(first.Document.QuerySelector("#newer"));
        Assert.Equal($"/operator/audit?action={Uri.EscapeDataString(prefix)}&p=2", older);
        Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(i => $"{prefix}{i:00}"), second.Document.QuerySelectorAll("#entries .action").Select(a => a.TextContent));
        Assert.Null(second.Document.QuerySelector("#older"));
        Assert.NotNull(second.Document.QuerySelector("#newer"));
    }

    [Fact]
    public async Task The_delivery_page_shows_the_settings_in_effect_and_a_test_message_arrives()
    {
        var (_, browser) = await OperatorAsync();

        var page = await browser.GetAsync("/operator/delivery");

        string Value(string id) => page.Document.QuerySelector($"#setting-{id} .value")!.TextContent;
        Assert.Equal(
            ("127.0.0.1", server.Smtp!.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "None (plain SMTP: only for a relay on the same host)", "Bulwark <membership@bulwark.test>", "none (no authentication)", "not set", "not set: messages are not DKIM-signed", "not configured"),
            (Value("host"), Value("port"), Value("security"), Value("from"), Value("username"), Value("password"), Value("dkim-domain"), Value("dkim-key")));
        Assert.Equal("Smtp__Host", page.Document.QuerySelector("#setting-host td:last-child code")!.TextContent);

        var to = $"ops-{Guid.NewGuid():N}@example.org";
        var sent = await browser.SubmitAsync(page, Form(("To", to)), "#test", "/operator/delivery");

        var result = sent.Document.QuerySelector("#test-result")!.TextContent;
        Assert.StartsWith($"The SMTP server accepted the test message to {to} (Message-ID ", result, StringComparison.Ordinal);
        var mail = Assert.Single(await server.MailToAsync(to));
        Assert.Equal("Bulwark test message", mail.Message.Subject);
        Assert.StartsWith("This is a test message from your Bulwark instance", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains(mail.Message.MessageId!, result, StringComparison.Ordinal);
        Assert.Equal("delivery.test.sent", (await AuditAsync("smtp")).Last().Action);

        var bad = await browser.SubmitAsync("/operator/delivery", Form(("To", "not an address")), "#test");
        Assert.Equal("\"not an address\" is not a valid email address.", Errors(bad));
    }

    [Fact]
    public async Task A_test_message_that_fails_reports_the_servers_error()
    {
        var (_, browser) = await OperatorAsync();
        // The same instance, pointed at a port where no SMTP server listens.
        await using var broken = server.WithWebHostBuilder(b => b.UseSetting("Smtp:Port", "9"));
        var onBroken = new PortalBrowser(broken);
        var op = await PortalUsers.CreateStaffAsync(server, Unique("op"), PortalRoles.Operator);
        await onBroken.SignInAsync(op.UserName!);

        var sent = await onBroken.SubmitAsync("/operator/delivery", Form(("To", "ops@example.org")), "#test");

        Assert.Equal("9", sent.Document.QuerySelector("#setting-port .value")!.TextContent);
        Assert.StartsWith("The test message could not be sent: SocketException: Connection refused", sent.Document.QuerySelector("#test-result li")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("delivery.test.failed", (await AuditAsync("smtp")).Last().Action);
    }

    [Fact]
    public async Task Operator_pages_carry_no_inline_style_or_script()
    {
        var (_, browser) = await OperatorAsync();
        foreach (var path in Pages)
        {
            var page = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Empty(page.Document.QuerySelectorAll("[style], style"));
            Assert.All(page.Document.QuerySelectorAll("script"), script => Assert.False(string.IsNullOrEmpty(script.GetAttribute("src"))));
            Assert.DoesNotContain(page.Document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
            Assert.Equal(5, page.Document.QuerySelectorAll("nav.subnav a").Length);
            Assert.Equal(path, page.Document.QuerySelector("nav.subnav a[aria-current=page]")!.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task The_reset_page_speaks_the_visitors_language()
    {
        server.EnsureAvailable();
        var browser = new PortalBrowser(server);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");

        var page = await browser.GetAsync("/account/reset");
        var refused = await browser.SubmitAsync(page, Form(("UserName", "personne"), ("Code", "AAAA-BBBB-CCCC-DDDD"), ("NewPassword", "argent prairie pluie 41"), ("Confirm", "argent prairie pluie 41")), null, "/account/reset");

        Assert.Equal("Réinitialiser votre mot de passe", page.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal("Ce nom d'utilisateur et ce code de réinitialisation ne correspondent pas, ou le code a déjà été utilisé. Vérifiez les deux, ou demandez un nouveau code.", Errors(refused));
    }

    public static TheoryData<string> Pages => ["/operator", "/operator/eligibility", "/operator/users", "/operator/audit", "/operator/delivery"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Only_operators_open_the_operator_pages(string path)
    {
        server.EnsureAvailable();
        var member = await server.AdmitAsync(Unique("Refusals"));
        var analyst = await PortalUsers.CreateStaffAsync(server, Unique("analyst"), PortalRoles.Analyst);
        var (_, admin) = await PortalUsers.CreatePersonAsync(server, member.Id, $"{Unique("admin")}@refusals.example", PersonRole.OrgAdmin);
        var (_, person) = await PortalUsers.CreatePersonAsync(server, member.Id, $"{Unique("person")}@refusals.example");

        var anonymous = await new PortalBrowser(server).GetAsync(path);
        Assert.Equal("/account/sign-in?ReturnUrl=" + Uri.EscapeDataString(path), anonymous.Target);
        foreach (var userName in new[] { analyst.UserName!, admin.UserName!, person.UserName! })
        {
            var browser = new PortalBrowser(server);
            await browser.SignInAsync(userName);
            var page = await browser.GetAsync(path);
            Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (page.Status, page.TargetPath));

            // Posting is refused before the form is even read.
            var post = await browser.Http.PostAsync(path + "?handler=Admit", new FormUrlEncodedContent(Form(("Id", member.Id.ToString()))), Ct);
            var refused = new PortalBrowser.PageResult(post.StatusCode, page.Document, post.Headers.Location, post);
            Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (refused.Status, refused.TargetPath));
        }
    }
}

public sealed class PortalOperatorSqliteTests(MembershipSqliteMailServer server) : PortalOperatorTests<MembershipSqliteMailServer>(server);

public sealed class PortalOperatorPostgresTests(MembershipPostgresMailServer server) : PortalOperatorTests<MembershipPostgresMailServer>(server);
