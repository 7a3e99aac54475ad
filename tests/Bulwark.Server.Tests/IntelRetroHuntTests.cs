using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;
using Bulwark.Data.Incidents;
using Bulwark.Server.Incidents;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Intel;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>
/// Core's <see cref="RetroHunt"/>: intelligence that arrives after a scan, matched against the evidence the server
/// kept. New values become intel findings with the ids a scan would give them; the findings they touch are
/// attributed once; running it again changes nothing.
/// </summary>
public sealed class IntelRetroHuntTests
{
    private const string Sha256 = "b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0";

    private const string Bundle = """
        {"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":[
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000010","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","name":"Exploit client","pattern":"[ipv4-addr:value = '203.0.113.50']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":80,"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000011","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 (compatible; ExchangeRecon/1.0)']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":60},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000012","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[file:hashes.'SHA-256' = 'b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":90},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000013","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.60'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.61']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z"},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000014","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.70']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","valid_until":"2020-06-01T00:00:00Z"},
        {"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--00000000-0000-4000-8000-000000000020","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","name":"Exchange Crew","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
        {"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-000000000030","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--00000000-0000-4000-8000-000000000010","target_ref":"intrusion-set--00000000-0000-4000-8000-000000000020","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}
        ]}
        """;

    private static readonly DateTimeOffset At = new(2021, 3, 3, 6, 59, 11, TimeSpan.Zero);

