using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bulwark.Core.Findings;
using Bulwark.Data.Incidents;
using Bulwark.Server.Incidents;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>
/// ADR 7's 2026-11-28 note: an intel match on a value that is not an address (a user agent, a referer, a hash…) joins
/// the incident of the client address its lines came from, else an incident holding a finding on the same lines, within
/// the grouping window; otherwise it keeps its own key. On the samples with the starter intelligence: 16 incidents.
/// </summary>
public abstract class IncidentsIntelGroupingSamplesTests<TServer>(IntelHost<TServer> host) : IClassFixture<IntelHost<TServer>>
    where TServer : BulwarkServer, new()
{
    [Fact]
    public async Task The_samples_with_the_starter_intelligence_give_29_findings_in_16_incidents_the_user_agent_matches_with_their_clients()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await Members.CreateAsync(host.As, "Intel Grouping Samples Org");

        var id = await UploadAcceptedAsync(host.As(member.IngestToken), "exchange-server.zip", SamplesZip, ct);
        var upload = await WaitForUploadAsync(host.As(member.IngestToken), id, ct);

        Assert.Equal(("Done", 29), (upload.GetProperty("status").GetString(), upload.GetProperty("findings").GetInt32()));
        var groups = await IncidentsIntelGrouping.GroupsAsync(host.Server, member.Id, f => $"{f.DetectionId} {f.Subject}");
        Assert.Equal(16, groups.Count);
        Assert.Equal(16, (await IncidentsAsync(host.As(member.AdminToken), "", ct)).Count);
        Assert.Equal(
            [
                ("exchange.postexploit", "exchange-server.zip/ProgramData/it.zip", ["exchange.postexploit.staged-archive exchange-server.zip/ProgramData/it.zip"]),
                ("exchange.postexploit", "exchange-server.zip/Windows/Temp/lsass.dmp", ["exchange.postexploit.lsass-dump exchange-server.zip/Windows/Temp/lsass.dmp"]),
                ("exchange.posture", "15.1.2106.2", ["exchange.posture.missing-updates 15.1.2106.2"]),
                ("exchange.proxylogon", "Set-OabVirtualDirectory -ExternalUrl", ["exchange.proxylogon.ecp-vdir-script Set-OabVirtualDirectory -ExternalUrl"]),
                ("infrastructure", "104.140.114.110",
                [
                    "exchange.intel.attacker-ip 104.140.114.110",
                    "exchange.intel.attacker-user-agent 104.140.114.110",
                    "exchange.proxylogon.request 104.140.114.110",
                    "intel.indicator-match 104.140.114.110",
                    "intel.indicator-match DuckDuckBot/1.0; (+http://duckduckgo.com/duckduckbot.html)",
                ]),
                ("infrastructure", "130.255.189.21",
                [
                    "exchange.intel.attacker-user-agent 130.255.189.21",
                    "exchange.proxylogon.request 130.255.189.21",
                    "exchange.proxylogon.ssrf 130.255.189.21",
                    "exchange.proxylogon.ssrf-attempt 130.255.189.21",
                    "exchange.proxylogon.vdir-reset 130.255.189.21",
                    "intel.indicator-match ExchangeServicesClient/0.0.0.0",
                    // Seen from 198.51.100.77 on one line too: it joins the address most of its lines came from.
                    "intel.indicator-match python-requests/2.25.1",
                ]),
                ("infrastructure", "198.51.100.23", ["exchange.proxylogon.ssrf-attempt 198.51.100.23"]),
                ("infrastructure", "198.51.100.77", ["exchange.intel.attacker-user-agent 198.51.100.77", "exchange.proxylogon.ssrf 198.51.100.77"]),
                ("infrastructure", "203.0.113.45", ["exchange.proxyshell 203.0.113.45"]),
                ("infrastructure", "203.0.113.61", ["exchange.proxynotshell 203.0.113.61"]),
                ("infrastructure", "203.0.113.77", ["exchange.intel.attacker-user-agent 203.0.113.77", "intel.indicator-match antSword/v2.1"]),
                ("infrastructure", "203.0.113.99", ["exchange.owassrf 203.0.113.99"]),
                ("webshell", "/aspnet_client/system_web/discover.aspx", ["exchange.proxylogon.oab-file-write C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx", "exchange.webshell.request.known-name /aspnet_client/system_web/discover.aspx"]),
                ("webshell", "/aspnet_client/system_web/discover.aspx", ["exchange.webshell.content exchange-server.zip/inetpub/wwwroot/aspnet_client/system_web/discover.aspx"]),
                ("webshell", "/owa/auth/redirsuiteserverproxy.aspx", ["exchange.webshell.oab-vd-config exchange-server.zip/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx"]),
                ("webshell", "/owa/auth/redirsuiteserverproxy.aspx", ["exchange.webshell.request.known-name /owa/auth/redirsuiteserverproxy.aspx"]),
            ],
            groups.Select(g => (g.Family, g.GroupKey, g.Findings)));
        Assert.Equal(29, groups.Sum(g => g.Findings.Count));
    }
}

