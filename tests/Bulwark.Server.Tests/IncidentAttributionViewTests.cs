using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Incidents;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Notification;
using Bulwark.Server.Storage;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>
/// Who may read whom an incident's findings are attributed to (notifications.md §6.6), decided by the rule of the
/// organisation's notice: staff read every actor; an organisation reads an actor only when every input naming it is at
/// most AMBER+STRICT, across the findings it sees, and is told that something is withheld otherwise.
/// </summary>
public sealed class IncidentAttributionRuleTests
{
    private static readonly ActorAttribution Hafnium = new("G0125", "HAFNIUM", "CN", 70, Tlp.Green, ["indicator--1"], ["cert-x"]) { Aliases = ["Silk Typhoon"] };

    private static readonly ActorAttribution Crew = new("intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d", "Exchange Crew", null, 85, Tlp.Green, ["indicator--2"], ["partner-taxii"]);

    private static FindingRecord Finding(Tlp? tlp, params ActorAttribution[] attribution) => new()
    {
        Id = Guid.NewGuid(),
        FindingId = "BW-" + Guid.NewGuid().ToString("N")[..16],
        DetectionId = "exchange.proxylogon.ssrf",
        Title = "ProxyLogon server-side request forgery (CVE-2021-26855)",
        Severity = Severity.Critical,
        Confidence = Confidence.High,
        Subject = "130.255.189.21",
        EvidenceJson = "[]",
        Remediation = "Patch the server.",
        Source = "test",
        Tlp = tlp,
        AttributionJson = FindingRecords.AttributionJson(attribution),
    };

    private static FindingRecord Stored(Tlp? tlp, string? attributionJson) => new()
    {
        FindingId = "BW-0000000000000042",
        DetectionId = "exchange.proxylogon.ssrf",
        Title = "t",
        Subject = "s",
        EvidenceJson = "[]",
        Remediation = "r",
        Source = "s",
        Tlp = tlp,
        AttributionJson = attributionJson,
    };

    private static List<string> Names(IEnumerable<ActorAttribution> actors) => [.. actors.Select(a => a.ActorName)];

    [Theory]
    [InlineData(Tlp.Clear, true)]
    [InlineData(Tlp.Green, true)]
    [InlineData(Tlp.Amber, true)]
    [InlineData(Tlp.AmberStrict, true)]
    [InlineData(Tlp.Red, false)]
    public void An_organisation_reads_the_actor_up_to_amber_strict_and_staff_always(Tlp tlp, bool organisationReads)
    {
        var finding = Finding(tlp, Hafnium with { Tlp = tlp });

        var organisation = IncidentVisibility.AttributionOf([finding], shared: []);
        var staff = IncidentVisibility.AttributionOf([finding], shared: null);

        Assert.Equal(organisationReads ? ["HAFNIUM"] : [], Names(organisation.Of(finding).Shown));
        Assert.Equal(!organisationReads, organisation.Of(finding).Withheld);
        Assert.Equal(organisationReads ? [("HAFNIUM", tlp, 1)] : [], organisation.Actors.Select(a => (a.Actor.ActorName, a.Tlp, a.Findings)));
        Assert.Equal(!organisationReads, organisation.Withheld);
        Assert.Equal(["HAFNIUM"], Names(staff.Of(finding).Shown));
        Assert.False(staff.Of(finding).Withheld);
        Assert.Equal([("HAFNIUM", tlp, 1)], staff.Actors.Select(a => (a.Actor.ActorName, a.Tlp, a.Findings)));
        Assert.False(staff.Withheld);
    }

    [Fact]
    public void A_red_finding_withholds_an_actor_its_attribution_marks_green_and_a_red_attribution_withholds_on_a_green_finding()
    {
        var redFinding = Finding(Tlp.Red, Hafnium);
        var redActor = Finding(Tlp.Green, Hafnium with { Tlp = Tlp.Red });

        foreach (var finding in new[] { redFinding, redActor })
        {
            var organisation = IncidentVisibility.AttributionOf([finding], shared: []);
            Assert.Equal((0, true), (organisation.Of(finding).Shown.Count, organisation.Of(finding).Withheld));
            Assert.Empty(organisation.Actors);
            Assert.True(organisation.Withheld);
        }
    }

