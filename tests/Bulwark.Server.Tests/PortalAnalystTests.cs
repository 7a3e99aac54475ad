using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Data.Incidents;
using Bulwark.Data.Membership;
using Bulwark.Data.Notification;
using Bulwark.Data.Portal;
using Bulwark.Server.Notification;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>
/// The analyst's pages over real HTTP, on each database, with a real SMTP server: the triage queue across members,
/// an incident's findings, intel and related incidents at other members, confirm (with the notice as edited),
/// dismiss and merge; every view audited; every other role refused.
/// </summary>
public abstract class PortalAnalystTests<THost>(THost host) : IClassFixture<THost>
    where THost : NotificationHost
{
    private const string SsrfTitle = "ProxyLogon server-side request forgery (CVE-2021-26855)";
    private const string SsrfSteps = "Install the March 2021 Exchange security update (KB5000871).";
    private const string Volexity = "Volexity, 'Operation Exchange Marauder', 2021-03-02";
    private const string ShellHash = "b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>An instant as the pages show it to an English reader.</summary>
    private static string When(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).UtcDateTime.ToString("d MMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en")) + " UTC";

    private static string When(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en")) + " UTC";

    private static JsonObject Ssrf(
        string id, string address, string severity = "critical", string confidence = "high", string first = "2021-03-03T06:59:11Z", string last = "2021-03-03T06:59:23Z", string title = SsrfTitle) =>
        AnalystPortal.Finding(id, address, "exchange.proxylogon.ssrf", title, severity, confidence, first, last, SsrfSteps,
            ("Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 11, first, new JsonObject { ["UrlStem"] = "/ecp/y.js", ["ClientIpAddress"] = address }));

    private static JsonObject Shell(string id, string path) =>
        AnalystPortal.Finding(id, path, "exchange.webshell.known-hash", "Known web shell: the file's SHA-256 is a published web-shell hash", "critical", "high",
            "2021-03-03T08:00:00Z", "2021-03-03T08:00:00Z", "Remove the web shell and rebuild the server.",
            (path, 0, "2021-03-03T08:00:00Z", new JsonObject { ["path"] = path, ["sha256"] = ShellHash, ["indicatorSource"] = "CISA MAR-10329496-1 (AR21-084A)" }));

    private async Task<(PortalBrowser Browser, PortalUser User)> AnalystAsync()
    {
        host.EnsureAvailable();
        var name = "analyst-" + Guid.NewGuid().ToString("N")[..12];
        var user = await PortalUsers.CreateStaffAsync(host.Host.Services, name, PortalRoles.Analyst);
        var browser = new PortalBrowser(host.Host);
        Assert.Equal("/", (await browser.SignInAsync(name)).Target);
        return (browser, user);
    }

    private async Task<(Member Member, string Name)> MemberAsync(string label)
    {
        host.EnsureAvailable();
        var name = $"{label} {Guid.NewGuid().ToString("N")[..6]}";
        return (await host.CreateMemberAsync(name), name);
    }

    private Task<Guid> IncidentAsync(Guid organisationId, string groupKey) =>
        host.WithDbAsync(db => db.Incidents.Where(i => i.OrganisationId == organisationId && i.GroupKey == groupKey && i.Status != IncidentStatus.Merged).Select(i => i.Id).SingleAsync(Ct));

    private Task<Incident> StoredAsync(Guid id) => host.WithDbAsync(db => db.Incidents.AsNoTracking().SingleAsync(i => i.Id == id, Ct));

    private Task<List<(string Action, string Target, Guid? Organisation)>> AuditOfAsync(Guid actor) =>
        host.WithDbAsync(async db => (await db.Audit.AsNoTracking().Where(a => a.ActorId == actor).OrderBy(a => a.Sequence).ToListAsync(Ct))
            .Select(a => (a.Action, a.Target, a.OrganisationId)).ToList());

    private static string Text(PortalBrowser.PageResult page, string selector) => page.Document.QuerySelector(selector)?.TextContent.Trim() ?? $"(no {selector})";

    private static List<string> Errors(PortalBrowser.PageResult page) => [.. page.Document.QuerySelectorAll(".errors li").Select(e => e.TextContent)];

    [Fact]
    public async Task The_queue_lists_unconfirmed_incidents_of_every_member_worst_first_and_filters()
    {
        var (a, nameA) = await MemberAsync("Queue North");
        var (b, nameB) = await MemberAsync("Queue South");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken),
            Ssrf("Q-A1a", "192.0.2.101", first: "2021-03-03T06:00:00Z", last: "2021-03-03T07:00:00Z"),
            Ssrf("Q-A1b", "192.0.2.101", first: "2021-03-03T05:00:00Z", last: "2021-03-03T06:30:00Z"),
            Ssrf("Q-A2", "192.0.2.102", severity: "medium", first: "2021-03-05T01:00:00Z", last: "2021-03-05T02:00:00Z", title: "Medium thing"),
            Ssrf("Q-A3", "192.0.2.103", first: "2021-03-07T01:00:00Z", last: "2021-03-07T02:00:00Z"));
        await AnalystPortal.SubmitAsync(host.As(b.IngestToken),
            Ssrf("Q-B1", "192.0.2.104", first: "2021-03-04T09:00:00Z", last: "2021-03-04T10:00:00Z"),
            Ssrf("Q-B2", "192.0.2.105", confidence: "medium", first: "2021-03-06T09:00:00Z", last: "2021-03-06T10:00:00Z"));
        var (a1, a2, a3) = (await IncidentAsync(a.Id, "192.0.2.101"), await IncidentAsync(a.Id, "192.0.2.102"), await IncidentAsync(a.Id, "192.0.2.103"));
        var (b1, b2) = (await IncidentAsync(b.Id, "192.0.2.104"), await IncidentAsync(b.Id, "192.0.2.105"));
        var apiAnalyst = await host.CreateKeyAsync("queue analyst " + Guid.NewGuid().ToString("N")[..6], "Analyst", null);
        Assert.Equal(HttpStatusCode.OK, (await host.As(apiAnalyst).PostAsJsonAsync($"/api/v1/incidents/{a3}/confirm", new { reason = "seen" }, Ct)).StatusCode);
        var (browser, analyst) = await AnalystAsync();
        var ours = new HashSet<string> { a1.ToString(), a2.ToString(), a3.ToString(), b1.ToString(), b2.ToString() };

        var page = await browser.GetAsync("/analyst");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var rows = page.Document.QuerySelectorAll("#queue tbody tr").Where(r => ours.Contains(r.GetAttribute("data-incident")!)).ToList();
        Assert.Equal([b1.ToString(), a1.ToString(), b2.ToString(), a2.ToString()], rows.Select(r => r.GetAttribute("data-incident")!));
        Assert.Equal(
            [
                ("Critical", "High confidence", SsrfTitle, nameB, "1", When("2021-03-04T09:00:00Z"), When("2021-03-04T10:00:00Z")),
                ("Critical", "High confidence", SsrfTitle, nameA, "2", When("2021-03-03T05:00:00Z"), When("2021-03-03T07:00:00Z")),
                ("Critical", "Medium confidence", SsrfTitle, nameB, "1", When("2021-03-06T09:00:00Z"), When("2021-03-06T10:00:00Z")),
                ("Medium", "High confidence", "Medium thing", nameA, "1", When("2021-03-05T01:00:00Z"), When("2021-03-05T02:00:00Z")),
            ],
            rows.Select(r => (r.Children[0].TextContent, r.Children[1].TextContent, r.Children[2].TextContent, r.Children[3].TextContent, r.Children[4].TextContent, r.Children[5].TextContent, r.Children[6].TextContent)));
        Assert.Equal($"/analyst/incidents/{b1}", rows[0].QuerySelector("td.title a")!.GetAttribute("href"));
        Assert.Equal($"/analyst?organisation={b.Id}", rows[0].QuerySelector("td.organisation a")!.GetAttribute("href"));

        var onlyA = await browser.GetAsync($"/analyst?organisation={a.Id}");
        Assert.Equal([a1.ToString(), a2.ToString()], onlyA.Document.QuerySelectorAll("#queue tbody tr").Select(r => r.GetAttribute("data-incident")!));
        Assert.Equal("2 unconfirmed incidents", Text(onlyA, "#queue-count"));
        Assert.Equal(a.Id.ToString(), onlyA.Document.QuerySelector("#filter-organisation option[selected]")!.GetAttribute("value"));
        var criticalB = await browser.GetAsync($"/analyst?organisation={b.Id}&severity=Critical");
        Assert.Equal([b1.ToString(), b2.ToString()], criticalB.Document.QuerySelectorAll("#queue tbody tr").Select(r => r.GetAttribute("data-incident")!));
        var mediumB = await browser.GetAsync($"/analyst?organisation={b.Id}&severity=Medium");
        Assert.Equal("Nothing is waiting for triage.", Text(mediumB, "#queue-empty"));

        var hostile = await browser.GetAsync("/analyst?severity=Catastrophic&organisation=%27%3B--");
        Assert.Equal(HttpStatusCode.OK, hostile.Status);
        Assert.Equal(["That filter was not understood; showing every unconfirmed incident."], Errors(hostile));
        Assert.Superset(new HashSet<string> { a1.ToString(), b1.ToString() }, hostile.Document.QuerySelectorAll("#queue tbody tr").Select(r => r.GetAttribute("data-incident")!).ToHashSet());

        // Each view of the queue is audited as the analyst, with the organisation filter it showed.
        Assert.Equal(
            [
                ("incident.list", "portal/analyst", (Guid?)null),
                ("incident.list", "portal/analyst", a.Id),
                ("incident.list", "portal/analyst", b.Id),
                ("incident.list", "portal/analyst", b.Id),
                ("incident.list", "portal/analyst", null),
            ],
            await AuditOfAsync(analyst.Id));
        Assert.All(await host.WithDbAsync(db => db.Audit.Where(x => x.ActorId == analyst.Id).Select(x => x.ActorScope).ToListAsync(Ct)), s => Assert.Equal("Analyst", s));
    }

    [Fact]
    public async Task An_incident_shows_its_exact_findings_evidence_intel_and_the_notice_to_be_sent()
    {
        var (a, nameA) = await MemberAsync("Detail Org");
        var ssrf = Ssrf("D-1", "203.0.113.50");
        ssrf["evidence"]![0]!["fields"]!["indicator"] = $"203.0.113.50 ({Volexity})";
        var intel = AnalystPortal.Finding("D-2", "203.0.113.50", "exchange.intel.attacker-ip", "Request from a published attacker address", "high", "medium",
            "2021-03-03T07:10:00Z", "2021-03-03T07:20:00Z", "Block the address and hunt for what it did.",
            ("Logging/HttpProxy/Owa/HttpProxy_2021030307-1.LOG", 4, "2021-03-03T07:10:00Z", new JsonObject { ["UrlStem"] = "/owa/auth/x.js", ["indicator"] = $"203.0.113.50 ({Volexity})" }),
            ("Logging/HttpProxy/Owa/HttpProxy_2021030307-1.LOG", 9, "2021-03-03T07:20:00Z", new JsonObject { ["UrlStem"] = "/owa/auth/y.js" }));
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), ssrf, intel);
        var id = await IncidentAsync(a.Id, "203.0.113.50");
        var (browser, analyst) = await AnalystAsync();

        var page = await browser.GetAsync($"/analyst/incidents/{id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(SsrfTitle, Text(page, "#incident-title"));
        Assert.Equal((nameA, "Unconfirmed", "Critical", "High confidence", "2"), (Text(page, "#organisation"), Text(page, "#status"), Text(page, "#severity"), Text(page, "#confidence"), Text(page, "#finding-count")));
        Assert.Equal("infrastructure · 203.0.113.50", Text(page, "#group"));
        Assert.Equal((When("2021-03-03T06:59:11Z"), When("2021-03-03T07:20:00Z")), (Text(page, "#first-seen"), Text(page, "#last-seen")));
        var findings = page.Document.QuerySelectorAll("section.finding").ToList();
        Assert.Equal(
            [("Critical " + SsrfTitle, "exchange.proxylogon.ssrf", "Evidence: 1 kept of 1"), ("High Request from a published attacker address", "exchange.intel.attacker-ip", "Evidence: 2 kept of 2")],
            findings.Select(f => (string.Join(' ', f.QuerySelector("h3")!.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)), f.QuerySelector(".detection")!.TextContent, f.QuerySelector("h4")!.TextContent)));
        Assert.Equal(["203.0.113.50", "203.0.113.50"], findings.Select(f => f.QuerySelector(".subject")!.TextContent));
        Assert.Equal([SsrfSteps, "Block the address and hunt for what it did."], findings.Select(f => f.QuerySelector(".remediation")!.TextContent));
        Assert.Equal(["CVE-2021-26855", "CVE-2021-26855"], findings.Select(f => f.QuerySelector(".cves")!.TextContent));
        var evidence = findings[1].QuerySelectorAll("ol.evidence li").ToList();
        Assert.Equal(["Logging/HttpProxy/Owa/HttpProxy_2021030307-1.LOG:4", "Logging/HttpProxy/Owa/HttpProxy_2021030307-1.LOG:9"], evidence.Select(e => e.QuerySelector(".where code")!.TextContent));
        Assert.Equal(
            ["UrlStem=/owa/auth/x.js", $"indicator=203.0.113.50 ({Volexity})"],
            evidence[0].QuerySelectorAll("dl.fields dt").Zip(evidence[0].QuerySelectorAll("dl.fields dd"), (k, v) => $"{k.TextContent}={v.TextContent}"));
        Assert.Equal([$"203.0.113.50 ({Volexity})"], page.Document.QuerySelectorAll("#intel li").Select(li => li.TextContent));
        Assert.Equal("No other member has an incident with the same attacker address, web-shell page, file hash or subject.", Text(page, "#no-related"));
        Assert.NotNull(page.Document.QuerySelector("#no-merge"));
        Assert.Null(page.Document.QuerySelector("#notices-title"));

        // The confirm form starts from the notice the organisation would get now.
        var (incident, records) = await host.WithDbAsync(async db =>
            (await db.Incidents.AsNoTracking().SingleAsync(i => i.Id == id, Ct), await db.Findings.AsNoTracking().Where(f => f.IncidentId == id).ToListAsync(Ct)));
        var generated = NoticeText.ForOrganisation(incident, records, 0);
        Assert.Equal(generated.Title, page.Document.QuerySelector("#notice-title")!.GetAttribute("value"));
        Assert.Equal(generated.Summary, page.Document.QuerySelector("#notice-summary")!.TextContent);
        Assert.Equal(generated.Remediation, page.Document.QuerySelector("#notice-remediation")!.TextContent);
        Assert.StartsWith("What we saw:\n- " + SsrfTitle + ": 1 occurrence", generated.Summary, StringComparison.Ordinal);

        Assert.Equal([("incident.read", $"incident/{id}", (Guid?)a.Id)], await AuditOfAsync(analyst.Id));
    }

    [Fact]
    public async Task Related_incidents_at_other_members_share_the_attacker_address_or_the_file_hash()
    {
        var (a, _) = await MemberAsync("Related A");
        var (b, nameB) = await MemberAsync("Related B");
        var (c, nameC) = await MemberAsync("Related C");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("R-A1", "198.51.100.77"), Shell("R-A2", @"C:\inetpub\wwwroot\aspnet_client\a1b2.aspx"));
        await AnalystPortal.SubmitAsync(host.As(b.IngestToken),
            AnalystPortal.Finding("R-B1", "198.51.100.77", "exchange.intel.attacker-ip", "Request from a published attacker address", "high", "medium",
                "2021-04-01T07:10:00Z", "2021-04-01T07:20:00Z", "Block the address.", ("x.log", 1, "2021-04-01T07:10:00Z", new JsonObject { ["ClientIpAddress"] = "198.51.100.77" })));
        await AnalystPortal.SubmitAsync(host.As(c.IngestToken), Shell("R-C1", @"D:\inetpub\wwwroot\aspnet_client\other.aspx"), Ssrf("R-C2", "198.51.100.78"));
        var (aAddress, aShell) = (await IncidentAsync(a.Id, "198.51.100.77"), await IncidentAsync(a.Id, "/aspnet_client/a1b2.aspx"));
        var (bAddress, cShell, cOther) = (await IncidentAsync(b.Id, "198.51.100.77"), await IncidentAsync(c.Id, "/aspnet_client/other.aspx"), await IncidentAsync(c.Id, "198.51.100.78"));
        var (browser, analyst) = await AnalystAsync();

        var byAddress = await browser.GetAsync($"/analyst/incidents/{aAddress}");
        var byHash = await browser.GetAsync($"/analyst/incidents/{aShell}");
        var fromB = await browser.GetAsync($"/analyst/incidents/{bAddress}");

        var related = byAddress.Document.QuerySelectorAll("#related tbody tr").ToList();
        Assert.Equal([bAddress.ToString()], related.Select(r => r.GetAttribute("data-incident")!));
        Assert.Equal((nameB, "Unconfirmed", "Same attacker address: 198.51.100.77"), (related[0].QuerySelector(".organisation")!.TextContent, related[0].QuerySelector(".status")!.TextContent, related[0].QuerySelector(".link")!.TextContent));
        Assert.Equal($"/analyst/incidents/{bAddress}", related[0].QuerySelector("a")!.GetAttribute("href"));
        var shared = byHash.Document.QuerySelectorAll("#related tbody tr").ToList();
        Assert.Equal([cShell.ToString()], shared.Select(r => r.GetAttribute("data-incident")!));
        Assert.Equal((nameC, "Same file hash: " + ShellHash), (shared[0].QuerySelector(".organisation")!.TextContent, shared[0].QuerySelector(".link")!.TextContent));
        Assert.Equal(["CISA MAR-10329496-1 (AR21-084A)"], byHash.Document.QuerySelectorAll("#intel li").Select(li => li.TextContent));
        Assert.Equal([aAddress.ToString()], fromB.Document.QuerySelectorAll("#related tbody tr").Select(r => r.GetAttribute("data-incident")!));
        Assert.DoesNotContain(cOther.ToString(), byAddress.Text, StringComparison.Ordinal);

        // Reading another member's incidents is audited against that member too.
        Assert.Equal(
            [
                ("incident.read", $"incident/{aAddress}", (Guid?)a.Id),
                ("incident.related", $"incident/{aAddress}", b.Id),
                ("incident.read", $"incident/{aShell}", a.Id),
                ("incident.related", $"incident/{aShell}", c.Id),
                ("incident.read", $"incident/{bAddress}", b.Id),
                ("incident.related", $"incident/{bAddress}", a.Id),
            ],
            await AuditOfAsync(analyst.Id));
    }

    [Fact]
    public async Task Confirming_with_an_edited_notice_stores_and_delivers_the_edited_text()
    {
        var (a, _) = await MemberAsync("Confirm Org");
        var contact = await host.AddContactAsync(a, $"soc-{Guid.NewGuid():N}@member.test");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("C-1", "203.0.113.60"));
        var id = await IncidentAsync(a.Id, "203.0.113.60");
        var (browser, analyst) = await AnalystAsync();
        const string EditedTitle = "Your Exchange server was entered through ProxyLogon";
        const string EditedSummary = "An attacker reached your Exchange server's control panel on 3 March 2021.\nWe are sure of it.";

        var confirmed = await browser.SubmitAsync(
            $"/analyst/incidents/{id}",
            Form(("ConfirmReason", "Matches the Volexity report."), ("NoticeTitle", EditedTitle), ("NoticeSummary", EditedSummary.Replace("\n", "\r\n", StringComparison.Ordinal))),
            "#confirm-form");

        Assert.Equal((HttpStatusCode.Redirect, $"/analyst/incidents/{id}"), (confirmed.Status, confirmed.Target));
        var stored = await StoredAsync(id);
        Assert.Equal(
            (IncidentStatus.Confirmed, (Guid?)analyst.Id, "Matches the Volexity report.", EditedTitle, EditedSummary, (string?)null),
            (stored.Status, stored.DecidedBy, stored.DecisionReason, stored.NoticeTitle, stored.NoticeSummary, stored.NoticeRemediation));
        var notice = await host.WithDbAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.IncidentId == id, Ct));
        Assert.Equal((NoticeAudience.Organisation, EditedTitle, EditedSummary, "1. " + SsrfSteps), (notice.Audience, notice.Title, notice.Summary, notice.Remediation));

        var page = await browser.GetAsync($"/analyst/incidents/{id}");
        Assert.Equal("Incident confirmed; notices issued: 1.", Text(page, "p.status"));
        Assert.Equal("Confirmed", Text(page, "#status"));
        Assert.Null(page.Document.QuerySelector("#confirm-form"));
        Assert.Equal((EditedTitle, EditedSummary, "1. " + SsrfSteps), (Text(page, ".notice h3"), page.Document.QuerySelector(".notice .summary")!.TextContent, page.Document.QuerySelector(".notice .remediation")!.TextContent));
        Assert.Equal([("Email", "Waiting to be sent", "0")], page.Document.QuerySelectorAll(".deliveries tbody tr").Select(r => (r.QuerySelector(".channel")!.TextContent, r.QuerySelector(".delivery-status")!.TextContent, r.QuerySelector(".attempts")!.TextContent)));
        Assert.Equal(("Not yet", "None"), (Text(page, ".notice .acknowledged"), Text(page, ".notice .feedback")));

        await host.DeliverAsync();
        var email = Assert.Single(await host.Smtp.MessagesToAsync(contact, Ct)).Message;
        Assert.Contains($"Title: {EditedTitle}\n", (email.TextBody ?? "").ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal($"Bulwark notice {notice.Id} (critical): {EditedTitle}", email.Subject);
        // The email only announces the notice: what was seen and what to do are read in the portal.
        Assert.DoesNotContain("control panel", email.TextBody, StringComparison.Ordinal);
        var delivered = await browser.GetAsync($"/analyst/incidents/{id}");
        Assert.Equal([("Sent", "1")], delivered.Document.QuerySelectorAll(".deliveries tbody tr").Select(r => (r.QuerySelector(".delivery-status")!.TextContent, r.QuerySelector(".attempts")!.TextContent)));

        var audit = await AuditOfAsync(analyst.Id);
        Assert.Equal(
            [("incident.read", $"incident/{id}", (Guid?)a.Id), ("incident.confirm", $"incident/{id}", a.Id), ("incident.read", $"incident/{id}", a.Id), ("incident.read", $"incident/{id}", a.Id)],
            audit);
    }

    [Fact]
    public async Task Text_left_as_generated_is_not_an_edit_and_a_decided_incident_answers_409()
    {
        var (a, _) = await MemberAsync("Stale Org");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("S-1", "203.0.113.61"), Ssrf("S-2", "203.0.113.62"));
        var (first, second) = (await IncidentAsync(a.Id, "203.0.113.61"), await IncidentAsync(a.Id, "203.0.113.62"));
        var (browser, _) = await AnalystAsync();

        var unchanged = await browser.SubmitAsync($"/analyst/incidents/{first}", Form(), "#confirm-form");
        Assert.Equal(HttpStatusCode.Redirect, unchanged.Status);
        var stored = await StoredAsync(first);
        Assert.Equal((IncidentStatus.Confirmed, (string?)null, (string?)null, (string?)null, (string?)null), (stored.Status, stored.DecisionReason, stored.NoticeTitle, stored.NoticeSummary, stored.NoticeRemediation));

        var stale = await browser.GetAsync($"/analyst/incidents/{second}");
        var apiAnalyst = await host.CreateKeyAsync("stale analyst " + Guid.NewGuid().ToString("N")[..6], "Analyst", null);
        Assert.Equal(HttpStatusCode.OK, (await host.As(apiAnalyst).PostAsJsonAsync($"/api/v1/incidents/{second}/dismiss", new { reason = "test traffic" }, Ct)).StatusCode);
        var decidedAt = (await StoredAsync(second)).DecidedAt!.Value;

        var again = await browser.SubmitAsync(stale, Form(("NoticeSummary", "Too late")), "#confirm-form", $"/analyst/incidents/{second}");
        var dismissAgain = await browser.SubmitAsync(stale, Form(("DismissReason", "Also too late")), "#dismiss-form", $"/analyst/incidents/{second}");

        var message = $"This incident is already Dismissed (since {When(decidedAt)}): only an unconfirmed incident can be confirmed or dismissed.";
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (again.Status, dismissAgain.Status));
        Assert.Equal([message], Errors(again));
        Assert.Equal([message], Errors(dismissAgain));
        stored = await StoredAsync(second);
        Assert.Equal((IncidentStatus.Dismissed, "test traffic", (string?)null), (stored.Status, stored.DecisionReason, stored.NoticeSummary));
        Assert.Equal(0, await host.WithDbAsync(db => db.Notices.CountAsync(n => n.IncidentId == second, Ct)));
    }

    [Fact]
    public async Task Dismissing_needs_a_reason()
    {
        var (a, _) = await MemberAsync("Dismiss Org");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("X-1", "203.0.113.70"));
        var id = await IncidentAsync(a.Id, "203.0.113.70");
        var (browser, analyst) = await AnalystAsync();
        var path = $"/analyst/incidents/{id}";
        const string Required = "Say why the incident is dismissed, in at most 2000 characters.";

        var blank = await browser.SubmitAsync(path, Form(("DismissReason", "   ")), "#dismiss-form");
        var overlong = await browser.SubmitAsync(path, Form(("DismissReason", new string('x', 2001))), "#dismiss-form");
        var control = await browser.SubmitAsync(path, Form(("DismissReason", "bad\u0007bell")), "#dismiss-form");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (blank.Status, overlong.Status));
        Assert.Equal([Required], Errors(blank));
        Assert.Equal([Required], Errors(overlong));
        Assert.Equal([Required], Errors(control));
        Assert.Equal(new string('x', 2001), overlong.Document.QuerySelector("#dismiss-reason")!.TextContent);
        Assert.Equal(IncidentStatus.Unconfirmed, (await StoredAsync(id)).Status);

        var dismissed = await browser.SubmitAsync(path, Form(("DismissReason", "  Our own scanner, run by the IT team.  ")), "#dismiss-form");

        Assert.Equal((HttpStatusCode.Redirect, path), (dismissed.Status, dismissed.Target));
        var stored = await StoredAsync(id);
        Assert.Equal((IncidentStatus.Dismissed, "Our own scanner, run by the IT team.", (Guid?)analyst.Id), (stored.Status, stored.DecisionReason, stored.DecidedBy));
        var page = await browser.GetAsync(path);
        Assert.Equal(("Incident dismissed.", "Dismissed", "Our own scanner, run by the IT team."), (Text(page, "p.status"), Text(page, "#status"), Text(page, "#decision-reason")));
        Assert.Equal($"{When(stored.DecidedAt!.Value)}, by {analyst.UserName}", Text(page, "#decision"));
        Assert.Null(page.Document.QuerySelector("#dismiss-form"));
        Assert.Contains(("incident.dismiss", $"incident/{id}", (Guid?)a.Id), await AuditOfAsync(analyst.Id));
        Assert.Equal(0, await host.WithDbAsync(db => db.Notices.CountAsync(n => n.IncidentId == id, Ct)));
    }

    [Fact]
    public async Task Merging_moves_the_findings_and_later_findings_follow()
    {
        var (a, _) = await MemberAsync("Merge Org");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken),
            Ssrf("M-1", "192.0.2.201", first: "2021-03-03T06:00:00Z", last: "2021-03-03T07:00:00Z"),
            Ssrf("M-2", "192.0.2.201", first: "2021-03-03T07:30:00Z", last: "2021-03-03T08:00:00Z"),
            Ssrf("M-3", "192.0.2.202", severity: "high", first: "2021-03-02T06:00:00Z", last: "2021-03-02T07:00:00Z", title: "Earlier, lesser"));
        var (into, from) = (await IncidentAsync(a.Id, "192.0.2.201"), await IncidentAsync(a.Id, "192.0.2.202"));
        var (browser, analyst) = await AnalystAsync();
        var path = $"/analyst/incidents/{into}";
        var before = await browser.GetAsync(path);
        Assert.Equal([from.ToString()], before.Document.QuerySelectorAll("#merge-from option").Select(o => o.GetAttribute("value")!));
        Assert.Equal($"Earlier, lesser (1 findings, first seen {When("2021-03-02T06:00:00Z")})", Text(before, "#merge-from option"));

        var merged = await browser.SubmitAsync(before, Form(("MergeFrom", from.ToString())), "#merge-form", path);

        Assert.Equal((HttpStatusCode.Redirect, path), (merged.Status, merged.Target));
        var (target, source) = (await StoredAsync(into), await StoredAsync(from));
        Assert.Equal((IncidentStatus.Merged, (Guid?)into, $"merged into {into}", (Guid?)analyst.Id), (source.Status, source.MergedIntoId, source.DecisionReason, source.DecidedBy));
        Assert.Equal((IncidentStatus.Unconfirmed, DateTimeOffset.Parse("2021-03-02T06:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2021-03-03T08:00:00Z", CultureInfo.InvariantCulture), SsrfTitle),
            (target.Status, target.FirstSeen!.Value, target.LastSeen!.Value, target.Title));
        Assert.Equal(
            ["M-1", "M-2", "M-3"],
            await host.WithDbAsync(db => db.Findings.Where(f => f.IncidentId == into).Select(f => f.FindingId).OrderBy(x => x).ToListAsync(Ct)));
        var page = await browser.GetAsync(path);
        Assert.Equal(("Incident merged; findings moved here: 1.", "3", from.ToString()), (Text(page, "p.status"), Text(page, "#finding-count"), Text(page, "#merged-here")));
        var old = await browser.GetAsync($"/analyst/incidents/{from}");
        Assert.Equal(("Merged", into.ToString(), "0"), (Text(old, "#status"), Text(old, "#merged-into"), Text(old, "#finding-count")));
        Assert.Null(old.Document.QuerySelector("#confirm-form"));
        var queue = await browser.GetAsync($"/analyst?organisation={a.Id}");
        Assert.Equal([(into.ToString(), "3")], queue.Document.QuerySelectorAll("#queue tbody tr").Select(r => (r.GetAttribute("data-incident")!, r.QuerySelector(".findings")!.TextContent)));

        // A later finding from the merged incident's address joins the incident it was merged into.
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("M-4", "192.0.2.202", first: "2021-03-04T06:00:00Z", last: "2021-03-04T07:00:00Z"));
        Assert.Equal(4, await host.WithDbAsync(db => db.Findings.CountAsync(f => f.IncidentId == into, Ct)));
        Assert.Equal(2, await host.WithDbAsync(db => db.Incidents.CountAsync(i => i.OrganisationId == a.Id, Ct)));
        Assert.Contains(("incident.merge", $"incident/{from} into incident/{into}", (Guid?)a.Id), await AuditOfAsync(analyst.Id));
    }

    [Fact]
    public async Task Hostile_decisions_are_refused_with_a_clear_message()
    {
        var (a, _) = await MemberAsync("Hostile A");
        var (b, _) = await MemberAsync("Hostile B");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("H-1", "192.0.2.211"), Ssrf("H-2", "192.0.2.212"));
        await AnalystPortal.SubmitAsync(host.As(b.IngestToken), Ssrf("H-3", "192.0.2.213"));
        var (p, q, r) = (await IncidentAsync(a.Id, "192.0.2.211"), await IncidentAsync(a.Id, "192.0.2.212"), await IncidentAsync(b.Id, "192.0.2.213"));
        var (browser, _) = await AnalystAsync();
        var path = $"/analyst/incidents/{p}";
        var page = await browser.GetAsync(path);

        async Task<List<string>> MergeAsync(string from, HttpStatusCode expected = HttpStatusCode.OK)
        {
            var result = await browser.SubmitAsync(page, Form(("MergeFrom", from)), "#merge-form", path);
            Assert.Equal(expected, result.Status);
            return Errors(result);
        }

        Assert.Equal(["An incident cannot be merged into itself."], await MergeAsync(p.ToString()));
        Assert.Equal(["Only incidents of the same organisation can be merged."], await MergeAsync(r.ToString()));
        Assert.Equal(["Choose the incident to merge into this one."], await MergeAsync("'; DROP TABLE \"Incidents\"; --"));
        Assert.Equal(["There is no incident with that id."], await MergeAsync(Guid.NewGuid().ToString()));

        var longReason = await browser.SubmitAsync(page, Form(("ConfirmReason", new string('r', 2001))), "#confirm-form", path);
        var twoLineTitle = await browser.SubmitAsync(page, Form(("NoticeTitle", "Line one\r\nLine two")), "#confirm-form", path);
        var hugeSummary = await browser.SubmitAsync(page, Form(("NoticeSummary", new string('s', 8001)), ("NoticeRemediation", "ok\u0007")), "#confirm-form", path);
        // A NUL never reaches the page: the server refuses the whole request.
        var nul = await browser.SubmitAsync(page, Form(("NoticeRemediation", "ok\0")), "#confirm-form", path);
        Assert.Equal(HttpStatusCode.BadRequest, nul.Status);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (longReason.Status, twoLineTitle.Status, hugeSummary.Status));
        Assert.Equal(["The reason can be at most 2000 characters, without control characters."], Errors(longReason));
        Assert.Equal(["The notice's title must be one line of at most 300 characters."], Errors(twoLineTitle));
        Assert.Equal(
            ["\"What we saw\" can be at most 8000 characters, without control characters.", "\"What to do\" can be at most 8000 characters, without control characters."],
            Errors(hugeSummary));

        var apiAnalyst = await host.CreateKeyAsync("hostile analyst " + Guid.NewGuid().ToString("N")[..6], "Analyst", null);
        Assert.Equal(HttpStatusCode.OK, (await host.As(apiAnalyst).PostAsJsonAsync($"/api/v1/incidents/{q}/confirm", new { }, Ct)).StatusCode);
        Assert.Equal(["Only unconfirmed incidents can be merged: one of the two has been decided meanwhile."], await MergeAsync(q.ToString(), HttpStatusCode.Conflict));

        var (sp, sq, sr) = (await StoredAsync(p), await StoredAsync(q), await StoredAsync(r));
        Assert.Equal((IncidentStatus.Unconfirmed, IncidentStatus.Confirmed, IncidentStatus.Unconfirmed), (sp.Status, sq.Status, sr.Status));
        foreach (var incident in new[] { p, q, r })
        {
            Assert.Equal(1, await host.WithDbAsync(db => db.Findings.CountAsync(f => f.IncidentId == incident, Ct)));
        }

        Assert.Equal(0, await host.WithDbAsync(db => db.Notices.CountAsync(n => n.IncidentId == p, Ct)));
    }

    [Fact]
    public async Task Org_admins_individuals_operators_and_visitors_are_refused()
    {
        var (a, _) = await MemberAsync("Refused Org");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("F-1", "192.0.2.221"));
        var id = await IncidentAsync(a.Id, "192.0.2.221");
        var (_, admin) = await PortalUsers.CreatePersonAsync(host.Host.Services, a.Id, $"admin-{Guid.NewGuid():N}@example.org", PersonRole.OrgAdmin);
        var (_, person) = await PortalUsers.CreatePersonAsync(host.Host.Services, a.Id, $"staff-{Guid.NewGuid():N}@example.org", PersonRole.Staff);
        var operatorName = "operator-" + Guid.NewGuid().ToString("N")[..12];
        await PortalUsers.CreateStaffAsync(host.Host.Services, operatorName, PortalRoles.Operator);

        foreach (var userName in new[] { admin.UserName!, person.UserName!, operatorName })
        {
            var browser = new PortalBrowser(host.Host);
            await browser.SignInAsync(userName);
            foreach (var path in new[] { "/analyst", $"/analyst/incidents/{id}" })
            {
                var page = await browser.GetAsync(path);
                Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (page.Status, page.TargetPath));
            }

            // A forged post with a valid token of the user's own session changes nothing.
            var security = await browser.GetAsync("/security");
            var forged = await AnalystPortal.PostAsync(browser, security, $"/analyst/incidents/{id}?handler=Dismiss", Form(("DismissReason", "forged")));
            Assert.Equal((HttpStatusCode.Redirect, "/account/denied"), (forged.Status, forged.TargetPath));
        }

        var visitor = new PortalBrowser(host.Host);
        Assert.Equal("/account/sign-in?ReturnUrl=%2Fanalyst", (await visitor.GetAsync("/analyst")).Target);
        Assert.Equal("/account/sign-in", (await visitor.GetAsync($"/analyst/incidents/{id}")).TargetPath);
        Assert.Equal(IncidentStatus.Unconfirmed, (await StoredAsync(id)).Status);
    }

    [Fact]
    public async Task Unknown_and_malformed_incident_ids_are_not_found()
    {
        var (browser, _) = await AnalystAsync();
        var unknown = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/analyst/incidents/{unknown}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/analyst/incidents/12345")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/analyst/incidents/")).Status);
        var queue = await browser.GetAsync("/analyst");
        foreach (var (handler, field, value) in new[] { ("Confirm", "ConfirmReason", "x"), ("Dismiss", "DismissReason", "x"), ("Merge", "MergeFrom", Guid.NewGuid().ToString()), ("Merge", "MergeFrom", "nonsense") })
        {
            var posted = await AnalystPortal.PostAsync(browser, queue, $"/analyst/incidents/{unknown}?handler={handler}", Form((field, value)));
            Assert.Equal(HttpStatusCode.NotFound, posted.Status);
        }
    }

    [Fact]
    public async Task The_api_merges_and_confirms_with_notice_edits_as_the_portal_does()
    {
        var (a, _) = await MemberAsync("Api Merge A");
        var (b, _) = await MemberAsync("Api Merge B");
        await AnalystPortal.SubmitAsync(host.As(a.IngestToken), Ssrf("P-1", "192.0.2.231"), Ssrf("P-2", "192.0.2.232"), Ssrf("P-3", "192.0.2.233"));
        await AnalystPortal.SubmitAsync(host.As(b.IngestToken), Ssrf("P-4", "192.0.2.234"));
        var (x, y, w) = (await IncidentAsync(a.Id, "192.0.2.231"), await IncidentAsync(a.Id, "192.0.2.232"), await IncidentAsync(a.Id, "192.0.2.233"));
        var z = await IncidentAsync(b.Id, "192.0.2.234");
        var keyName = "api merge analyst " + Guid.NewGuid().ToString("N")[..6];
        var analyst = host.As(await host.CreateKeyAsync(keyName, "Analyst", null));
        var keyId = await IngestionSupport.KeyIdAsync(host.Host, keyName);

        async Task<(HttpStatusCode Status, JsonElement Body)> MergeAsync(HttpClient client, Guid into, object body)
        {
            var response = await client.PostAsJsonAsync($"/api/v1/incidents/{into}/merge", body, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }

        static string? FromError(JsonElement body) => body.GetProperty("errors").GetProperty("from")[0].GetString();

        var ok = await MergeAsync(analyst, x, new { from = y });
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal((x, 2, "Unconfirmed", 1), (ok.Body.GetProperty("incident").GetProperty("id").GetGuid(), ok.Body.GetProperty("incident").GetProperty("findings").GetInt32(), ok.Body.GetProperty("incident").GetProperty("status").GetString(), ok.Body.GetProperty("movedFindings").GetInt32()));
        var mergedView = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{y}", BulwarkServer.Json, Ct);
        Assert.Equal(("Merged", x, $"merged into {x}", keyId), (mergedView.GetProperty("incident").GetProperty("status").GetString(), mergedView.GetProperty("incident").GetProperty("mergedIntoId").GetGuid(), mergedView.GetProperty("incident").GetProperty("decisionReason").GetString(), mergedView.GetProperty("incident").GetProperty("decidedBy").GetGuid()));

        Assert.Equal(HttpStatusCode.Conflict, (await MergeAsync(analyst, x, new { from = y })).Status);
        var self = await MergeAsync(analyst, x, new { from = x });
        Assert.Equal((HttpStatusCode.BadRequest, "an incident cannot be merged into itself"), (self.Status, FromError(self.Body)));
        var across = await MergeAsync(analyst, x, new { from = z });
        Assert.Equal((HttpStatusCode.BadRequest, "only incidents of the same organisation can be merged"), (across.Status, FromError(across.Body)));
        var missing = await MergeAsync(analyst, x, new { from = Guid.NewGuid() });
        Assert.Equal((HttpStatusCode.BadRequest, "no incident with this id"), (missing.Status, FromError(missing.Body)));
        var empty = await MergeAsync(analyst, x, new { });
        Assert.Equal((HttpStatusCode.BadRequest, "the id of the incident to merge into this one is required"), (empty.Status, FromError(empty.Body)));
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.PostAsync($"/api/v1/incidents/{x}/merge", IngestionSupport.JsonBody(JsonNode.Parse("{\"from\":\"nope\"}")!), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await MergeAsync(analyst, Guid.NewGuid(), new { from = w })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await MergeAsync(host.As(a.AdminToken), x, new { from = w })).Status);
        Assert.Equal(IncidentStatus.Unconfirmed, (await StoredAsync(w)).Status);

        var badTitle = await analyst.PostAsJsonAsync($"/api/v1/incidents/{x}/confirm", new { noticeTitle = "two\nlines" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badTitle.StatusCode);
        var confirm = await analyst.PostAsJsonAsync($"/api/v1/incidents/{x}/confirm", new { reason = "clear", noticeSummary = "  Edited by the API.  ", noticeRemediation = "1. Patch.\n2. Hunt." }, Ct);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var notice = await host.WithDbAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.IncidentId == x, Ct));
        Assert.Equal((SsrfTitle, "Edited by the API.", "1. Patch.\n2. Hunt."), (notice.Title, notice.Summary, notice.Remediation));
        Assert.Contains(
            await host.WithDbAsync(db => db.Audit.Where(e => e.ActorId == keyId).Select(e => e.Action + " " + e.Target).ToListAsync(Ct)),
            e => e == $"incident.merge incident/{y} into incident/{x}");
    }
}

public sealed class PortalAnalystSqliteTests(SqliteNotificationHost host) : PortalAnalystTests<SqliteNotificationHost>(host);

public sealed class PortalAnalystPostgresTests(PostgresNotificationHost host) : PortalAnalystTests<PostgresNotificationHost>(host);