public sealed class IncidentsIntelGroupingSamplesSqliteTests(IntelHost<SqliteServer> host) : IncidentsIntelGroupingSamplesTests<SqliteServer>(host);

public sealed class IncidentsIntelGroupingSamplesPostgresTests(IntelHost<PostgresServer> host) : IncidentsIntelGroupingSamplesTests<PostgresServer>(host);

/// <summary>The rule on submitted findings: batch order, several addresses, stored findings on the same file, what is never joined.</summary>
public abstract class IncidentsIntelGroupingTests<TServer> : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private const string Agent = "Mozilla/5.0 (compatible; ReconBot/2.1)";

    private readonly TServer _server;

    protected IncidentsIntelGroupingTests(TServer server)
    {
        server.Settings["Ingestion:WorkerEnabled"] = "false";
        _server = server;
    }

    [Fact]
    public async Task A_user_agent_match_joins_the_incident_of_its_client_even_when_it_comes_first_in_the_batch()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Intel Grouping Order Org");

        // The intel match starts before the SSRF: grouped in time order alone, it would have opened an incident first.
        await SubmitAsync(_server.As(member.IngestToken), new JsonArray(
            IntelMatch("BW-7100000000000001", Agent, "2021-03-03T06:59:00Z", "2021-03-03T06:59:30Z", Line("Ecp/HttpProxy_1.LOG", 10, "2021-03-03T06:59:00Z", "192.0.2.170:51234"), Line("Ecp/HttpProxy_1.LOG", 12, "2021-03-03T06:59:30Z", "192.0.2.170")),
            Finding("BW-7100000000000002", "192.0.2.170")), ct);

        var groups = await IncidentsIntelGrouping.GroupsAsync(_server, member.Id, f => f.FindingId);
        Assert.Equal([("infrastructure", "192.0.2.170", (IReadOnlyList<string>)["BW-7100000000000001", "BW-7100000000000002"])], groups.Select(g => (g.Family, g.GroupKey, g.Findings)));
        var incident = Assert.Single(await IncidentsAsync(_server.As(member.AdminToken), "", ct));
        Assert.Equal(
            ("ProxyLogon server-side request forgery (CVE-2021-26855)", "Critical", "High", "2021-03-03T06:59:00.0000000+00:00", "2021-03-03T06:59:30.0000000+00:00"),
            (incident.GetProperty("title").GetString(), incident.GetProperty("severity").GetString(), incident.GetProperty("confidence").GetString(),
                incident.GetProperty("firstSeen").GetDateTimeOffset().ToString("O"), incident.GetProperty("lastSeen").GetDateTimeOffset().ToString("O")));
    }

    [Fact]
    public async Task A_match_seen_from_several_clients_joins_the_one_most_of_its_lines_came_from()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Intel Grouping Clients Org");
        var ingest = _server.As(member.IngestToken);
        await SubmitAsync(ingest, new JsonArray(Finding("BW-7200000000000001", "192.0.2.171"), Finding("BW-7200000000000002", "192.0.2.172")), ct);

        await SubmitAsync(ingest, new JsonArray(IntelMatch(
            "BW-7200000000000003",
            Agent,
            "2021-03-03T06:59:00Z",
            "2021-03-03T07:10:00Z",
            Line("Ecp/HttpProxy_1.LOG", 20, "2021-03-03T06:59:00Z", "192.0.2.171"),
            Line("Ecp/HttpProxy_1.LOG", 21, "2021-03-03T07:00:00Z", "192.0.2.172"),
            Line("Ecp/HttpProxy_1.LOG", 22, "2021-03-03T07:10:00Z", "192.0.2.172"))), ct);

        Assert.Equal(
            [("infrastructure", "192.0.2.171", (IReadOnlyList<string>)["BW-7200000000000001"]), ("infrastructure", "192.0.2.172", ["BW-7200000000000002", "BW-7200000000000003"])],
            (await IncidentsIntelGrouping.GroupsAsync(_server, member.Id, f => f.FindingId)).Select(g => (g.Family, g.GroupKey, g.Findings)));
    }

    [Fact]
    public async Task A_hash_match_joins_the_incident_of_a_stored_finding_on_the_same_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Intel Grouping File Org");
        var ingest = _server.As(member.IngestToken);
        // Backslashes, '+' and a non-ASCII letter: the stored JSON escapes all three.
        const string Path = "C:\\inetpub\\wwwroot\\aspnet_client\\système+1.aspx";
        const string Hash = "5f2b8c1d0e9a7b6c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";
        var shell = Finding("BW-7300000000000001", Path, "exchange.webshell.content", firstSeen: "2021-03-04T03:00:00Z", lastSeen: "2021-03-04T03:00:00Z");
        shell["evidence"] = new JsonArray(FileLine(Path, "2021-03-04T03:00:00Z", new JsonObject { ["path"] = Path, ["size"] = "2270", ["reason"] = "known web shell content" }));
        await SubmitAsync(ingest, new JsonArray(shell), ct);

        await SubmitAsync(ingest, new JsonArray(
            IntelMatch("BW-7300000000000002", Hash, "2021-03-04T03:00:00Z", "2021-03-04T03:00:00Z", FileLine(Path, "2021-03-04T03:00:00Z", new JsonObject { ["path"] = Path, ["sha256"] = Hash })),
            // The same hash on another file, and a line that no stored finding holds: its own incident.
            IntelMatch("BW-7300000000000003", Hash.Replace('5', '6'), "2021-03-04T03:00:00Z", "2021-03-04T03:00:00Z", FileLine("C:\\inetpub\\wwwroot\\aspnet_client\\other.aspx", "2021-03-04T03:00:00Z", new JsonObject { ["sha256"] = Hash.Replace('5', '6') }))), ct);

        Assert.Equal(
            [
                ("intel", Hash.Replace('5', '6'), (IReadOnlyList<string>)["BW-7300000000000003"]),
                ("webshell", "/aspnet_client/système+1.aspx", ["BW-7300000000000001", "BW-7300000000000002"]),
            ],
            (await IncidentsIntelGrouping.GroupsAsync(_server, member.Id, f => f.FindingId)).Select(g => (g.Family, g.GroupKey, g.Findings)));
    }

    [Fact]
    public async Task A_dismissed_incident_an_incident_outside_the_window_and_a_client_that_is_no_address_are_not_followed()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Intel Grouping Closed Org");
        var ingest = _server.As(member.IngestToken);
        var other = Finding("BW-7400000000000003", "192.0.2.176");
        other["evidence"] = new JsonArray(Line("Ecp/HttpProxy_2.LOG", 7, "2021-03-03T06:59:11.840Z", "192.0.2.176"));
        await SubmitAsync(ingest, new JsonArray(
            Finding("BW-7400000000000001", "192.0.2.173"),
            Finding("BW-7400000000000002", "192.0.2.174", firstSeen: "2021-02-01T00:00:00Z", lastSeen: "2021-02-01T01:00:00Z"),
            other), ct);
        var dismissed = (await IncidentsAsync(_server.As(member.AdminToken), "", ct)).Single(i => i.GetProperty("groupKey").GetString() == "192.0.2.173");
        (await _server.Operator.PostAsJsonAsync($"/api/v1/incidents/{dismissed.GetProperty("id").GetGuid()}/dismiss", new { reason = "scanner of ours" }, Json, ct)).EnsureSuccessStatusCode();

        await SubmitAsync(ingest, new JsonArray(
            // On the dismissed SSRF's own lines (which the one a month earlier holds too): neither its client nor its
            // lines reopen it.
            IntelMatch("BW-7400000000000004", "agent-a", "2021-03-03T06:59:11.840Z", "2021-03-03T06:59:23.288Z", Line("Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 11, "2021-03-03T06:59:11.840Z", "192.0.2.173")),
            // A month after the incident of its client: outside the 7-day window.
            IntelMatch("BW-7400000000000005", "agent-b", "2021-03-03T06:59:00Z", "2021-03-03T06:59:00Z", Line("Ecp/HttpProxy_2.LOG", 5, "2021-03-03T06:59:00Z", "192.0.2.174")),
            // Octets with leading zeros do not name 192.0.2.176.
            IntelMatch("BW-7400000000000006", "agent-c", "2021-03-03T06:59:00Z", "2021-03-03T06:59:00Z", Line("Ecp/HttpProxy_2.LOG", 6, "2021-03-03T06:59:00Z", "192.000.002.176"))), ct);

        Assert.Equal(
            [
                ("infrastructure", "192.0.2.173", "Dismissed", (IReadOnlyList<string>)["BW-7400000000000001"]),
                ("infrastructure", "192.0.2.174", "Unconfirmed", ["BW-7400000000000002"]),
                ("infrastructure", "192.0.2.176", "Unconfirmed", ["BW-7400000000000003"]),
                ("intel", "agent-a", "Unconfirmed", ["BW-7400000000000004"]),
                ("intel", "agent-b", "Unconfirmed", ["BW-7400000000000005"]),
                ("intel", "agent-c", "Unconfirmed", ["BW-7400000000000006"]),
            ],
            (await IncidentsIntelGrouping.GroupsAsync(_server, member.Id, f => f.FindingId)).Select(g => (g.Family, g.GroupKey, g.Status, g.Findings)));
    }

    [Fact]
    public async Task An_ipv6_client_with_a_port_joins_the_incident_of_its_canonical_address()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await _server.CreateMemberAsync("Intel Grouping IPv6 Org");
        var ingest = _server.As(member.IngestToken);
        await SubmitAsync(ingest, new JsonArray(Finding("BW-7500000000000001", "2001:DB8::0:5")), ct);

        await SubmitAsync(ingest, new JsonArray(IntelMatch("BW-7500000000000002", Agent, "2021-03-03T07:00:00Z", "2021-03-03T07:00:00Z", Line("Ecp/HttpProxy_3.LOG", 3, "2021-03-03T07:00:00Z", "[2001:db8::5]:443"))), ct);

        Assert.Equal(
            [("infrastructure", "2001:db8::5", (IReadOnlyList<string>)["BW-7500000000000001", "BW-7500000000000002"])],
            (await IncidentsIntelGrouping.GroupsAsync(_server, member.Id, f => f.FindingId)).Select(g => (g.Family, g.GroupKey, g.Findings)));
    }

    private static JsonObject IntelMatch(string id, string subject, string firstSeen, string lastSeen, params JsonObject[] lines)
    {
        var finding = Finding(id, subject, "intel.indicator-match", "high", "medium", firstSeen, lastSeen);
        finding["title"] = "Activity matching a threat-intelligence indicator";
        finding["evidence"] = new JsonArray(lines);
        finding["evidenceCount"] = lines.Length;
        return finding;
    }

    private static JsonObject Line(string file, long line, string timestamp, string client) => new()
    {
        ["file"] = file,
        ["line"] = line,
        ["timestamp"] = timestamp,
        ["fields"] = new JsonObject { ["UrlStem"] = "/ecp/y.js", ["ClientIpAddress"] = client, ["UserAgent"] = Agent },
    };

    private static JsonObject FileLine(string path, string timestamp, JsonObject fields) => new()
    {
        ["file"] = path,
        ["line"] = 0,
        ["timestamp"] = timestamp,
        ["fields"] = fields,
    };
}