    [Fact]
    public void An_actor_named_by_one_red_input_is_withheld_on_every_finding_the_others_stay()
    {
        var green = Finding(Tlp.Green, Hafnium, Crew);
        var red = Finding(Tlp.Red, Hafnium with { Confidence = 90 });

        var organisation = IncidentVisibility.AttributionOf([green, red], shared: []);
        var staff = IncidentVisibility.AttributionOf([green, red], shared: null);

        Assert.Equal(["Exchange Crew"], Names(organisation.Of(green).Shown));
        Assert.True(organisation.Of(green).Withheld);
        Assert.Empty(organisation.Of(red).Shown);
        Assert.True(organisation.Of(red).Withheld);
        Assert.Equal([("Exchange Crew", Tlp.Green, 85, 1)], organisation.Actors.Select(a => (a.Actor.ActorName, a.Tlp, a.Actor.Confidence, a.Findings)));
        Assert.True(organisation.Withheld);

        // Staff: every actor, the strongest confidence and the strictest TLP of each, most confident first.
        Assert.Equal(["HAFNIUM", "Exchange Crew"], Names(staff.Of(green).Shown));
        Assert.Equal([("HAFNIUM", Tlp.Red, 90, 2), ("Exchange Crew", Tlp.Green, 85, 1)], staff.Actors.Select(a => (a.Actor.ActorName, a.Tlp, a.Actor.Confidence, a.Findings)));
        Assert.False(staff.Withheld);
    }

    [Fact]
    public void The_organisation_reads_exactly_the_actors_its_notice_names()
    {
        var combinations = new[]
        {
            new[] { Finding(Tlp.Green, Hafnium, Crew), Finding(Tlp.Red, Hafnium) },
            [Finding(Tlp.AmberStrict, Crew with { Tlp = Tlp.AmberStrict }), Finding(null, Hafnium with { Tlp = Tlp.Clear })],
            [Finding(Tlp.Red, Crew), Finding(Tlp.Amber, Hafnium with { Tlp = Tlp.Red })],
            [Finding(null)],
        };

        foreach (var findings in combinations)
        {
            var notice = NoticeText.ForOrganisation(new Data.Incidents.Incident { Family = "f", GroupKey = "k", Title = "t" }, findings, sharedAccounts: 0);
            var read = IncidentVisibility.AttributionOf(findings, shared: []).Actors.Select(a => a.Actor.ActorName).ToList();

            // "Exchange Crew (also known as Storm-9999), intelligence confidence 85/100; HAFNIUM (G0125; …), …"
            var named = notice.Attribution is null ? [] : Regex.Split(notice.Attribution, "(?<=/100); ").Select(a => a.Split(" (")[0].Split(",")[0]).ToList();
            Assert.Equal(named, read);
        }
    }

    [Fact]
    public void A_finding_without_intelligence_or_with_a_tlp_and_no_actor_withholds_nothing()
    {
        var none = Stored(null, null);
        var tlpOnly = Stored(Tlp.Red, null);

        var organisation = IncidentVisibility.AttributionOf([none, tlpOnly], shared: []);

        Assert.Equal((0, false), (organisation.Of(none).Shown.Count, organisation.Of(none).Withheld));
        Assert.Equal((0, false), (organisation.Of(tlpOnly).Shown.Count, organisation.Of(tlpOnly).Withheld));
        Assert.Empty(organisation.Actors);
        Assert.False(organisation.Withheld);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("\"HAFNIUM\"")]
    [InlineData("[1, \"x\", null, {\"actor\": \"no id\"}, {\"actorId\": \"G0001\"}]")]
    [InlineData("[{\"actor\": 5, \"actorId\": \"G0125\"}]")]
    public void Stored_attribution_of_an_unexpected_shape_names_no_one(string json)
    {
        var finding = Stored(Tlp.Green, json);

        var organisation = IncidentVisibility.AttributionOf([finding], shared: []);

        Assert.Equal((0, false), (organisation.Of(finding).Shown.Count, organisation.Of(finding).Withheld));
        Assert.Empty(organisation.Actors);
    }