    private static IntelSet Intel()
    {
        var catalog = new IntelCatalog();
        var source = new IntelSource("partner", IntelFormat.StixBundle) { Title = "Partner CERT", DefaultTlp = Tlp.Amber };
        StixReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Bundle)), "partner.json", source, catalog);
        Assert.Empty(catalog.Problems);
        return IntelLoader.Build(catalog);
    }

    private static Evidence Iis(long line, string client, string agent = "-", DateTimeOffset? at = null) => new(
        "W3SVC1/u_ex210303.log",
        line,
        at ?? At,
        new Dictionary<string, string>
        {
            ["date"] = "2021-03-03",
            ["cs-method"] = "POST",
            ["cs-uri-stem"] = "/ecp/y.js",
            ["c-ip"] = client,
            ["cs(User-Agent)"] = agent,
            ["sc-status"] = "200",
        });

    private static Finding Finding(string id, string detection, string subject, Confidence confidence, params Evidence[] evidence) =>
        new(id, detection, "t", Severity.Critical, confidence, [], [], evidence.Min(e => e.Timestamp), evidence.Max(e => e.Timestamp), evidence, evidence.Length, "r", "s", subject);

    [Fact]
    public void A_new_value_in_kept_evidence_becomes_one_intel_finding_with_the_scans_id_and_attributes_the_finding()
    {
        var ssrf = Finding("BW-ssrf", "exchange.proxylogon.ssrf", "203.0.113.50", Confidence.Medium, Iis(10, "203.0.113.50"), Iis(12, "203.0.113.50"));
        var request = Finding("BW-request", "exchange.proxylogon.request", "203.0.113.50", Confidence.High, Iis(12, "203.0.113.50"));

        var result = new RetroHunt(Intel()).Hunt([ssrf, request]);

        var found = Assert.Single(result.Found);
        var scanned = new FindingCollector();
        scanned.Add(IntelDetections.IndicatorMatch, "203.0.113.50", Iis(10, "203.0.113.50"));
        Assert.Equal(scanned.Build()[0].Id, found.Id);
        Assert.Equal(("intel.indicator-match", "203.0.113.50", 2, 2), (found.DetectionId, found.Subject, found.EvidenceCount, found.Evidence.Count));
        Assert.Equal([10L, 12L], found.Evidence.Select(e => e.Line));
        var fields = found.Evidence[0].Fields;
        Assert.Equal("address 203.0.113.50", fields[IntelEvidence.Indicator]);
        Assert.Equal("indicator--00000000-0000-4000-8000-000000000010", fields[IntelEvidence.IndicatorId]);
        Assert.Equal("GREEN", fields[IntelEvidence.Tlp]);
        Assert.Equal("c-ip", fields[IntelEvidence.SeenIn]);
        Assert.Equal("POST", fields["cs-method"]);
        var actor = Assert.Single(found.Attribution);
        Assert.Equal(("Exchange Crew", 80, Tlp.Green), (actor.ActorName, actor.Confidence, actor.Tlp));
        Assert.Equal(Tlp.Green, found.Tlp);
        Assert.Equal(Confidence.High, found.Confidence);

        // Both findings are attributed; the medium one is raised once, the high one stays high.
        Assert.Equal(["BW-ssrf", "BW-request"], result.Attributed.Select(f => f.Id));
        Assert.Equal([Confidence.High, Confidence.High], result.Attributed.Select(f => f.Confidence));
        Assert.All(result.Attributed, f => Assert.Equal(("Exchange Crew", Tlp.Green), (f.Attribution.Single().ActorName, f.Tlp)));
    }

    [Fact]
    public void Hunting_again_with_what_the_first_hunt_gave_adds_and_changes_nothing()
    {
        var intel = Intel();
        var ssrf = Finding("BW-ssrf", "exchange.proxylogon.ssrf", "203.0.113.50", Confidence.Medium, Iis(10, "203.0.113.50", "Mozilla/5.0+(compatible;+ExchangeRecon/1.0)"));
        var first = new RetroHunt(intel).Hunt([ssrf]);

        var second = new RetroHunt(intel).Hunt([.. first.Attributed, .. first.Found]);

        Assert.Equal(["203.0.113.50", "Mozilla/5.0 (compatible; ExchangeRecon/1.0)"], first.Found.Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(Confidence.High, first.Attributed.Single().Confidence);
        Assert.Empty(second.Found);
        Assert.Empty(second.Attributed);
    }

    [Fact]
    public void A_value_that_already_has_its_intel_finding_gains_the_new_indicators_instead_of_a_second_finding()
    {
        var evidence = Iis(10, "203.0.113.50");
        var fields = new Dictionary<string, string>(evidence.Fields)
        {
            [IntelEvidence.Indicator] = "address 203.0.113.50",
            [IntelEvidence.IndicatorId] = "indicator--from-another-source",
            [IntelEvidence.Tlp] = "CLEAR",
        };
        var existing = Finding("BW-intel", "intel.indicator-match", "203.0.113.50", Confidence.Low, evidence with { Fields = fields }) with { Tlp = Tlp.Clear };

        var result = new RetroHunt(Intel()).Hunt([existing]);

        Assert.Empty(result.Found);
        var updated = Assert.Single(result.Attributed);
        Assert.Equal(("BW-intel", "Exchange Crew", Tlp.Green, Confidence.High), (updated.Id, updated.Attribution.Single().ActorName, updated.Tlp, updated.Confidence));
    }

    [Fact]
    public void File_evidence_is_matched_by_hash_and_a_port_is_taken_off_the_client_address()
    {
        var shell = new Evidence("host1/inetpub/wwwroot/aspnet_client/shell.aspx", 0, At, new Dictionary<string, string>
        {
            ["path"] = "host1/inetpub/wwwroot/aspnet_client/shell.aspx",
            ["sha256"] = Sha256,
        });
        var proxy = new Evidence("HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 7, At, new Dictionary<string, string>
        {
            ["ClientIpAddress"] = "203.0.113.50:51234",
            ["UrlStem"] = "/ecp/DDI/DDIService.svc/GetList",
        });

        var result = new RetroHunt(Intel()).Hunt([
            Finding("BW-shell", "exchange.webshell.content", shell.File, Confidence.High, shell),
            Finding("BW-proxy", "exchange.proxylogon.ssrf", "203.0.113.50", Confidence.High, proxy)]);

        Assert.Equal(
            [("203.0.113.50", "ClientIpAddress"), (Sha256, "file sha256")],
            result.Found.Select(f => (f.Subject, f.Evidence[0].Fields[IntelEvidence.SeenIn])).OrderBy(x => x.Subject, StringComparer.Ordinal));
    }

    [Fact]
    public void Complex_patterns_and_values_outside_their_validity_are_not_matched_on_kept_evidence()
    {
        var result = new RetroHunt(Intel()).Hunt([
            Finding("BW-a", "exchange.proxylogon.ssrf", "203.0.113.60", Confidence.High, Iis(1, "203.0.113.60")),
            Finding("BW-b", "exchange.proxylogon.ssrf", "203.0.113.70", Confidence.High, Iis(2, "203.0.113.70"))]);

        Assert.Empty(result.Found);
        Assert.Empty(result.Attributed);
    }

    [Fact]
    public void A_members_own_attribution_is_kept_when_the_servers_intelligence_adds_an_actor()
    {
        var own = new ActorAttribution("intrusion-set--member-own", "Member Known Group", "RU", 40, Tlp.Amber, ["indicator--member"], ["member-intel"]);
        var submitted = Finding("BW-sub", "exchange.proxylogon.ssrf", "203.0.113.50", Confidence.High, Iis(3, "203.0.113.50")) with { Attribution = [own], Tlp = Tlp.Amber };

        var updated = Assert.Single(new RetroHunt(Intel()).Hunt([submitted]).Attributed);

        Assert.Equal(["Exchange Crew", "Member Known Group"], updated.Attribution.Select(a => a.ActorName));
        Assert.Equal(Tlp.Amber, updated.Tlp);
        Assert.Equal(Confidence.High, updated.Confidence);
    }
}