public sealed class IncidentsIntelGroupingSqliteTests(SqliteServer server) : IncidentsIntelGroupingTests<SqliteServer>(server);

public sealed class IncidentsIntelGroupingPostgresTests(PostgresServer server) : IncidentsIntelGroupingTests<PostgresServer>(server);

/// <summary>The parts of the rule on their own: which findings follow their evidence, what a client column names, the worse finding.</summary>
public sealed class IncidentsIntelGroupingRulesTests
{
    [Theory]
    [InlineData("intel.indicator-match", "Mozilla/5.0 (compatible; ReconBot/2.1)", true)]
    [InlineData("intel.indicator-match", "5f2b8c1d0e9a7b6c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c", true)]
    [InlineData("intel.indicator-match", "/aspnet_client/system_web/discover.aspx", true)]
    [InlineData("intel.indicator-match", "130.255.189.21", false)]
    [InlineData("intel.indicator-match", "2001:db8::5", false)]
    [InlineData("exchange.intel.attacker-user-agent", "Mozilla/5.0 (compatible; ReconBot/2.1)", false)]
    [InlineData("exchange.webshell.probe", "/owa/auth/x.aspx", false)]
    public void Only_an_intel_match_on_a_value_that_is_not_an_address_follows_its_evidence(string detection, string subject, bool follows)
    {
        Assert.Equal(follows, IncidentGrouping.FollowsEvidence(detection, IncidentGrouping.KeyOf(detection, subject)));
    }