    [Fact]
    public void A_stored_actor_without_a_tlp_counts_as_amber()
    {
        var finding = Stored(null, "[{\"actor\": \"HAFNIUM\", \"actorId\": \"G0125\", \"confidence\": \"high\"}]");

        var actors = IncidentVisibility.AttributionOf([finding], shared: []).Actors;

        Assert.Equal([("HAFNIUM", Tlp.Amber, 0, 1)], actors.Select(a => (a.Actor.ActorName, a.Tlp, a.Actor.Confidence, a.Findings)));
    }
}

/// <summary>
/// The incidents API and the incident pages over real HTTP on each database: findings submitted with their TLP and
/// attribution (as <c>bulwark scan --intel --submit</c> sends them), read by the organisation's admin key, an analyst
/// key, the operator, the org admin's page and the analyst's page.
/// </summary>
public abstract class IncidentAttributionViewTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private const string HafniumIndicator = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private const string CrewId = "intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d";
    private const string CrewIndicator = "indicator--1f4d0e39-4d1a-4f4c-9a3d-3c2b0f1e2d3c";
    private const string SsrfTitle = "ProxyLogon server-side request forgery (CVE-2021-26855)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] LogFields = ["UrlStem", "ClientIpAddress"];

    private static readonly string[] IntelFields = ["intel indicator", "intel indicator id", "intel source", "intel tlp"];

    private static JsonObject Hafnium(string tlp, int confidence = 70) => new()
    {
        ["actor"] = "HAFNIUM",
        ["actorId"] = "G0125",
        ["country"] = "CN",
        ["confidence"] = confidence,
        ["tlp"] = tlp,
        ["aliases"] = new JsonArray("Silk Typhoon"),
        ["indicators"] = new JsonArray(HafniumIndicator),
        ["sources"] = new JsonArray("cert-x"),
    };

    private static JsonObject Crew(string tlp) => new()
    {
        ["actor"] = "Exchange Crew",
        ["actorId"] = CrewId,
        ["country"] = null,
        ["confidence"] = 85,
        ["tlp"] = tlp,
        ["aliases"] = new JsonArray("Storm-9999"),
        ["indicators"] = new JsonArray(CrewIndicator),
        ["sources"] = new JsonArray("partner-taxii"),
    };

    /// <summary>The attribution as the API answers it: the stored entry with attackId after actorId.</summary>
    private static JsonObject Answered(JsonObject stored)
    {
        var actorId = stored["actorId"]!.GetValue<string>();
        return new JsonObject
        {
            ["actor"] = stored["actor"]!.DeepClone(),
            ["actorId"] = actorId,
            ["attackId"] = actorId.StartsWith('G') ? actorId : null,
            ["country"] = stored["country"]?.DeepClone(),
            ["confidence"] = stored["confidence"]!.DeepClone(),
            ["tlp"] = stored["tlp"]!.DeepClone(),
            ["aliases"] = stored["aliases"]!.DeepClone(),
            ["indicators"] = stored["indicators"]!.DeepClone(),
            ["sources"] = stored["sources"]!.DeepClone(),
        };
    }

    /// <summary>A ProxyLogon finding from <paramref name="address"/> whose evidence carries the intel fields a match adds.</summary>
    private static JsonObject Finding(string id, string address, string? tlp, params JsonObject[] attribution)
    {
        var fields = new JsonObject
        {
            ["UrlStem"] = "/ecp/y.js",
            ["ClientIpAddress"] = address,
            ["intel indicator"] = "address " + address,
            ["intel indicator id"] = HafniumIndicator,
            ["intel source"] = $"cert-x, TLP:{tlp ?? "CLEAR"}, confidence 85",
            ["intel tlp"] = tlp ?? "CLEAR",
        };
        var finding = AnalystPortal.Finding(id, address, "exchange.proxylogon.ssrf", SsrfTitle, "critical", "high", "2021-03-03T06:59:11Z", "2021-03-03T06:59:23Z",
            "Install the March 2021 Exchange security update (KB5000871).", ("Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 11, "2021-03-03T06:59:11Z", fields));
        if (tlp is not null)
        {
            finding["tlp"] = tlp;
        }

        if (attribution.Length > 0)
        {
            finding["attribution"] = new JsonArray([.. attribution.Select(a => (JsonNode)a.DeepClone())]);
        }

        return finding;
    }

    private async Task<Member> MemberWithAsync(string label, params JsonObject[] findings)
    {
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync($"{label} {Guid.NewGuid().ToString("N")[..6]}");
        await AnalystPortal.SubmitAsync(server.As(member.IngestToken), findings);
        return member;
    }

    /// <summary>The incident a finding joined (read in the database, whatever grouping decided).</summary>
    private Task<Guid> IncidentOfAsync(Guid organisation, string findingId) =>
        WithDatabaseAsync(server, db => db.Findings.Where(f => f.OrganisationId == organisation && f.FindingId == findingId).Select(f => f.IncidentId!.Value).SingleAsync(Ct));

    private static async Task<JsonElement> DetailAsync(HttpClient client, Guid incident)
    {
        var response = await client.GetAsync($"/api/v1/incidents/{incident}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
    }

    private static JsonElement FindingIn(JsonElement detail, string findingId) =>
        detail.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("findingId").GetString() == findingId);

    /// <summary>A JSON value in one canonical spelling (the server escapes '+' as \u002B), for exact comparison.</summary>
    private static string Canonical(JsonElement value) => JsonNode.Parse(value.GetRawText())?.ToJsonString() ?? "null";

    private static string Canonical(JsonNode? value) => value?.ToJsonString() ?? "null";

    private static string[] EvidenceFields(JsonElement finding) =>
        [.. finding.GetProperty("evidence")[0].GetProperty("fields").EnumerateObject().Select(p => p.Name)];

    private static string Id(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    [Theory]
    [InlineData("CLEAR", true)]
    [InlineData("GREEN", true)]
    [InlineData("AMBER", true)]
    [InlineData("AMBER+STRICT", true)]
    [InlineData("RED", false)]
    public async Task The_api_gives_staff_every_actor_and_the_organisation_only_up_to_amber_strict(string tlp, bool organisationReads)
    {
        var id = Id("TLP");
        var member = await MemberWithAsync("Attribution " + tlp, Finding(id, "192.0.2.150", tlp, Hafnium(tlp)));
        var incident = await IncidentOfAsync(member.Id, id);
        var analystKey = await server.CreateKeyAsync("analyst " + Guid.NewGuid().ToString("N")[..6], "Analyst", null);
        var attribution = new JsonArray(Answered(Hafnium(tlp)));
        var actors = new JsonArray(new JsonObject
        {
            ["actor"] = "HAFNIUM",
            ["actorId"] = "G0125",
            ["attackId"] = "G0125",
            ["country"] = "CN",
            ["confidence"] = 70,
            ["tlp"] = tlp,
            ["aliases"] = new JsonArray("Silk Typhoon"),
            ["findings"] = 1,
        });

        var organisation = await DetailAsync(server.As(member.AdminToken), incident);
        var mine = FindingIn(organisation, id);

        Assert.Equal(tlp, mine.GetProperty("tlp").GetString());
        Assert.Equal(organisationReads ? Canonical(attribution) : "null", Canonical(mine.GetProperty("attribution")));
        Assert.Equal(!organisationReads, mine.GetProperty("attributionWithheld").GetBoolean());
        Assert.Equal(organisationReads ? Canonical(actors) : "[]", Canonical(organisation.GetProperty("actors")));
        Assert.Equal(!organisationReads, organisation.GetProperty("actorsWithheld").GetBoolean());
        Assert.Equal(organisationReads ? [.. LogFields, .. IntelFields] : LogFields, EvidenceFields(mine));

        foreach (var staff in new[] { server.As(analystKey), server.Operator })
        {
            var detail = await DetailAsync(staff, incident);
            var read = FindingIn(detail, id);
            Assert.Equal(tlp, read.GetProperty("tlp").GetString());
            Assert.Equal(Canonical(attribution), Canonical(read.GetProperty("attribution")));
            Assert.False(read.GetProperty("attributionWithheld").GetBoolean());
            Assert.Equal(Canonical(actors), Canonical(detail.GetProperty("actors")));
            Assert.False(detail.GetProperty("actorsWithheld").GetBoolean());
            Assert.Equal([.. LogFields, .. IntelFields], EvidenceFields(read));
        }
    }

    [Fact]
    public async Task An_actor_named_by_one_red_finding_is_withheld_from_the_organisation_on_every_finding()
    {
        var (green, red) = (Id("MIX-G"), Id("MIX-R"));
        var member = await MemberWithAsync("Mixed", Finding(green, "192.0.2.151", "GREEN", Hafnium("GREEN"), Crew("GREEN")), Finding(red, "192.0.2.151", "RED", Hafnium("RED", confidence: 90)));
        var incident = await IncidentOfAsync(member.Id, green);
        Assert.Equal(incident, await IncidentOfAsync(member.Id, red));

        var organisation = await DetailAsync(server.As(member.AdminToken), incident);

        var greenSeen = FindingIn(organisation, green);
        Assert.Equal(Canonical(new JsonArray(Answered(Crew("GREEN")))), Canonical(greenSeen.GetProperty("attribution")));
        Assert.True(greenSeen.GetProperty("attributionWithheld").GetBoolean());
        var redSeen = FindingIn(organisation, red);
        Assert.Equal(("RED", JsonValueKind.Null, true), (redSeen.GetProperty("tlp").GetString(), redSeen.GetProperty("attribution").ValueKind, redSeen.GetProperty("attributionWithheld").GetBoolean()));
        Assert.Equal(LogFields, EvidenceFields(redSeen));
        Assert.Equal(
            [("Exchange Crew", CrewId, null, null, 85, "GREEN", 1)],
            organisation.GetProperty("actors").EnumerateArray().Select(ActorRow));
        Assert.True(organisation.GetProperty("actorsWithheld").GetBoolean());
        Assert.DoesNotContain("HAFNIUM", Canonical(organisation), StringComparison.Ordinal);
        Assert.DoesNotContain("G0125", Canonical(organisation), StringComparison.Ordinal);

        var staff = await DetailAsync(server.Operator, incident);

        Assert.Equal(Canonical(new JsonArray(Answered(Hafnium("GREEN")), Answered(Crew("GREEN")))), Canonical(FindingIn(staff, green).GetProperty("attribution")));
        Assert.Equal(Canonical(new JsonArray(Answered(Hafnium("RED", confidence: 90)))), Canonical(FindingIn(staff, red).GetProperty("attribution")));
        Assert.Equal(
            [("HAFNIUM", "G0125", "G0125", "CN", 90, "RED", 2), ("Exchange Crew", CrewId, null, null, 85, "GREEN", 1)],
            staff.GetProperty("actors").EnumerateArray().Select(ActorRow));
        Assert.False(staff.GetProperty("actorsWithheld").GetBoolean());
    }

    private static (string?, string?, string?, string?, int, string?, int) ActorRow(JsonElement a) => (
        a.GetProperty("actor").GetString(), a.GetProperty("actorId").GetString(), a.GetProperty("attackId").GetString(), a.GetProperty("country").GetString(),
        a.GetProperty("confidence").GetInt32(), a.GetProperty("tlp").GetString(), a.GetProperty("findings").GetInt32());

    [Fact]
    public async Task Findings_without_an_actor_withhold_nothing_and_without_intelligence_carry_no_tlp()
    {
        var (tlpOnly, plain) = (Id("TLP-ONLY"), Id("PLAIN"));
        var member = await MemberWithAsync("No actor", Finding(tlpOnly, "192.0.2.152", "AMBER"), Finding(plain, "192.0.2.153", null));

        foreach (var (finding, tlp) in new[] { (tlpOnly, "AMBER"), (plain, (string?)null) })
        {
            var detail = await DetailAsync(server.As(member.AdminToken), await IncidentOfAsync(member.Id, finding));
            var read = FindingIn(detail, finding);
            Assert.Equal(tlp, read.GetProperty("tlp").GetString());
            Assert.Equal((JsonValueKind.Null, false), (read.GetProperty("attribution").ValueKind, read.GetProperty("attributionWithheld").GetBoolean()));
            Assert.Equal((0, false), (detail.GetProperty("actors").GetArrayLength(), detail.GetProperty("actorsWithheld").GetBoolean()));
        }
    }

    [Fact]
    public async Task Another_organisation_an_ingest_key_and_anonymous_callers_read_no_attribution()
    {
        var id = Id("OWN");
        var member = await MemberWithAsync("Owner", Finding(id, "192.0.2.154", "GREEN", Hafnium("GREEN")));
        var other = await server.CreateMemberAsync("Stranger " + Guid.NewGuid().ToString("N")[..6]);
        var incident = await IncidentOfAsync(member.Id, id);

        Assert.Equal(HttpStatusCode.NotFound, (await server.As(other.AdminToken).GetAsync($"/api/v1/incidents/{incident}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(null).GetAsync($"/api/v1/incidents/{incident}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.As(member.IngestToken).GetAsync($"/api/v1/incidents/{incident}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.As(member.AdminToken).GetAsync("/api/v1/incidents/not-a-guid", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.As(member.AdminToken).GetAsync($"/api/v1/incidents/{incident}%27%20OR%201=1", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_declares_tlp_attribution_and_actors()
    {
        using var openapi = JsonDocument.Parse(await server.As(null).GetStringAsync("/openapi/v1.json", Ct));
        var schemas = openapi.RootElement.GetProperty("components").GetProperty("schemas");

        string[] Properties(string schema) => [.. schemas.GetProperty(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name)];

        Assert.Equal(["tlp", "attribution", "attributionWithheld"], Properties("FindingView")[^3..]);
        Assert.Equal(["actor", "actorId", "attackId", "country", "confidence", "tlp", "aliases", "indicators", "sources"], Properties("AttributionView"));
        Assert.Equal(["actor", "actorId", "attackId", "country", "confidence", "tlp", "aliases", "findings"], Properties("ActorView"));
        Assert.Equal(["incident", "findings", "actors", "actorsWithheld"], Properties("IncidentDetail"));
    }

    private async Task<PortalBrowser> OrgAdminAsync(Guid organisation, string language = "en")
    {
        var email = $"admin-{Guid.NewGuid():N}@example.org";
        await PortalUsers.CreatePersonAsync(server, organisation, email, PersonRole.OrgAdmin, "Olga Admin", language);
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(email)).Target);
        return browser;
    }

    private static string Squash(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task The_organisations_page_shows_each_findings_tlp_and_the_actor_up_to_amber_strict_and_says_when_one_is_withheld()
    {
        var (amber, red, plain) = (Id("PAGE-A"), Id("PAGE-R"), Id("PAGE-P"));
        var member = await MemberWithAsync(
            "Page",
            Finding(amber, "192.0.2.160", "AMBER", Hafnium("AMBER")),
            Finding(red, "192.0.2.161", "RED", Crew("RED")),
            Finding(plain, "192.0.2.162", null));
        var browser = await OrgAdminAsync(member.Id);

        var amberPage = await browser.GetAsync($"/org/incidents/{await IncidentOfAsync(member.Id, amber)}");

        Assert.Equal(HttpStatusCode.OK, amberPage.Status);
        var item = amberPage.Document.QuerySelector($"#timeline li[data-finding='{amber}']")!;
        Assert.Equal("TLP:AMBER", item.QuerySelector("dd.tlp .badge")!.TextContent);
        Assert.Equal("Traffic Light Protocol: how far the intelligence behind this may be shared.", item.QuerySelector("dd.tlp .badge")!.GetAttribute("title"));
        Assert.Equal(["HAFNIUM G0125 · country CN · intelligence confidence 70/100"], item.QuerySelectorAll("dd.attribution li").Select(li => Squash(li.TextContent)));
        Assert.Null(item.QuerySelector(".withheld"));
        Assert.Equal(["HAFNIUM G0125 · country CN · intelligence confidence 70/100 TLP:AMBER"], amberPage.Document.QuerySelectorAll("#actors li").Select(li => Squash(li.TextContent)));
        Assert.Equal("Threat intelligence suggests this; it does not prove it.", amberPage.Document.QuerySelector("#actors .hint")!.TextContent);
        Assert.Null(amberPage.Document.QuerySelector("#actors-withheld"));

        var redPage = await browser.GetAsync($"/org/incidents/{await IncidentOfAsync(member.Id, red)}");

        var redItem = redPage.Document.QuerySelector($"#timeline li[data-finding='{red}']")!;
        Assert.Equal("TLP:RED", redItem.QuerySelector("dd.tlp .badge")!.TextContent);
        Assert.Empty(redItem.QuerySelectorAll("dd.attribution li"));
        const string Withheld = "The intelligence names an actor here that its sources' sharing rules (TLP) do not let us tell you.";
        Assert.Equal(Withheld, redItem.QuerySelector("dd.attribution .withheld")!.TextContent);
        Assert.Empty(redPage.Document.QuerySelectorAll("#actors li"));
        Assert.Equal(Withheld, redPage.Document.QuerySelector("#actors-withheld")!.TextContent);
        Assert.DoesNotContain("Exchange Crew", redPage.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Storm-9999", redPage.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(CrewIndicator, redPage.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("intel indicator", redPage.Text, StringComparison.Ordinal);

        var plainPage = await browser.GetAsync($"/org/incidents/{await IncidentOfAsync(member.Id, plain)}");

        var plainItem = plainPage.Document.QuerySelector($"#timeline li[data-finding='{plain}']")!;
        Assert.Null(plainItem.QuerySelector("dd.tlp"));
        Assert.Null(plainItem.QuerySelector("dd.attribution"));
        Assert.Null(plainPage.Document.QuerySelector("#actors"));
    }

    [Theory]
    [InlineData("fr", "HAFNIUM G0125 · pays : CN · confiance du renseignement 70/100", "Qui pourrait être derrière", "Partage du renseignement")]
    [InlineData("es", "HAFNIUM G0125 · país: CN · confianza de la inteligencia 70/100", "Quién podría estar detrás", "Difusión de la inteligencia")]
    public async Task The_organisations_page_tells_the_actor_in_the_readers_language(string language, string actor, string behind, string sharing)
    {
        var id = Id("LANG");
        var member = await MemberWithAsync("Langue", Finding(id, "192.0.2.163", "GREEN", Hafnium("GREEN")));
        var browser = await OrgAdminAsync(member.Id, language);

        var page = await browser.GetAsync($"/org/incidents/{await IncidentOfAsync(member.Id, id)}");

        var item = page.Document.QuerySelector($"#timeline li[data-finding='{id}']")!;
        Assert.Equal([actor], item.QuerySelectorAll("dd.attribution li").Select(li => Squash(li.TextContent)));
        var labels = item.QuerySelectorAll("dl.evidence > dt").Select(dt => dt.TextContent).ToList();
        Assert.Contains(behind, labels);
        Assert.Contains(sharing, labels);
    }

    [Fact]
    public async Task The_analysts_page_shows_every_actor_with_its_indicators_and_sources_red_included()
    {
        var (green, red) = (Id("AN-G"), Id("AN-R"));
        var member = await MemberWithAsync("Analysed", Finding(green, "192.0.2.170", "GREEN", Hafnium("GREEN")), Finding(red, "192.0.2.170", "RED", Crew("RED")));
        var incident = await IncidentOfAsync(member.Id, green);
        Assert.Equal(incident, await IncidentOfAsync(member.Id, red));
        var name = "analyst-" + Guid.NewGuid().ToString("N")[..12];
        await PortalUsers.CreateStaffAsync(server, name, PortalRoles.Analyst);
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(name)).Target);

        var page = await browser.GetAsync($"/analyst/incidents/{incident}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var findings = page.Document.QuerySelectorAll("section.finding").ToDictionary(s => s.QuerySelectorAll("dd code").Last().TextContent);
        Assert.Equal("TLP:GREEN", findings[green].QuerySelector("dd.tlp .badge")!.TextContent);
        Assert.Equal("TLP:RED", findings[red].QuerySelector("dd.tlp .badge")!.TextContent);
        Assert.Equal(
            [$"HAFNIUM G0125 · country CN · intelligence confidence 70/100 TLP:GREEN actor id G0125 indicators {HafniumIndicator} sources cert-x"],
            findings[green].QuerySelectorAll("dd.attribution li").Select(li => Squash(li.TextContent)));
        Assert.Equal(
            [$"Exchange Crew · intelligence confidence 85/100 TLP:RED actor id {CrewId} indicators {CrewIndicator} sources partner-taxii"],
            findings[red].QuerySelectorAll("dd.attribution li").Select(li => Squash(li.TextContent)));
        Assert.Equal(
            ["Exchange Crew · intelligence confidence 85/100 TLP:RED · named by 1 of the findings", "HAFNIUM G0125 · country CN · intelligence confidence 70/100 TLP:GREEN · named by 1 of the findings"],
            page.Document.QuerySelectorAll("#actors li").Select(li => Squash(li.TextContent)));
        Assert.Null(page.Document.QuerySelector("#no-intel"));

        // The notice the organisation would get names only what it may be told.
        var summary = page.Document.QuerySelector("#notice-summary")!.TextContent;
        Assert.Contains("Who may be behind it: HAFNIUM (G0125; also known as Silk Typhoon; country CN), intelligence confidence 70/100.", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Exchange Crew", summary, StringComparison.Ordinal);
    }
}

/// <summary>
/// Findings the server's own scan attributes (the samples upload with the starter intelligence: HAFNIUM's published
/// address, TLP:CLEAR) reach the organisation's incident view as stored, and the analyst's the same.
/// </summary>
public abstract class IncidentAttributionScanTests<TServer>(IntelHost<TServer> host) : IClassFixture<IntelHost<TServer>>
    where TServer : BulwarkServer, new()
{
    [Fact]
    public async Task A_scanned_finding_attributed_by_clear_intelligence_shows_its_actor_to_the_organisation_and_staff()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await Members.CreateAsync(host.As, "Scanned Attribution " + Guid.NewGuid().ToString("N")[..6]);
        var upload = await UploadAcceptedAsync(host.As(member.IngestToken), "exchange-server.zip", SamplesZip, ct);
        Assert.Equal("Done", (await WaitForUploadAsync(host.As(member.IngestToken), upload, ct)).GetProperty("status").GetString());
        FindingRecord stored;
        await using (var db = host.Server.Services.GetRequiredService<TenantDatabase>().Open(member.Id))
        {
            stored = await db.Findings.AsNoTracking().SingleAsync(f => f.DetectionId == "intel.indicator-match" && f.Subject == "104.140.114.110", ct);
        }

        var actor = Assert.Single(FindingRecords.ReadAttribution(stored.AttributionJson));
        Assert.Equal(("HAFNIUM", "G0125", "CN", Tlp.Clear, Tlp.Clear), (actor.ActorName, actor.ActorId, actor.Country, actor.Tlp, stored.Tlp));
        var expected = new JsonArray(new JsonObject
        {
            ["actor"] = "HAFNIUM",
            ["actorId"] = "G0125",
            ["attackId"] = "G0125",
            ["country"] = "CN",
            ["confidence"] = actor.Confidence,
            ["tlp"] = "CLEAR",
            ["aliases"] = new JsonArray([.. actor.Aliases.Select(a => (JsonNode)a)]),
            ["indicators"] = new JsonArray([.. actor.IndicatorIds.Select(a => (JsonNode)a)]),
            ["sources"] = new JsonArray([.. actor.Sources.Select(a => (JsonNode)a)]),
        }).ToJsonString();
        var analystKey = await Members.CreateKeyAsync(host.As, "scan analyst " + Guid.NewGuid().ToString("N")[..6], "Analyst", null);

        foreach (var token in new[] { member.AdminToken, analystKey })
        {
            var detail = await host.As(token).GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{stored.IncidentId}", Json, ct);
            var finding = detail.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == stored.Id);
            Assert.Equal("CLEAR", finding.GetProperty("tlp").GetString());
            Assert.Equal(expected, JsonNode.Parse(finding.GetProperty("attribution").GetRawText())!.ToJsonString());
            Assert.False(finding.GetProperty("attributionWithheld").GetBoolean());
            Assert.Contains("HAFNIUM", detail.GetProperty("actors").EnumerateArray().Select(a => a.GetProperty("actor").GetString()));
            Assert.False(detail.GetProperty("actorsWithheld").GetBoolean());
        }
    }
}

public sealed class IncidentAttributionScanSqliteTests(IntelHost<SqliteServer> host) : IncidentAttributionScanTests<SqliteServer>(host);

public sealed class IncidentAttributionScanPostgresTests(IntelHost<PostgresServer> host) : IncidentAttributionScanTests<PostgresServer>(host);

public sealed class IncidentAttributionViewSqliteTests(SqliteServer server) : IncidentAttributionViewTests<SqliteServer>(server);

public sealed class IncidentAttributionViewPostgresTests(PostgresServer server) : IncidentAttributionViewTests<PostgresServer>(server);
