using System.Net;
using System.Net.Http.Headers;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Portal;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>Sign-in, two-factor, one-time passwords, sessions and the portal's own defences, over real HTTP.</summary>
public abstract class PortalAccountTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private async Task<(Member Member, PortalUser User)> PersonAsync(string email, PersonRole role = PersonRole.Staff)
    {
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync("Portal Org " + Guid.NewGuid().ToString("N")[..6]);
        var (_, user) = await PortalUsers.CreatePersonAsync(server, member.Id, email, role);
        return (member, user);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_with_the_page_to_return_to()
    {
        var browser = new PortalBrowser(server);

        var page = await browser.GetAsync("/security");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/account/sign-in?ReturnUrl=%2Fsecurity", page.Target);
    }

    [Fact]
    public async Task A_person_signs_in_with_a_password_and_lands_on_their_notices()
    {
        var (_, user) = await PersonAsync($"sign-in-{Guid.NewGuid():N}@example.org");
        var browser = new PortalBrowser(server);

        var signedIn = await browser.SignInAsync(user.UserName!);
        var home = await browser.GetAsync("/");

        Assert.Equal((HttpStatusCode.Redirect, "/"), (signedIn.Status, signedIn.Target));
        Assert.Equal((HttpStatusCode.Redirect, "/me/notices"), (home.Status, home.Target));
        var security = await browser.GetAsync("/security");
        Assert.Equal(HttpStatusCode.OK, security.Status);
        Assert.Equal("Alex Martin", security.Document.QuerySelector(".signout .who")!.TextContent);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_five_lock_the_account()
    {
        var (_, user) = await PersonAsync($"lockout-{Guid.NewGuid():N}@example.org");
        var browser = new PortalBrowser(server);

        var wrong = await browser.SignInAsync(user.UserName!, "not the password at all");
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Equal("Wrong user name or password.", wrong.Document.QuerySelector(".errors li")!.TextContent);

        for (var i = 0; i < 4; i++)
        {
            wrong = await browser.SignInAsync(user.UserName!, "not the password at all");
        }

        Assert.Equal("Too many failed attempts: this account is locked for 15 minutes.", wrong.Document.QuerySelector(".errors li")!.TextContent);
        var right = await browser.SignInAsync(user.UserName!);
        Assert.Equal("Too many failed attempts: this account is locked for 15 minutes.", right.Document.QuerySelector(".errors li")!.TextContent);
    }

    [Fact]
    public async Task With_two_factor_on_the_password_alone_is_not_enough()
    {
        var (_, user) = await PersonAsync($"totp-{Guid.NewGuid():N}@example.org");
        var secret = await PortalUsers.EnableTotpAsync(server, user);
        var browser = new PortalBrowser(server);

        var first = await browser.SignInAsync(user.UserName!);
        Assert.Equal("/account/two-factor", first.TargetPath);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/security")).Status);

        var wrongCode = await browser.SubmitAsync("/account/two-factor", Form(("Code", "000000")));
        Assert.Equal("That code is not right. Codes change every 30 seconds; enter the current one.", wrongCode.Document.QuerySelector(".errors li")!.TextContent);

        var rightCode = await browser.SubmitAsync("/account/two-factor", Form(("Code", PortalUsers.TotpCode(secret))));
        Assert.Equal((HttpStatusCode.Redirect, "/"), (rightCode.Status, rightCode.Target));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/security")).Status);
    }

    [Fact]
    public async Task A_user_turns_on_totp_from_the_security_page_and_gets_ten_recovery_codes_that_work_once()
    {
        var (_, user) = await PersonAsync($"enrol-{Guid.NewGuid():N}@example.org");
        var browser = new PortalBrowser(server);
        await browser.SignInAsync(user.UserName!);

        var security = await browser.GetAsync("/security");
        var key = security.Document.QuerySelector("#totp-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.StartsWith("data:image/png;base64,", security.Document.QuerySelector(".totp img")!.GetAttribute("src"), StringComparison.Ordinal);
        var enabled = await browser.SubmitAsync(security, Form(("Code", PortalUsers.TotpCode(key))), "form[action*='EnableTotp']", "/security");

        var codes = enabled.Document.QuerySelectorAll(".codes code").Select(c => c.TextContent).ToList();
        Assert.True(codes.Count > 0, $"{enabled.Status} {enabled.Location} {enabled.Document.QuerySelector(".errors")?.TextContent}");
        Assert.Equal(10, codes.Distinct().Count());

        var again = new PortalBrowser(server);
        var step = await again.SignInAsync(user.UserName!);
        Assert.Equal("/account/two-factor", step.TargetPath);
        var recovered = await again.SubmitAsync("/account/recovery", Form(("Code", codes[0])));
        Assert.Equal((HttpStatusCode.Redirect, "/"), (recovered.Status, recovered.Target));

        var third = new PortalBrowser(server);
        await third.SignInAsync(user.UserName!);
        var reused = await third.SubmitAsync("/account/recovery", Form(("Code", codes[0])));
        Assert.Equal("That recovery code is not valid (or was used already).", reused.Document.QuerySelector(".errors li")!.TextContent);
    }

    [Fact]
    public async Task The_first_operator_must_replace_the_one_time_password_and_breached_passwords_are_refused()
    {
        server.EnsureAvailable();
        var userName = "op-" + Guid.NewGuid().ToString("N")[..8];
        var oneTime = PortalAccounts.OneTimePassword();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalAccounts>().CreateStaffAsync(userName, null, PortalRoles.Operator, oneTime, CancellationToken.None);
        }

        var browser = new PortalBrowser(server);
        await browser.SignInAsync(userName, oneTime);
        var forced = await browser.GetAsync("/security");
        Assert.Equal("/security/change-password", forced.Target);

        var breached = await browser.SubmitAsync("/security/change-password", Form(("Current", oneTime), ("New", "Password123456"), ("Confirm", "Password123456")));
        Assert.Equal(
            "This password appears in known data breaches; choose another (a passphrase of several words works well).",
            breached.Document.QuerySelector(".errors li")!.TextContent);
        var tooShort = await browser.SubmitAsync("/security/change-password", Form(("Current", oneTime), ("New", "short one"), ("Confirm", "short one")));
        Assert.Equal("The new password is too short: 12 characters at least.", tooShort.Document.QuerySelector(".errors li")!.TextContent);

        var changed = await browser.SubmitAsync("/security/change-password", Form(("Current", oneTime), ("New", "lantern orchard velvet 7"), ("Confirm", "lantern orchard velvet 7")));
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/security")).Status);
        var fresh = new PortalBrowser(server);
        Assert.Equal("/", (await fresh.SignInAsync(userName, "lantern orchard velvet 7")).Target);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_at_once()
    {
        var (_, user) = await PersonAsync($"everywhere-{Guid.NewGuid():N}@example.org");
        var laptop = new PortalBrowser(server);
        var phone = new PortalBrowser(server);
        await laptop.SignInAsync(user.UserName!);
        await phone.SignInAsync(user.UserName!);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/security")).Status);

        var done = await laptop.SubmitAsync("/security", Form(), "form[action*='SignOutEverywhere']");

        Assert.Equal("/account/sign-in", done.Target);
        Assert.Equal("/account/sign-in", (await phone.GetAsync("/security")).TargetPath);
        Assert.Equal("/account/sign-in", (await laptop.GetAsync("/security")).TargetPath);
    }

    [Fact]
    public async Task Pages_carry_strict_headers_and_no_inline_script()
    {
        var browser = new PortalBrowser(server);

        var page = await browser.GetAsync("/account/sign-in");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, page.Response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", page.Response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", page.Response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(page.Response.Headers.CacheControl!.NoStore);
        Assert.All(page.Document.QuerySelectorAll("script"), s => Assert.False(string.IsNullOrEmpty(s.GetAttribute("src"))));
        Assert.Empty(page.Document.QuerySelectorAll("[style]"));
        Assert.DoesNotContain(page.Document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        var (_, user) = await PersonAsync($"csrf-{Guid.NewGuid():N}@example.org");
        var browser = new PortalBrowser(server);

        var response = await browser.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(Form(("UserName", user.UserName!), ("Password", PortalUsers.Password))), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Keys_never_open_pages_and_the_sign_in_cookie_never_calls_the_api()
    {
        server.EnsureAvailable();
        var staff = await PortalUsers.CreateStaffAsync(server, "op-" + Guid.NewGuid().ToString("N")[..8], PortalRoles.Operator);
        var browser = new PortalBrowser(server);
        await browser.SignInAsync(staff.UserName!);

        var api = await browser.Http.GetAsync("/api/v1/audit", TestContext.Current.CancellationToken);
        var withKey = server.CreateClient(new() { AllowAutoRedirect = false });
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BulwarkServer.BootstrapToken);
        var page = await withKey.GetAsync("/security", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/sign-in", page.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("fr", "Se connecter", "Bulwark n'envoie jamais de liens. Lisez vos avis uniquement ici, après vous être connecté.")]
    [InlineData("es", "Iniciar sesión", "Bulwark nunca envía enlaces. Lea sus avisos solo aquí, después de iniciar sesión.")]
    [InlineData("de", "Sign in", "Bulwark never sends links. Read notices only here, after signing in.")]
    public async Task The_portal_speaks_the_browser_language_until_the_user_chooses(string language, string heading, string footer)
    {
        var browser = new PortalBrowser(server);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var page = await browser.GetAsync("/account/sign-in");

        Assert.Equal(heading, page.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal(footer, page.Document.QuerySelector("footer p")!.TextContent);
        Assert.Equal(language == "de" ? "en" : language, page.Document.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task A_person_signs_in_and_reads_the_portal_in_their_own_language_whatever_the_browser_says()
    {
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync("Langue Org " + Guid.NewGuid().ToString("N")[..6]);
        var (_, user) = await PortalUsers.CreatePersonAsync(server, member.Id, $"fr-{Guid.NewGuid():N}@example.org", language: "fr");
        var browser = new PortalBrowser(server);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var signIn = await browser.GetAsync("/account/sign-in");
        await browser.SignInAsync(user.UserName!);
        var security = await browser.GetAsync("/security");

        Assert.Equal("Sign in", signIn.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal("Sécurité", security.Document.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_person_who_chooses_Spanish_gets_the_portal_and_their_notices_in_Spanish()
    {
        var (_, user) = await PersonAsync($"lang-{Guid.NewGuid():N}@example.org");
        var browser = new PortalBrowser(server);
        await browser.SignInAsync(user.UserName!);

        var saved = await browser.SubmitAsync("/security", Form(("Language", "es")), "form[action*='Language']");
        var page = await browser.GetAsync(saved.Target!);

        Assert.Equal("Seguridad", page.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal("Idioma guardado.", page.Document.QuerySelector(".status")!.TextContent);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Bulwark.Server.Storage.TenantDatabase>().OpenInstanceWide();
        await using (db)
        {
            Assert.Equal("es", db.People.Single(p => p.Id == user.PersonId).Language);
        }
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        server.EnsureAvailable();
        await using var strict = server.WithWebHostBuilder(b => b.UseSetting("Portal:SignInAttemptsPerMinute", "10"));
        var browser = new PortalBrowser(strict);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await browser.SignInAsync("nobody-" + i, "wrong password here")).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
    }
}

public sealed class PortalAccountSqliteTests(SqliteServer server) : PortalAccountTests<SqliteServer>(server);

public sealed class PortalAccountPostgresTests(PostgresServer server) : PortalAccountTests<PostgresServer>(server);