    [Theory]
    [InlineData("c-ip", "130.255.189.21", "130.255.189.21")]
    [InlineData("ClientIpAddress", "130.255.189.21:51234", "130.255.189.21")]
    [InlineData("ClientIpAddress", "[2001:DB8::0:5]:443", "2001:db8::5")]
    [InlineData("c-ip", "2001:db8::5", "2001:db8::5")]
    [InlineData("c-ip", "::ffff:203.0.113.45", "203.0.113.45")]
    [InlineData("c-ip", "010.1.1.1", null)]
    [InlineData("c-ip", "15.1.2106", null)]
    [InlineData("c-ip", "-", null)]
    [InlineData("c-ip", "", null)]
    [InlineData("c-ip", "[2001:db8::5", null)]
    [InlineData("c-ip", "not an address", null)]
    [InlineData("s-ip", "10.0.0.5", null)]
    [InlineData("client", "130.255.189.21", null)]
    public void The_client_of_a_line_is_read_from_its_client_column_only_and_must_be_an_address(string column, string value, string? address)
    {
        Assert.Equal(address, IncidentGrouping.EvidenceAddress(new Dictionary<string, string> { [column] = value }));
    }

    [Fact]
    public void A_client_column_of_megabytes_names_no_address()
    {
        Assert.Null(IncidentGrouping.EvidenceAddress(new Dictionary<string, string> { ["c-ip"] = new('1', 1 << 20) }));
    }

