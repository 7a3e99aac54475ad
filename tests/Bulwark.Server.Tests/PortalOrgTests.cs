using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Tests.Support;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>The org admin's pages: overview, incidents, sources (uploads, keys, webhooks) and contacts, over real HTTP.</summary>
public abstract class PortalOrgTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private static readonly string[] Pages = ["/org", "/org/incidents", "/org/people", "/org/domains", "/org/sources", "/org/contacts"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>An admitted member and its org admin, signed in.</summary>
    private async Task<(Member Member, PortalBrowser Browser)> AdminAsync(string name)
    {
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync(name + " " + Guid.NewGuid().ToString("N")[..6]);
        var email = $"admin-{Guid.NewGuid():N}@example.org";
        await PortalUsers.CreatePersonAsync(server, member.Id, email, PersonRole.OrgAdmin, "Olga Admin");
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(email)).Target);
        return (member, browser);
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Other_roles_and_anonymous_visitors_are_refused_every_org_page()
    {
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync("Refused Org");
        var staffEmail = $"staff-{Guid.NewGuid():N}@example.org";
        await PortalUsers.CreatePersonAsync(server, member.Id, staffEmail, PersonRole.Staff);
        var analyst = await PortalUsers.CreateStaffAsync(server, "analyst-" + Guid.NewGuid().ToString("N")[..8], PortalRoles.Analyst);
        var op = await PortalUsers.CreateStaffAsync(server, "operator-" + Guid.NewGuid().ToString("N")[..8], PortalRoles.Operator);

        var individual = new PortalBrowser(server);
        await individual.SignInAsync(staffEmail);
        var asAnalyst = new PortalBrowser(server);
        await asAnalyst.SignInAsync(analyst.UserName!);
        var asOperator = new PortalBrowser(server);
        await asOperator.SignInAsync(op.UserName!);
        var anonymous = new PortalBrowser(server);

        foreach (var page in Pages.Append($"/org/incidents/{Guid.NewGuid()}").Append($"/org/sources/uploads/{Guid.NewGuid()}"))
        {
            foreach (var browser in new[] { individual, asAnalyst, asOperator })
            {
                var refused = await browser.GetAsync(page);
                Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (refused.Status, refused.TargetPath));
            }

            var signIn = await anonymous.GetAsync(page);
            Assert.Equal((HttpStatusCode.Redirect, "/account/sign-in"), (signIn.Status, signIn.TargetPath));
        }

        // A form post without the session is refused too (the upload has its own token check).
        var post = await individual.Http.PostAsync("/org/sources/upload", new MultipartFormDataContent { { new StringContent("x"), "File", "a.log" } }, Ct);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/account/denied", post.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Overview_and_incidents_show_the_organisations_own_findings_chart_and_timeline()
    {
        var (member, browser) = await AdminAsync("Overview Org");
        var (other, _) = await AdminAsync("Other Org");
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        var twoDaysAgo = new DateTimeOffset(today.AddDays(-2).AddHours(9), TimeSpan.Zero);
        var yesterday = new DateTimeOffset(today.AddDays(-1).AddHours(14), TimeSpan.Zero);
        var ingest = server.As(member.IngestToken);
        await SubmitAsync(ingest, new JsonArray(
            Finding("BW-7100000000000001", "192.0.2.71", firstSeen: Iso(twoDaysAgo.AddMinutes(5)), lastSeen: Iso(twoDaysAgo.AddMinutes(6))),
            Finding("BW-7100000000000002", "192.0.2.71", firstSeen: Iso(twoDaysAgo), lastSeen: Iso(twoDaysAgo.AddMinutes(1))),
            Finding("BW-7100000000000003", "192.0.2.72", firstSeen: Iso(yesterday), lastSeen: Iso(yesterday.AddMinutes(2)))), Ct);
        await SubmitAsync(server.As(other.IngestToken), new JsonArray(Finding("BW-7100000000000009", "198.51.100.9", firstSeen: Iso(yesterday), lastSeen: Iso(yesterday))), Ct);
        var incidents = await IncidentsAsync(server.As(member.AdminToken), "", Ct);
        var first = incidents.Single(i => i.GetProperty("groupKey").GetString() == "192.0.2.71").GetProperty("id").GetGuid();
        var otherIncident = (await IncidentsAsync(server.As(other.AdminToken), "", Ct)).Single().GetProperty("id").GetGuid();

        var overview = await browser.GetAsync("/org");

        Assert.Equal(HttpStatusCode.OK, overview.Status);
        var open = overview.Document.QuerySelectorAll("#open-incidents tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(2, open.Count);
        Assert.All(open, r => Assert.Equal(("Critical", "ProxyLogon server-side request forgery (CVE-2021-26855)", "Unconfirmed"), (r[0], r[1], r[2])));
        Assert.Equal(yesterday.AddMinutes(2).UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.GetCultureInfo("en")), open[0][3]);
        var bars = overview.Document.QuerySelectorAll("svg.findings-chart rect.day").ToList();
        Assert.Equal(30, bars.Count);
        Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), bars[^1].GetAttribute("data-date"));
        Assert.Equal(
            [.. Enumerable.Repeat("0", 27), "100", "50", "0"],
            bars.Select(b => b.GetAttribute("height")!).ToArray());
        Assert.Equal("2", bars[27].GetAttribute("data-count"));
        Assert.Null(overview.Document.QuerySelector("[style]"));
        var table = overview.Document.QuerySelectorAll("#chart-table tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent).ToList();
        Assert.Equal([.. Enumerable.Repeat("0", 27), "2", "1", "0"], table);
        Assert.Equal("One bar per day (UTC), by when the activity was first seen: 3 findings in all.", overview.Document.QuerySelector("#chart-desc")!.TextContent);
        Assert.Equal(["admin", "ingest"], overview.Document.QuerySelectorAll("#source-keys tbody tr td:first-child").Select(c => c.TextContent.Trim()));

        var list = await browser.GetAsync("/org/incidents");
        Assert.Equal(["2", "1"], list.Document.QuerySelectorAll("#incidents tbody tr").Select(r => r.QuerySelectorAll("td")[3].TextContent).OrderByDescending(x => x, StringComparer.Ordinal));
        var filtered = await browser.GetAsync("/org/incidents?status=Dismissed");
        Assert.Equal("No incident.", filtered.Document.QuerySelector("main p.muted")!.TextContent);

        var detail = await browser.GetAsync($"/org/incidents/{first}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal("Unconfirmed", detail.Document.QuerySelector("#incident-status")!.TextContent.Trim());
        var timeline = detail.Document.QuerySelectorAll("#timeline > li").ToList();
        Assert.Equal(["BW-7100000000000002", "BW-7100000000000001"], timeline.Select(li => li.GetAttribute("data-finding")));
        Assert.Equal("exchange.proxylogon.ssrf", timeline[0].QuerySelector(".detection")!.TextContent);
        Assert.Equal("192.0.2.71", timeline[0].QuerySelector(".subject")!.TextContent);
        Assert.Equal(Iso(twoDaysAgo).Replace("Z", "", StringComparison.Ordinal), DateTimeOffset.Parse(timeline[0].QuerySelector(".first-seen time")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        Assert.Equal(
            ["Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG:11", "Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG:15"],
            timeline[0].QuerySelectorAll(".evidence-item code.file").Select(c => c.TextContent));
        Assert.Equal("192.0.2.71", timeline[0].QuerySelectorAll(".evidence-item dl dd")[2].TextContent);
        Assert.Equal("No notice yet: notices are issued when an analyst confirms the incident.", detail.Document.QuerySelector("#notices-title + p")!.TextContent);

        // Confirmed by an analyst: the organisation's notice shows, then its acknowledgement.
        (await server.Operator.PostAsJsonAsync($"/api/v1/incidents/{first}/confirm", new { reason = "seen before" }, BulwarkServer.Json, Ct)).EnsureSuccessStatusCode();
        var notices = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>("/api/v1/notices", BulwarkServer.Json, Ct);
        var notice = notices.EnumerateArray().Single().GetProperty("id").GetGuid();
        var confirmed = await browser.GetAsync($"/org/incidents/{first}");
        Assert.StartsWith("Confirmed · ", confirmed.Document.QuerySelector("#incident-status")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Not acknowledged", confirmed.Document.QuerySelector("#notices tbody tr td:last-child")!.TextContent.Trim());
        (await server.As(member.AdminToken).PostAsync($"/api/v1/notices/{notice}/acknowledge", null, Ct)).EnsureSuccessStatusCode();
        var acknowledged = await browser.GetAsync($"/org/incidents/{first}");
        Assert.EndsWith(" UTC", acknowledged.Document.QuerySelector("#notices tbody tr td:last-child time")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/org/incidents/{otherIncident}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/org/incidents/{Guid.NewGuid()}")).Status);
        Assert.DoesNotContain("198.51.100.9", (await browser.GetAsync("/org")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Samples_uploaded_through_the_page_form_are_scanned_into_24_findings()
    {
        var (member, browser) = await AdminAsync("Upload Org");
        var (_, otherBrowser) = await AdminAsync("Other Upload Org");
        var sources = await browser.GetAsync("/org/sources");
        Assert.Equal("__RequestVerificationToken", sources.Document.QuerySelector("#upload-form input")!.GetAttribute("name"));

        var noToken = await browser.PostFileAsync(sources, "#upload-form", "exchange-server.zip", SamplesZip, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.Status);
        Assert.Equal("The form had expired. Reload the page and upload again.", noToken.Document.QuerySelector("#upload-error li")!.TextContent);

        var posted = await browser.PostFileAsync(sources, "#upload-form", "exchange-server.zip", SamplesZip);

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.StartsWith("/org/sources/uploads/", posted.TargetPath, StringComparison.Ordinal);
        var id = Guid.Parse(posted.TargetPath!["/org/sources/uploads/".Length..]);
        var upload = await WaitForUploadAsync(server.As(member.AdminToken), id, Ct);
        Assert.Equal(("Done", 24), (upload.GetProperty("status").GetString(), upload.GetProperty("findings").GetInt32()));
        Assert.Equal(Sha256(SamplesZip), upload.GetProperty("sha256").GetString());
        var page = await browser.GetAsync(posted.Target!);
        Assert.Equal(("Done", "24"), (page.Document.QuerySelector("#upload-status")!.TextContent, page.Document.QuerySelector("#upload-findings")!.TextContent));
        Assert.Equal("exchange-server.zip", page.Document.QuerySelector("h1")!.TextContent);
        var row = (await browser.GetAsync("/org/sources")).Document.QuerySelector($"#uploads tr[data-upload='{id}']")!;
        Assert.Equal(("Done", "24"), (row.QuerySelector(".status-cell")!.TextContent.Trim(), row.QuerySelector(".findings")!.TextContent));
        var overview = await browser.GetAsync("/org");
        Assert.Equal("exchange-server.zip", overview.Document.QuerySelector("#source-uploads tbody td")!.TextContent);
        Assert.NotEmpty(overview.Document.QuerySelectorAll("#source-hosts tbody tr"));

        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.GetAsync($"/org/sources/uploads/{id}")).Status);

        var empty = await browser.PostFileAsync(await browser.GetAsync("/org/sources"), "#upload-form", "", []);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal("Choose a file to upload.", empty.Document.QuerySelector("#upload-error li")!.TextContent);
        var garbage = await browser.Http.PostAsync("/org/sources/upload", new StringContent("not multipart"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task A_key_created_on_the_page_is_shown_once_works_against_the_api_and_can_be_revoked()
    {
        var (member, browser) = await AdminAsync("Key Org");
        var (other, otherBrowser) = await AdminAsync("Other Key Org");

        var created = await browser.SubmitAsync("/org/sources", Form(("KeyName", "mail server 1")), "#key-form");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var token = created.Document.QuerySelector("#secret")!.TextContent;
        Assert.StartsWith("bwk_", token, StringComparison.Ordinal);
        var row = created.Document.QuerySelectorAll("#keys tbody tr").Single(r => r.QuerySelector(".name")!.TextContent == "mail server 1");
        Assert.Equal(("Ingest", "Active"), (row.QuerySelector(".scope")!.TextContent, row.QuerySelector(".state")!.TextContent));
        Assert.Null((await browser.GetAsync("/org/sources")).Document.QuerySelector("#secret"));
        Assert.DoesNotContain(token, (await browser.GetAsync("/org/sources")).Text, StringComparison.Ordinal);
        var submitted = await server.As(token).PostAsync("/api/v1/findings", JsonBody(new JsonArray(Finding("BW-7200000000000001", "192.0.2.81"))), Ct);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        var blank = await browser.SubmitAsync("/org/sources", Form(("KeyName", "   ")), "#key-form");
        Assert.Equal("Give the key a name of 1 to 200 characters, such as the server that will use it.", blank.Document.QuerySelector(".errors li")!.TextContent);

        var keyId = row.GetAttribute("data-key")!;
        var revoked = await browser.SubmitAsync("/org/sources", Form(("id", keyId)), $"#keys tr[data-key='{keyId}'] form.revoke-key");
        Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(token).PostAsync("/api/v1/findings", JsonBody(new JsonArray()), Ct)).StatusCode);
        Assert.StartsWith("Revoked on ", (await browser.GetAsync("/org/sources")).Document.QuerySelector($"#keys tr[data-key='{keyId}'] .state")!.TextContent, StringComparison.Ordinal);

        // Another organisation's key id is not found, and that key keeps working.
        var otherKey = (await otherBrowser.GetAsync("/org/sources")).Document.QuerySelector("#keys tbody tr")!.GetAttribute("data-key")!;
        var foreign = await browser.SubmitAsync("/org/sources", Form(("id", otherKey)), "#keys form.revoke-key");
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.OK, (await server.As(other.AdminToken).GetAsync("/api/v1/incidents", Ct)).StatusCode);
        Assert.NotEqual(member.Id, other.Id);
    }

    [Theory]
    [InlineData("javascript:alert(1)", "an absolute https URL is required")]
    [InlineData("file:///etc/passwd", "an absolute https URL is required")]
    [InlineData("http://hooks.example.org/bulwark", "the URL must use https")]
    [InlineData("https://10.1.2.3/hook", "the URL points to a private, loopback or link-local address; webhooks go to public addresses")]
    [InlineData("https://[::1]/hook", "the URL points to a private, loopback or link-local address; webhooks go to public addresses")]
    [InlineData("https://user:secret@hooks.example.org/", "the URL must not carry a user name or password; authenticate requests with the signature instead")]
    [InlineData("https://hooks.example.org/#x", "the URL must not have a fragment (#…)")]
    [InlineData("", "an absolute https URL of at most 2000 characters is required")]
    [InlineData("OVERLONG", "an absolute https URL of at most 2000 characters is required")]
    public async Task A_webhook_address_is_checked_as_the_api_checks_it(string url, string message)
    {
        var (_, browser) = await AdminAsync("Hostile Hook Org");
        url = url == "OVERLONG" ? "https://hooks.example.org/" + new string('a', 2000) : url;

        var refused = await browser.SubmitAsync("/org/sources", Form(("WebhookUrl", url)), "#webhook-form");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal(message, refused.Document.QuerySelector(".errors li")!.TextContent);
        Assert.Null(refused.Document.QuerySelector("#webhooks"));
    }

    [Fact]
    public async Task A_webhook_is_added_with_its_secret_shown_once_logged_and_disabled()
    {
        var (member, browser) = await AdminAsync("Hook Org");
        var (_, otherBrowser) = await AdminAsync("Other Hook Org");

        var added = await browser.SubmitAsync("/org/sources", Form(("WebhookUrl", "https://hooks.example.org/bulwark")), "#webhook-form");

        Assert.StartsWith("whsec_", added.Document.QuerySelector("#secret")!.TextContent, StringComparison.Ordinal);
        var row = added.Document.QuerySelector("#webhooks tbody tr")!;
        Assert.Equal(("https://hooks.example.org/bulwark", "Active"), (row.QuerySelector(".url")!.TextContent, row.QuerySelector(".state")!.TextContent));
        var id = row.GetAttribute("data-webhook")!;
        var api = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>($"/api/v1/organisations/{member.Id}/webhooks", BulwarkServer.Json, Ct);
        Assert.Equal(id, api.EnumerateArray().Single().GetProperty("id").GetString());
        var log = await browser.GetAsync($"/org/sources/webhooks/{id}");
        Assert.Equal("Nothing was sent to this webhook yet.", log.Document.QuerySelector("main p.muted")!.TextContent);

        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.GetAsync($"/org/sources/webhooks/{id}")).Status);
        var foreign = await otherBrowser.SubmitAsync("/org/sources", Form(("WebhookUrl", "https://hooks.example.net/x")), "#webhook-form");
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.SubmitAsync(foreign, Form(("id", id)), "form.disable-webhook", "/org/sources")).Status);

        var disabled = await browser.SubmitAsync("/org/sources", Form(("id", id)), "form.disable-webhook");
        Assert.Equal(HttpStatusCode.Redirect, disabled.Status);
        Assert.StartsWith("Disabled on ", (await browser.GetAsync("/org/sources")).Document.QuerySelector("#webhooks .state")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contacts_are_added_moved_between_escalation_steps_and_removed()
    {
        var (member, browser) = await AdminAsync("Contacts Org");
        var (_, otherBrowser) = await AdminAsync("Other Contacts Org");

        await browser.SubmitAsync("/org/contacts", Form(("Email", "soc@example.org"), ("Name", "SOC"), ("Order", "0"), ("Language", "fr")), "#contact-form");
        var second = await browser.SubmitAsync("/org/contacts", Form(("Email", "ciso@example.org"), ("Order", "1")), "#contact-form");
        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        var duplicate = await browser.SubmitAsync("/org/contacts", Form(("Email", "SOC@example.org"), ("Order", "0")), "#contact-form");
        Assert.Equal("soc@example.org is already a contact.", duplicate.Document.QuerySelector(".errors li")!.TextContent.Replace("SOC@", "soc@", StringComparison.Ordinal));
        var bad = await browser.SubmitAsync("/org/contacts", Form(("Email", "not an address"), ("Order", "12")), "#contact-form");
        Assert.Equal(
            ["Enter a plain email address such as name@example.org.", "Choose an escalation step from 0 to 9."],
            bad.Document.QuerySelectorAll(".errors li").Select(li => li.TextContent));
        var notANumber = await browser.SubmitAsync("/org/contacts", Form(("Email", "x@example.org"), ("Order", "<script>")), "#contact-form");
        Assert.Equal("Choose an escalation step from 0 to 9.", notANumber.Document.QuerySelector(".errors li")!.TextContent);

        var page = await browser.GetAsync("/org/contacts");
        Assert.Equal(["0 soc@example.org", "1 ciso@example.org"], Steps(page));
        var soc = page.Document.QuerySelectorAll("#contacts tbody tr").First().GetAttribute("data-contact")!;
        var ciso = page.Document.QuerySelectorAll("#contacts tbody tr").Last().GetAttribute("data-contact")!;

        await browser.SubmitAsync(page, Form(), $"tr[data-contact='{soc}'] form.down", "/org/contacts");
        await browser.SubmitAsync(await browser.GetAsync("/org/contacts"), Form(), $"tr[data-contact='{ciso}'] form.up", "/org/contacts");

        var api = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>($"/api/v1/organisations/{member.Id}/contacts", BulwarkServer.Json, Ct);
        Assert.Equal(
            [("ciso@example.org", 0), ("soc@example.org", 1)],
            api.EnumerateArray().Select(c => (c.GetProperty("email").GetString(), c.GetProperty("escalationOrder").GetInt32())));
        Assert.Equal("fr", api.EnumerateArray().Last().GetProperty("language").GetString());

        var foreign = await otherBrowser.GetAsync("/org/contacts");
        Assert.Empty(foreign.Document.QuerySelectorAll("#contacts tbody tr"));
        await otherBrowser.SubmitAsync("/org/contacts", Form(("Email", "own@example.net")), "#contact-form");
        var otherPage = await otherBrowser.GetAsync("/org/contacts");
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.SubmitAsync(otherPage, Form(("id", soc)), "form.remove", "/org/contacts")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.SubmitAsync(otherPage, Form(("id", soc)), "form.down", "/org/contacts")).Status);

        var removed = await browser.SubmitAsync(await browser.GetAsync("/org/contacts"), Form(), $"tr[data-contact='{soc}'] form.remove", "/org/contacts");
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        Assert.Equal(["0 ciso@example.org"], Steps(await browser.GetAsync("/org/contacts")));
    }

    private static List<string> Steps(PortalBrowser.PageResult page) =>
        [.. page.Document.QuerySelectorAll("#contacts tbody tr").Select(r => r.QuerySelector(".step")!.TextContent + " " + r.QuerySelector(".email")!.TextContent)];
}

public sealed class PortalOrgSqliteTests(SqliteServer server) : PortalOrgTests<SqliteServer>(server);

public sealed class PortalOrgPostgresTests(PostgresServer server) : PortalOrgTests<PostgresServer>(server);
