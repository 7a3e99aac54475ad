using System.Globalization;
using System.Net;
using Bulwark.Core.Findings;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Server.Tests.Support.PortalMe;

namespace Bulwark.Server.Tests;

/// <summary>
/// The individual's pages: their own notices (read, acknowledge, answer), their personal accounts proved with the
/// code from the real email, their consents, and withdrawal that erases them and closes their portal account.
/// </summary>
public abstract class PortalMeTests<TServer>(TServer server)
    where TServer : MembershipServer
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Notices_list_only_the_persons_own_unread_first_then_newest()
    {
        var (member, person, _, browser) = await SignedInPersonAsync(server, PersonRole.OrgAdmin);
        var (colleague, _) = await PortalUsers.CreatePersonAsync(server, member.Id, $"colleague-{Guid.NewGuid():N}@example.org");
        var elsewhere = await server.AdmitAsync("Elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        var (stranger, _) = await PortalUsers.CreatePersonAsync(server, elsewhere.Id, $"stranger-{Guid.NewGuid():N}@example.org");
        var start = MembershipServer.Start;
        var oldUnread = await AddNoticeAsync(server, member.Id, person.Id, "Old and unread", start.AddDays(-3));
        var newerRead = await AddNoticeAsync(server, member.Id, person.Id, "Newer and acknowledged", start.AddDays(-1), acknowledged: true);
        var newUnread = await AddNoticeAsync(server, member.Id, person.Id, "New and unread", start.AddDays(-2), severity: Severity.Critical);
        var colleagues = await AddNoticeAsync(server, member.Id, colleague.Id, "The colleague's notice", start);
        var organisations = await AddNoticeAsync(server, member.Id, null, "The organisation's notice", start);
        var strangers = await AddNoticeAsync(server, elsewhere.Id, stranger.Id, "Another organisation's notice", start);

        var page = await browser.GetAsync("/me/notices");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(
            [newUnread.ToString(), oldUnread.ToString(), newerRead.ToString()],
            page.Document.QuerySelectorAll("tr[data-notice]").Select(r => r.GetAttribute("data-notice")!));
        Assert.Equal(["New and unread", "Old and unread", "Newer and acknowledged"], page.Document.QuerySelectorAll("tr[data-notice] a").Select(a => a.TextContent));
        Assert.Equal(["Critical", "High", "High"], page.Document.QuerySelectorAll("tr[data-notice] .badge").Select(b => b.TextContent));
        Assert.Equal(["New", "New", "Acknowledged"], page.Document.QuerySelectorAll("tr[data-notice] td:last-child").Select(b => b.TextContent));
        Assert.Equal(2, page.Document.QuerySelectorAll("tr.unread").Length);
        Assert.Equal("Not yet acknowledged: 2. Open a notice to read what happened and what to do.", page.Document.QuerySelector("main p.hint")!.TextContent);
        Assert.Equal($"/me/notices/detail?id={newUnread}", page.Document.QuerySelector("tr[data-notice] a")!.GetAttribute("href"));
        foreach (var notShown in new[] { colleagues, organisations, strangers })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/me/notices/detail?id={notShown}")).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/me/notices/detail?id=not-a-guid")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/me/notices/detail")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/me/notices/detail?id={Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task A_person_with_no_notices_is_told_so_in_their_language()
    {
        var member = await server.AdmitAsync("Portal Me FR " + Guid.NewGuid().ToString("N")[..6]);
        var (_, user) = await PortalUsers.CreatePersonAsync(server, member.Id, $"fr-{Guid.NewGuid():N}@example.org", language: "fr");
        var browser = new PortalBrowser(server);
        await browser.SignInAsync(user.UserName!);

        var page = await browser.GetAsync("/me/notices");

        Assert.Equal("Mes avis", page.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal(
            "Vous n'avez aucun avis. Si Bulwark détecte une attaque contre un compte que vous lui avez demandé de surveiller, vous trouverez l'avis ici.",
            page.Document.QuerySelector("main p.muted")!.TextContent);
    }

    [Fact]
    public async Task The_notice_says_what_happened_how_sure_we_are_and_what_to_do_and_is_acknowledged_and_answered()
    {
        var (member, person, user, browser) = await SignedInPersonAsync(server);
        var id = await AddNoticeAsync(server, member.Id, person.Id, "Your personal account: Suspicious sign-in", MembershipServer.Start.AddDays(-1), confidence: Confidence.Medium);
        var path = $"/me/notices/detail?id={id}";

        var page = await browser.GetAsync(path);

        Assert.Equal("Your personal account: Suspicious sign-in", page.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal("High", page.Document.QuerySelector(".notice-meta .badge.sev-high")!.TextContent);
        Assert.Equal("Issued on 1 March 2026", page.Document.QuerySelector(".notice-meta span:not(.badge)")!.TextContent);
        Assert.Equal("Not acknowledged yet", page.Document.QuerySelector(".unacknowledged")!.TextContent);
        Assert.Equal(
            ["What we saw: activity against a personal account you asked Bulwark to watch.", "When: on 2026-03-01.", "How sure we are: high confidence: the evidence matches this attack closely."],
            page.Document.QuerySelectorAll("#notice-summary p").Select(p => p.TextContent));
        Assert.Equal(["Suspicious sign-in to a personal account: 2 occurrences"], page.Document.QuerySelectorAll("#notice-summary li").Select(p => p.TextContent));
        Assert.Equal("Medium confidence: the evidence fits this attack, but it could have an innocent explanation.", page.Document.QuerySelector("#notice-confidence")!.TextContent);
        Assert.Equal(
            ["Change the password of this account.", "If you need help, contact your organisation's security contact or the Access Now Digital Security Helpline."],
            page.Document.QuerySelectorAll("#notice-steps li").Select(li => li.TextContent));
        Assert.Empty(page.Document.QuerySelectorAll("[style]"));
        Assert.All(page.Document.QuerySelectorAll("script"), s => Assert.False(string.IsNullOrEmpty(s.GetAttribute("src"))));

        var acknowledged = await browser.SubmitAsync(path, Form(), "#acknowledge-form");

        Assert.Equal(path, acknowledged.Target);
        Assert.Equal("Notice acknowledged. Thank you.", await StatusAfterAsync(browser, acknowledged));
        var stored = await server.WithDbAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Id == id, Ct));
        Assert.Equal(((DateTimeOffset?)server.Clock.GetUtcNow(), (Guid?)person.Id), (stored.AcknowledgedAt, stored.AcknowledgedBy));
        var after = await browser.GetAsync(path);
        Assert.Null(after.Document.QuerySelector("#acknowledge-form"));
        Assert.Equal($"Acknowledged on {Day(server.Clock.GetUtcNow())}", after.Document.QuerySelector(".notice-meta .acknowledged")!.TextContent);

        var thisWasMe = await browser.SubmitAsync(path, Form(("Kind", "this-was-me"), ("Comment", "  I signed in from a hotel  ")), "#feedback-form");
        Assert.Equal("Thank you. We noted that this was you.", await StatusAfterAsync(browser, thisWasMe));
        stored = await server.WithDbAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Id == id, Ct));
        Assert.Equal(("this-was-me", "I signed in from a hotel", (DateTimeOffset?)server.Clock.GetUtcNow()), (stored.Feedback, stored.FeedbackComment, stored.FeedbackAt));
        Assert.Equal("You answered: This was me — I signed in from a hotel", (await browser.GetAsync(path)).Document.QuerySelector("#feedback-given")!.TextContent);

        var falseAlarm = await browser.SubmitAsync(path, Form(("Kind", "false-alarm")), "#feedback-form");
        Assert.Equal("Thank you. We noted that you think this is a false alarm; an analyst will review it.", await StatusAfterAsync(browser, falseAlarm));
        stored = await server.WithDbAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Id == id, Ct));
        Assert.Equal(("false-alarm", (string?)null), (stored.Feedback, stored.FeedbackComment));

        // Audited as the signed-in user, like the API's acknowledgement and feedback.
        var audit = await server.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.Target == $"notice/{id}").OrderBy(a => a.Sequence).ToListAsync(Ct));
        Assert.Equal(["notice.acknowledge", "notice.feedback", "notice.feedback"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal((user.Id, "Person", member.Id), (a.ActorId!.Value, a.ActorScope, a.OrganisationId!.Value)));
    }

    [Fact]
    public async Task Hostile_answers_and_other_peoples_notices_are_refused_without_change()
    {
        var (member, person, _, browser) = await SignedInPersonAsync(server);
        var (colleague, _) = await PortalUsers.CreatePersonAsync(server, member.Id, $"colleague-{Guid.NewGuid():N}@example.org");
        var mine = await AddNoticeAsync(server, member.Id, person.Id, "Mine", MembershipServer.Start);
        var theirs = await AddNoticeAsync(server, member.Id, colleague.Id, "Theirs", MembershipServer.Start);
        var path = $"/me/notices/detail?id={mine}";
        var page = await browser.GetAsync(path);

        var unknownKind = await PostAsync(browser, page, $"{path}&handler=Feedback", Form(("Kind", "<script>alert(1)</script>")));
        var noKind = await PostAsync(browser, page, $"{path}&handler=Feedback", Form(("Comment", "no answer chosen")));
        var tooLong = await browser.SubmitAsync(path, Form(("Kind", "false-alarm"), ("Comment", new string('x', 2001))), "#feedback-form");
        var control = await browser.SubmitAsync(path, Form(("Kind", "false-alarm"), ("Comment", "bell\u0007")), "#feedback-form");

        Assert.Equal(HttpStatusCode.OK, unknownKind.Status);
        Assert.Equal(["Choose one of the answers: \"This was me\" or \"False alarm\"."], Errors(unknownKind));
        Assert.Equal(["Choose one of the answers: \"This was me\" or \"False alarm\"."], Errors(noKind));
        Assert.Equal(HttpStatusCode.OK, tooLong.Status);
        Assert.Equal(["Your comment is too long: 2000 characters at most."], Errors(tooLong));
        Assert.Equal(["Your comment contains characters that cannot be kept. Please type it again."], Errors(control));

        var acknowledgeTheirs = await PostAsync(browser, page, $"/me/notices/detail?id={theirs}&handler=Acknowledge", Form());
        var answerTheirs = await PostAsync(browser, page, $"/me/notices/detail?id={theirs}&handler=Feedback", Form(("Kind", "false-alarm")));
        var badId = await PostAsync(browser, page, "/me/notices/detail?id=1%27%20OR%201=1&handler=Acknowledge", Form());
        var noId = await PostAsync(browser, page, "/me/notices/detail?handler=Feedback", Form(("Kind", "false-alarm")));
        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { acknowledgeTheirs.Status, answerTheirs.Status, badId.Status, noId.Status });

        var notices = await server.WithDbAsync(db => db.Notices.AsNoTracking().Where(n => n.Id == mine || n.Id == theirs).ToListAsync(Ct));
        Assert.All(notices, n => Assert.Equal((null, null, null), (n.AcknowledgedAt, n.Feedback, n.FeedbackComment)));
    }

    [Fact]
    public async Task A_personal_account_is_added_confirmed_with_the_code_from_the_email_shared_and_removed()
    {
        var (member, person, _, browser) = await SignedInPersonAsync(server);
        var address = Personal();

        var added = await browser.SubmitAsync("/me/accounts", Form(("Address", address.ToUpperInvariant())), "#add-form");

        Assert.Equal("/me/accounts", added.Target);
        Assert.Equal($"We sent a code to {address}. Enter it below to confirm that the address is yours.", await StatusAfterAsync(browser, added));
        var page = await browser.GetAsync("/me/accounts");
        Assert.Equal([address], page.Document.QuerySelectorAll("tr[data-account] .address").Select(a => a.TextContent));
        Assert.Equal($"Waiting for the code sent to this address (valid until {server.Clock.GetUtcNow().AddMinutes(15).UtcDateTime:HH:mm} UTC).", page.Document.QuerySelector("tr[data-account] td:nth-child(2) .account-state")!.TextContent.Trim());
        var code = MembershipServer.Code((await server.MailToAsync(address))[^1].Message.TextBody);
        var wrong = code == "00000000" ? "11111111" : "00000000";

        var refused = await browser.SubmitAsync("/me/accounts", Form(("Code", wrong)), ".verify-form");
        var malformed = await browser.SubmitAsync("/me/accounts", Form(("Code", "12ab")), ".verify-form");
        var verified = await browser.SubmitAsync("/me/accounts", Form(("Code", code)), ".verify-form");

        Assert.Equal(["This is not the code we sent. 4 tries left."], Errors(refused));
        Assert.Equal(["Enter the 8-digit code from the email."], Errors(malformed));
        Assert.Equal($"{address} is confirmed. Bulwark now watches it for you.", await StatusAfterAsync(browser, verified));
        var account = await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().SingleAsync(a => a.PersonId == person.Id, Ct));
        Assert.Equal(((DateTimeOffset?)server.Clock.GetUtcNow(), false), (account.VerifiedAt, account.OrganisationMayView));
        page = await browser.GetAsync("/me/accounts");
        Assert.Equal($"Confirmed on {Day(server.Clock.GetUtcNow())}", page.Document.QuerySelector("tr[data-account] td:nth-child(2) .account-state")!.TextContent);
        Assert.Null(page.Document.QuerySelector(".verify-form"));
        var consent = Assert.Single(page.Document.QuerySelectorAll("table.consents tbody tr"));
        Assert.StartsWith("Bulwark keeps and checks this personal account", consent.Children[0].TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(Consents.MonitoringStatement, consent.QuerySelector(".statement")!.TextContent);
        Assert.Equal((address, "In force"), (consent.Children[1].TextContent, consent.Children[3].TextContent.Trim()));

        var shared = await browser.SubmitAsync("/me/accounts", Form(), ".visibility-form");
        Assert.Equal($"Your organisation's administrators may now see incidents on {address}.", await StatusAfterAsync(browser, shared));
        Assert.True(await server.WithDbAsync(member.Id, db => new PersonalVisibility(db).CanOrganisationSeeAsync(person.Id, Ct)));
        var unshared = await browser.SubmitAsync("/me/accounts", Form(), ".visibility-form");
        Assert.Equal($"Your organisation's administrators no longer see incidents on {address}.", await StatusAfterAsync(browser, unshared));
        Assert.False(await server.WithDbAsync(member.Id, db => new PersonalVisibility(db).CanOrganisationSeeAsync(person.Id, Ct)));

        var removed = await browser.SubmitAsync("/me/accounts", Form(), ".remove-form");

        Assert.Equal("The account is removed and its address erased. Your consent for it is marked withdrawn.", await StatusAfterAsync(browser, removed));
        Assert.False(await server.WithDbAsync(db => db.PersonalAccounts.AnyAsync(a => a.PersonId == person.Id, Ct)));
        Assert.False(await server.WithDbAsync(db => db.PersonKeys.AnyAsync(k => k.PersonId == person.Id, Ct)));
        page = await browser.GetAsync("/me/accounts");
        Assert.Equal("You have not added a personal account.", page.Document.QuerySelector("#accounts-title + p")!.TextContent);
        var consents = page.Document.QuerySelectorAll("table.consents tbody tr").ToList();
        Assert.Equal(2, consents.Count);
        Assert.All(consents, c => Assert.Equal(("(removed account)", Day(server.Clock.GetUtcNow())), (c.Children[1].TextContent, c.Children[3].TextContent.Trim())));
        var actions = await server.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.ActorId == person.Id).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync(Ct));
        Assert.Equal(["personal-account.add", "personal-account.verify", "consent.grant", "consent.withdraw", "personal-account.remove"], actions);
    }

    [Fact]
    public async Task Hostile_account_input_is_refused_clearly_and_other_peoples_accounts_are_not_found()
    {
        var (member, person, user, browser) = await SignedInPersonAsync(server);
        var (_, _, _, colleagueBrowser) = await SignedInPersonAsync(server, member: member);
        var address = Personal();
        await browser.SubmitAsync("/me/accounts", Form(("Address", address)), "#add-form");
        await colleagueBrowser.SubmitAsync("/me/accounts", Form(("Address", Personal())), "#add-form");
        var colleagues = await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().SingleAsync(a => a.PersonId != person.Id && a.OrganisationId == member.Id, Ct));
        var mine = await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().SingleAsync(a => a.PersonId == person.Id, Ct));
        var page = await browser.GetAsync("/me/accounts");

        var overlong = await browser.SubmitAsync("/me/accounts", Form(("Address", new string('a', 300) + "@example.org")), "#add-form");
        var notAnAddress = await browser.SubmitAsync("/me/accounts", Form(("Address", "ana@@example..org")), "#add-form");
        var work = await browser.SubmitAsync("/me/accounts", Form(("Address", user.Email!)), "#add-form");
        var again = await browser.SubmitAsync("/me/accounts", Form(), ".resend-form");
        var badFlag = await PostAsync(browser, page, "/me/accounts?handler=Visibility", Form(("AccountId", mine.Id.ToString()), ("OrganisationMayView", "perhaps")));

        Assert.Equal(HttpStatusCode.OK, overlong.Status);
        Assert.Equal(["This is not an email address we can use. Check it and try again."], Errors(overlong));
        Assert.Equal(["This is not an email address we can use. Check it and try again."], Errors(notAnAddress));
        Assert.Equal(["This is your work address, which your organisation already watches. Add a personal address."], Errors(work));
        Assert.Equal(["A code was sent to this address a moment ago. Use it, or wait a minute before asking for another."], Errors(again));
        Assert.Equal(HttpStatusCode.OK, badFlag.Status);
        Assert.Equal(["Part of the form was not understood. Please try again."], Errors(badFlag));

        var statuses = new List<HttpStatusCode>();
        foreach (var handler in new[] { "Verify", "Visibility", "Remove", "Resend" })
        {
            statuses.Add((await PostAsync(browser, page, $"/me/accounts?handler={handler}", Form(("AccountId", colleagues.Id.ToString()), ("Code", "12345678"), ("OrganisationMayView", "true")))).Status);
            statuses.Add((await PostAsync(browser, page, $"/me/accounts?handler={handler}", Form(("AccountId", "../../etc/passwd"), ("Code", "12345678")))).Status);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        var untouched = await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().SingleAsync(a => a.Id == colleagues.Id, Ct));
        Assert.Equal((0, false, (DateTimeOffset?)null), (untouched.CodeAttempts, untouched.OrganisationMayView, untouched.VerifiedAt));
        Assert.Single(await server.WithDbAsync(db => db.PersonalAccounts.AsNoTracking().Where(a => a.PersonId == person.Id).ToListAsync(Ct)));
    }

    [Fact]
    public async Task Withdrawal_needs_the_word_then_erases_the_person_and_closes_their_portal_account()
    {
        var (member, person, user, browser) = await SignedInPersonAsync(server);
        var address = Personal();
        await browser.SubmitAsync("/me/accounts", Form(("Address", address)), "#add-form");
        var code = MembershipServer.Code((await server.MailToAsync(address))[^1].Message.TextBody);
        await browser.SubmitAsync("/me/accounts", Form(("Code", code)), ".verify-form");
        var notice = await AddNoticeAsync(server, member.Id, person.Id, "About to go", MembershipServer.Start);

        var hesitant = await browser.SubmitAsync("/me/withdraw", Form(("Confirmation", "erase everything")));

        Assert.Equal(["Type ERASE to confirm. Nothing was erased."], Errors(hesitant));
        Assert.Null(await server.WithDbAsync(db => db.People.AsNoTracking().Where(p => p.Id == person.Id).Select(p => p.ErasedAt).SingleAsync(Ct)));

        var done = await browser.SubmitAsync("/me/withdraw", Form(("Confirmation", " erase ")));

        Assert.Equal("/account/sign-in", done.Target);
        Assert.Equal("Your data is erased and your portal account is closed. Take care.", await StatusAfterAsync(browser, done));
        await server.WithDbAsync(async db =>
        {
            var tombstone = await db.People.AsNoTracking().SingleAsync(p => p.Id == person.Id, Ct);
            Assert.Equal((server.Clock.GetUtcNow(), PersonErasure.ErasedName, ""), (tombstone.ErasedAt!.Value, tombstone.DisplayName, tombstone.WorkEmail));
            Assert.False(await db.PersonalAccounts.AnyAsync(a => a.PersonId == person.Id, Ct));
            Assert.False(await db.PersonKeys.AnyAsync(k => k.PersonId == person.Id, Ct));
            Assert.False(await db.Notices.AnyAsync(n => n.Id == notice, Ct));
            Assert.All(await db.Consents.Where(c => c.PersonId == person.Id).ToListAsync(Ct), c => Assert.Equal(server.Clock.GetUtcNow(), c.WithdrawnAt));
            Assert.False(await db.Set<PortalUser>().AnyAsync(u => u.Id == user.Id, Ct));
            Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "person.erase" && a.Target == $"person/{person.Id}", Ct));
            return 0;
        });
        Assert.DoesNotContain(address, await server.EverythingStoredAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/account/sign-in", (await browser.GetAsync("/me/notices")).TargetPath);
        var again = await new PortalBrowser(server).SignInAsync(user.UserName!);
        Assert.Equal(["Wrong user name or password."], Errors(again));
    }

    [Fact]
    public async Task Staff_without_a_person_are_denied_and_visitors_sent_to_sign_in()
    {
        server.EnsureAvailable();
        var analyst = await PortalUsers.CreateStaffAsync(server, "an-" + Guid.NewGuid().ToString("N")[..8], PortalRoles.Analyst);
        var op = await PortalUsers.CreateStaffAsync(server, "op-" + Guid.NewGuid().ToString("N")[..8], PortalRoles.Operator);
        var pages = new[] { "/me/notices", $"/me/notices/detail?id={Guid.NewGuid()}", "/me/accounts", "/me/withdraw" };

        foreach (var staff in new[] { analyst, op })
        {
            var browser = new PortalBrowser(server);
            await browser.SignInAsync(staff.UserName!);
            foreach (var path in pages)
            {
                var page = await browser.GetAsync(path);
                Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (page.Status, page.TargetPath));
            }
        }

        var visitor = new PortalBrowser(server);
        foreach (var path in pages)
        {
            Assert.Equal("/account/sign-in", (await visitor.GetAsync(path)).TargetPath);
        }
    }

    /// <summary>A date as the pages show it to an English reader.</summary>
    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en"));

    private static string Personal() => $"ana.{Guid.NewGuid():N}"[..16] + "@mail.example-personal.test";
}

[Collection(MembershipMailSqlite.Name)]
public sealed class PortalMeSqliteTests(MembershipSqliteMailServer server) : PortalMeTests<MembershipSqliteMailServer>(server);

[Collection(MembershipMailPostgres.Name)]
public sealed class PortalMePostgresTests(MembershipPostgresMailServer server) : PortalMeTests<MembershipPostgresMailServer>(server);