    [Fact]
    public void An_incident_takes_the_worse_findings_title_severity_and_confidence_and_keeps_its_own_among_equals()
    {
        var incident = new Incident { Family = "infrastructure", GroupKey = "192.0.2.1", Title = "first", Severity = Severity.Critical, Confidence = Confidence.Medium };

        Assert.False(IncidentGrouping.TakeWorse(incident, "as bad", Severity.Critical, Confidence.Medium));
        Assert.False(IncidentGrouping.TakeWorse(incident, "less severe, more certain", Severity.High, Confidence.High));
        Assert.Equal(("first", Severity.Critical, Confidence.Medium), (incident.Title, incident.Severity, incident.Confidence));
        Assert.True(IncidentGrouping.TakeWorse(incident, "more certain", Severity.Critical, Confidence.High));
        Assert.Equal(("more certain", Severity.Critical, Confidence.High), (incident.Title, incident.Severity, incident.Confidence));
    }
}

internal static class IncidentsIntelGrouping
{
    /// <summary>An organisation's incidents with the findings each holds (named by <paramref name="name"/>, in order), ordered by key then first finding.</summary>
    public static async Task<List<(string Family, string GroupKey, string Status, IReadOnlyList<string> Findings)>> GroupsAsync(
        BulwarkServer server, Guid organisation, Func<Data.Ingestion.FindingRecord, string> name)
    {
        var ct = TestContext.Current.CancellationToken;
        var (incidents, findings) = await WithDatabaseAsync(server, async db => (
            await db.Incidents.AsNoTracking().Where(i => i.OrganisationId == organisation).ToListAsync(ct),
            await db.Findings.AsNoTracking().Where(f => f.OrganisationId == organisation).ToListAsync(ct)));
        return [.. incidents
            .Select(i => (i.Family, i.GroupKey, Status: i.Status.ToString(), Findings: (IReadOnlyList<string>)[.. findings.Where(f => f.IncidentId == i.Id).Select(name).Order(StringComparer.Ordinal)]))
            .OrderBy(g => g.Family, StringComparer.Ordinal)
            .ThenBy(g => g.GroupKey, StringComparer.Ordinal)
            .ThenBy(g => g.Findings.FirstOrDefault(), StringComparer.Ordinal)];
    }
}