/// <summary>
/// The server's retro-hunt (<see cref="RetroHunter"/>) end to end: intelligence uploaded after the findings, matched on
/// what their evidence kept. An attributed finding raises its incident as grouping would; referers and complex
/// patterns are matched on kept evidence; what the hunt adds joins the incident of its client.
/// </summary>
public abstract class IntelRetroHuntServerTests<TServer> : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private readonly TServer _server;

    protected IntelRetroHuntServerTests(TServer server)
    {
        server.Settings["Ingestion:WorkerEnabled"] = "false";
        _server = server;
    }

    [Fact]
    public async Task An_attribution_raises_the_confidence_of_the_findings_open_incident_and_leaves_a_dismissed_one_closed()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await _server.CreateMemberAsync("Retro Raise A");
        var b = await _server.CreateMemberAsync("Retro Raise B");
        await SubmitAsync(_server.As(a.IngestToken), new JsonArray(Finding("BW-8100000000000001", "192.0.2.180", confidence: "medium")), ct);
        await SubmitAsync(_server.As(b.IngestToken), new JsonArray(Finding("BW-8100000000000002", "192.0.2.180", confidence: "medium")), ct);
        var ofB = Assert.Single(await IncidentsAsync(_server.As(b.AdminToken), "", ct));
        (await _server.Operator.PostAsJsonAsync($"/api/v1/incidents/{ofB.GetProperty("id").GetGuid()}/dismiss", new { reason = "test client" }, Json, ct)).EnsureSuccessStatusCode();
        var before = Assert.Single(await IncidentsAsync(_server.As(a.AdminToken), "", ct));
        Assert.Equal(("Critical", "Medium"), (before.GetProperty("severity").GetString(), before.GetProperty("confidence").GetString()));

        var hunt = await UploadBundleAsync("retro-raise", Indicator(1, "[ipv4-addr:value = '192.0.2.180']", 85));

        // Each organisation gets its intel finding and its SSRF attributed; only A's open incident is raised.
        Assert.Equal((2, 2, 1), (hunt.GetProperty("found").GetInt32(), hunt.GetProperty("attributed").GetInt32(), hunt.GetProperty("incidentsRaised").GetInt32()));
        Assert.Equal(1, _server.Services.GetRequiredService<CurrentIntel>().LastRetroHunt!.IncidentsRaised);
        var after = Assert.Single(await IncidentsAsync(_server.As(a.AdminToken), "", ct));
        Assert.Equal(
            (before.GetProperty("id").GetGuid(), "infrastructure", "192.0.2.180", 2, "ProxyLogon server-side request forgery (CVE-2021-26855)", "Critical", "High"),
            (after.GetProperty("id").GetGuid(), after.GetProperty("family").GetString(), after.GetProperty("groupKey").GetString(), after.GetProperty("findings").GetInt32(),
                after.GetProperty("title").GetString(), after.GetProperty("severity").GetString(), after.GetProperty("confidence").GetString()));
        var ofBAfter = (await IncidentsAsync(_server.As(b.AdminToken), "", ct)).OrderBy(i => i.GetProperty("status").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("Dismissed", 1, "Medium"), ("Unconfirmed", 1, "High")],
            ofBAfter.Select(i => (i.GetProperty("status").GetString(), i.GetProperty("findings").GetInt32(), i.GetProperty("confidence").GetString())));
        var attributed = await WithDatabaseAsync(_server, db => db.Findings.AsNoTracking().SingleAsync(f => f.OrganisationId == b.Id && f.FindingId == "BW-8100000000000002", ct));
        Assert.Equal((Confidence.High, Tlp.Green), (attributed.Confidence, attributed.Tlp));

        // The same intelligence again: nothing attributed, nothing raised.
        var again = await UploadBundleAsync("retro-raise-again", Indicator(1, "[ipv4-addr:value = '192.0.2.180']", 85));
        Assert.Equal((0, 0, 0), (again.GetProperty("found").GetInt32(), again.GetProperty("attributed").GetInt32(), _server.Services.GetRequiredService<CurrentIntel>().LastRetroHunt!.IncidentsRaised));
    }

    [Fact]
    public async Task A_referer_kept_in_evidence_is_hunted_and_its_match_joins_the_incident_of_the_client()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Retro Referer Org");
        var finding = Finding("BW-8200000000000001", "192.0.2.181", confidence: "medium");
        finding["evidence"] = new JsonArray(Iis(41, "192.0.2.181", "POST", "https://cdn.owa-assets.example/owa/auth/x.js"));
        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(finding), ct);

        var hunt = await UploadBundleAsync("retro-referer", Indicator(2, "[domain-name:value = 'owa-assets.example']", 70));

        Assert.Equal((1, 1), (hunt.GetProperty("found").GetInt32(), hunt.GetProperty("attributed").GetInt32()));
        var found = await WithDatabaseAsync(_server, db => db.Findings.AsNoTracking().SingleAsync(f => f.OrganisationId == member.Id && f.DetectionId == "intel.indicator-match", ct));
        var evidence = Assert.Single(Ingestion.FindingRecords.ReadEvidence(found.EvidenceJson));
        Assert.Equal(("owa-assets.example", 41L, "cs(Referer)", "domain owa-assets.example"), (found.Subject, evidence.Line, evidence.Fields[IntelEvidence.SeenIn], evidence.Fields[IntelEvidence.Indicator]));
        var incident = Assert.Single(await IncidentsAsync(_server.As(member.AdminToken), "", ct));
        Assert.Equal(("infrastructure", "192.0.2.181", 2, "High"), (incident.GetProperty("family").GetString(), incident.GetProperty("groupKey").GetString(), incident.GetProperty("findings").GetInt32(), incident.GetProperty("confidence").GetString()));
    }

    [Fact]
    public async Task A_complex_pattern_is_confirmed_on_the_kept_evidence_that_satisfies_it_and_rejected_on_the_one_that_does_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Retro Complex Org");
        var posted = Finding("BW-8300000000000001", "192.0.2.182", confidence: "medium");
        posted["evidence"] = new JsonArray(Iis(51, "192.0.2.182", "POST", "-"));
        var fetched = Finding("BW-8300000000000002", "192.0.2.183", confidence: "medium");
        fetched["evidence"] = new JsonArray(Iis(52, "192.0.2.183", "GET", "-"));
        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(posted, fetched), ct);

        var hunt = await UploadBundleAsync(
            "retro-complex",
            Indicator(3, "[network-traffic:src_ref.value = '192.0.2.182' AND network-traffic:extensions.'http-request-ext'.request_method = 'post']", 80),
            Indicator(4, "[network-traffic:src_ref.value = '192.0.2.183' AND network-traffic:extensions.'http-request-ext'.request_method = 'post']", 80));

        Assert.Equal((1, 1), (hunt.GetProperty("found").GetInt32(), hunt.GetProperty("attributed").GetInt32()));
        var findings = await WithDatabaseAsync(_server, db => db.Findings.AsNoTracking().Where(f => f.OrganisationId == member.Id).OrderBy(f => f.FindingId).ToListAsync(ct));
        Assert.Equal(
            [
                ("BW-8300000000000001", "192.0.2.182", Confidence.High, (Tlp?)Tlp.Green),
                ("BW-8300000000000002", "192.0.2.183", Confidence.Medium, null),
                (findings[2].FindingId, "192.0.2.182", Confidence.High, Tlp.Green),
            ],
            findings.Select(f => (f.FindingId, f.Subject, f.Confidence, f.Tlp)));
        Assert.Equal("intel.indicator-match", findings[2].DetectionId);
        Assert.Contains($"\"intel indicator id\":\"indicator--00000000-0000-4000-8000-{3:D12}\"", findings[2].EvidenceJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incident_raised_by_attribution_alone_is_auto_confirmed_when_it_now_meets_the_policy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var policy = AutoConfirmHost();
        var member = await CreateMemberAsync(policy, "Retro Policy Org");
        var admin = Client(policy, member.AdminToken);

        // A web-shell page's finding groups by its page, not by the client that asked for it: the client's intel
        // finding goes to another incident, so the hunt's attribution alone raises the page's incident.
        var shell = Finding("BW-8400000000000001", "/aspnet_client/discover.aspx", "exchange.webshell.request.known-name", "critical", "medium");
        shell["evidence"] = new JsonArray(Iis(61, "192.0.2.184", "POST", "-"));
        await SubmitAsync(Client(policy, member.IngestToken), new JsonArray(shell), ct);
        var before = Assert.Single(await IncidentsAsync(admin, "", ct));
        Assert.Equal(("webshell", "Unconfirmed", "Medium"), (before.GetProperty("family").GetString(), before.GetProperty("status").GetString(), before.GetProperty("confidence").GetString()));

        var hunt = await UploadBundleAsync("retro-policy", [Indicator(5, "[ipv4-addr:value = '192.0.2.184']", 85)], Client(policy, BulwarkServer.BootstrapToken));

        Assert.Equal((1, 1, 1), (hunt.GetProperty("found").GetInt32(), hunt.GetProperty("attributed").GetInt32(), hunt.GetProperty("incidentsRaised").GetInt32()));
        var after = (await IncidentsAsync(admin, "", ct)).ToDictionary(i => i.GetProperty("family").GetString()!, StringComparer.Ordinal);
        Assert.Equal(["infrastructure", "webshell"], after.Keys.Order(StringComparer.Ordinal));
        var page = after["webshell"];
        Assert.Equal(
            (before.GetProperty("id").GetGuid(), "Critical", "High", "Confirmed", "auto-confirmed by policy (Incidents:AutoConfirm): severity critical meets critical, confidence high meets high"),
            (page.GetProperty("id").GetGuid(), page.GetProperty("severity").GetString(), page.GetProperty("confidence").GetString(), page.GetProperty("status").GetString(), page.GetProperty("decisionReason").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("decidedBy").ValueKind);

        var audit = await Client(policy, BulwarkServer.BootstrapToken).GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=incident.auto-confirm&organisationId={member.Id}", Json, ct);
        var confirmed = after.Values.Where(i => i.GetProperty("status").GetString() == "Confirmed").Select(i => $"incident/{i.GetProperty("id").GetGuid()}").Order(StringComparer.Ordinal);
        Assert.Equal(confirmed, audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("target").GetString()!).Order(StringComparer.Ordinal));
        Assert.Contains($"incident/{before.GetProperty("id").GetGuid()}", confirmed);
    }

    [Fact]
    public async Task The_policy_reads_a_raised_incident_as_it_is_now_even_where_its_context_read_it_before()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var policy = AutoConfirmHost();
        var member = await CreateMemberAsync(policy, "Retro Policy Reread Org");
        await SubmitAsync(Client(policy, member.IngestToken), new JsonArray(Finding("BW-8500000000000001", "192.0.2.185", confidence: "medium")), ct);
        await using var scope = WorkerTenant.CreateInstanceWideScope(policy.Services.GetRequiredService<IServiceScopeFactory>());
        var seen = await scope.ServiceProvider.GetRequiredService<Data.BulwarkDbContext>().Incidents.SingleAsync(i => i.OrganisationId == member.Id, ct);
        Assert.Equal((IncidentStatus.Unconfirmed, Confidence.Medium), (seen.Status, seen.Confidence));

        // Raised through another context, as the retro-hunt raises it.
        await WithDatabaseAsync(policy, async db =>
        {
            var incident = await db.Incidents.SingleAsync(i => i.Id == seen.Id, ct);
            incident.Confidence = Confidence.High;
            return await db.SaveChangesAsync(ct);
        });

        var confirmed = await scope.ServiceProvider.GetRequiredService<IncidentDecisions>().ApplyPolicyAsync(member.Id, [seen.Id], ct);

        Assert.Equal(seen.Id, Assert.Single(confirmed).Id);
        var stored = await WithDatabaseAsync(policy, db => db.Incidents.AsNoTracking().SingleAsync(i => i.Id == seen.Id, ct));
        Assert.Equal((IncidentStatus.Confirmed, Confidence.High, (Guid?)null), (stored.Status, stored.Confidence, stored.DecidedBy));
    }

    /// <summary>Another host on the same database with <c>Incidents:AutoConfirm</c> on (minimums critical and high); the caller disposes it.</summary>
    private WebApplicationFactory<Program> AutoConfirmHost()
    {
        _server.EnsureAvailable();
        return _server.WithWebHostBuilder(b => b.UseSetting("Incidents:AutoConfirm", "true"));
    }

    private static string Indicator(int n, string pattern, int confidence) =>
        $$"""{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{{n:D12}}","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":{{JsonSerializer.Serialize(pattern)}},"pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":{{confidence}}}""";

    private Task<JsonElement> UploadBundleAsync(string name, params string[] objects) => UploadBundleAsync(name, objects, _server.Operator);

    /// <summary>Uploads a STIX bundle of <paramref name="objects"/> to a new Upload source (GREEN) as <paramref name="operatorClient"/>; returns the retro-hunt it ran.</summary>
    private static async Task<JsonElement> UploadBundleAsync(string name, string[] objects, HttpClient operatorClient)
    {
        var ct = TestContext.Current.CancellationToken;
        var created = await operatorClient.PostAsJsonAsync("/api/v1/intel/sources", new { name = $"{name}-{Guid.NewGuid().ToString("N")[..8]}", kind = "Upload", defaultTlp = "GREEN" }, Json, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var source = (await created.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("id").GetGuid();
        var bundle = $$"""{"type":"bundle","id":"bundle--{{Guid.NewGuid()}}","objects":[{{string.Join(",", objects)}}]}""";
        var uploaded = await operatorClient.PostAsync($"/api/v1/intel/sources/{source}/files?name=bundle.json", new ByteArrayContent(Encoding.UTF8.GetBytes(bundle)), ct);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(ct));
        return (await uploaded.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("retroHunt");
    }

    /// <summary>An IIS request line as request evidence keeps it, with the referer column.</summary>
    private static JsonObject Iis(long line, string client, string method, string referer) => new()
    {
        ["file"] = "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log",
        ["line"] = line,
        ["timestamp"] = "2021-03-03T06:59:11Z",
        ["fields"] = new JsonObject
        {
            ["date"] = "2021-03-03",
            ["time"] = "06:59:11",
            ["s-ip"] = "10.0.0.5",
            ["cs-method"] = method,
            ["cs-uri-stem"] = "/ecp/y.js",
            ["s-port"] = "443",
            ["c-ip"] = client,
            ["cs(User-Agent)"] = "Mozilla/5.0+(Windows+NT+10.0)",
            ["cs(Referer)"] = referer,
            ["sc-status"] = "200",
        },
    };
}

public sealed class IntelRetroHuntServerSqliteTests(SqliteServer server) : IntelRetroHuntServerTests<SqliteServer>(server);

public sealed class IntelRetroHuntServerPostgresTests(PostgresServer server) : IntelRetroHuntServerTests<PostgresServer>(server);
