using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Exchange;
using Bulwark.Core.Sources.Iis;
using Bulwark.Core.Sources.Text;
using Bulwark.Core.Tests.Detection.Files;
using static Bulwark.Core.Tests.Support.LogBuilder;

namespace Bulwark.Core.Tests.Intel.Evaluation;

/// <summary>Real IIS and HttpProxy lines, parsed by Bulwark's readers, turned into observations and matched.</summary>
public sealed class EventObservationsTests
{
    private const string IisWithHost =
        "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status time-taken";

    private const string Tool = "python-requests/2.25.1";
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.82 Safari/537.36";

    private static List<LogEvent> Iis(string text) => Parse(W3cFormat.Instance, new LogFileState(Support.Scan.Iis, null), text);

    private static List<LogEvent> Proxy(string text) => Parse(HttpProxyFormat.Instance, new LogFileState(Support.Scan.HttpProxyEcp, "Ecp"), text);

    private static List<LogEvent> Parse(LogFormat format, LogFileState state, string text)
    {
        var events = new List<LogEvent>();
        var number = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            number++;
            if (line.StartsWith('#'))
            {
                format.OnDirective(line, number, state);
                continue;
            }

            events.Add(format.Parse(line, number, state, out var error) ?? throw new InvalidOperationException(error));
        }

        return events;
    }

    private static string HostLine(string time, string method, string stem, string query, string client, string agent, string user = "-", string host = "mail.contoso.com", int port = 443) =>
        $"2021-03-03 {time} 10.0.0.5 {method} {stem} {(query.Length == 0 ? "-" : query)} {port} {user} {client} HTTP/1.1 {agent.Replace(' ', '+')} - {host} 200 0 0 15\n";

    private static List<Observation> Observations(IEnumerable<LogEvent> events) => [.. events.Select(e => EventObservations.FromRequest(e)!)];

    private static string[] Describe(Observation observation) =>
        [.. Enumerable.Range(0, observation.ObjectCount).Select(i => observation[i].Reference + " " + observation[i].Object)];

    [Fact]
    public void An_iis_line_gives_addresses_host_url_traffic_and_account()
    {
        var e = Assert.Single(Iis(IisHeader(IisWithHost) + HostLine("07:39:04", "POST", "/ecp/DDI/DDIService.svc/SetObject", "schema=ResetOABVirtualDirectory", "198.51.100.7", Tool, user: "CONTOSO\\admin")));

        var observation = EventObservations.FromRequest(e)!;

        Assert.Equal(new DateTimeOffset(2021, 3, 3, 7, 39, 4, TimeSpan.Zero), observation.FirstObserved);
        Assert.Equal(observation.FirstObserved, observation.LastObserved);
        Assert.Equal(1, observation.Count);
        Assert.Equal(
            [
                "0 ipv4-addr {value: '198.51.100.7'}",
                "1 ipv4-addr {value: '10.0.0.5'}",
                "2 domain-name {value: 'mail.contoso.com'}",
                "3 url {value: 'https://mail.contoso.com/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory'}",
                "4 network-traffic {src_ref: '0', dst_ref: '1', dst_port: 443, protocols: ['tcp', 'https'], start: 2021-03-03T07:39:04Z, extensions: {http-request-ext: {request_method: 'post', request_value: '/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory', request_version: 'http/1.1', request_header: {User-Agent: 'python-requests/2.25.1', Host: 'mail.contoso.com'}}}}",
                "5 user-account {account_login: 'CONTOSO\\admin'}",
            ],
            Describe(observation));
    }

    [Fact]
    public void An_httpproxy_row_gives_host_as_destination_and_an_email_account()
    {
        var row = HttpProxyRow(
            ("DateTime", "2021-03-03T07:39:04.123Z"),
            ("UrlHost", "Mail.Contoso.com"),
            ("UrlStem", "/ecp/y.js"),
            ("UrlQuery", "?msExchEcpCanary=x"),
            ("AuthenticatedUser", "admin@contoso.com"),
            ("UserAgent", Browser),
            ("ClientIpAddress", "::ffff:198.51.100.7"),
            ("HttpStatus", "200"),
            ("Method", "GET"));
        var e = Assert.Single(Proxy(HttpProxyHeader() + row));

        var observation = EventObservations.FromRequest(e)!;

        Assert.Equal(
            [
                "0 ipv4-addr {value: '198.51.100.7'}",
                "1 domain-name {value: 'mail.contoso.com'}",
                "2 url {value: 'https://mail.contoso.com/ecp/y.js?msExchEcpCanary=x'}",
                "3 network-traffic {src_ref: '0', dst_ref: '1', protocols: ['tcp', 'https'], start: 2021-03-03T07:39:04.123Z, extensions: {http-request-ext: {request_method: 'get', request_value: '/ecp/y.js?msExchEcpCanary=x', request_header: {User-Agent: '" + Browser + "', Host: 'mail.contoso.com'}}}}",
                "4 user-account {account_login: 'admin@contoso.com'}",
                "5 email-addr {value: 'admin@contoso.com', belongs_to_ref: '4'}",
            ],
            Describe(observation));
        Stix.Matches("[email-addr:value = 'admin@contoso.com' AND email-addr:belongs_to_ref.account_login = 'admin@contoso.com']", [observation]);
        Stix.Matches("[network-traffic:dst_ref.value = 'mail.contoso.com' AND network-traffic:extensions.'http-request-ext'.request_method = 'get']", [observation]);
    }

    [Fact]
    public void Default_iis_fields_give_a_url_on_the_server_address_and_plain_port()
    {
        var e = Assert.Single(Iis(IisHeader() + IisLine("07:39:04", "GET", "/owa/auth/x.js", "", "2001:db8::7", Browser, 200)));

        var observation = EventObservations.FromRequest(e)!;

        Assert.Equal("0 ipv6-addr {value: '2001:db8::7'}", Describe(observation)[0]);
        Assert.Equal("2 url {value: 'https://10.0.0.5/owa/auth/x.js'}", Describe(observation)[2]);
        Stix.Matches("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = '" + Browser + "']", [observation]);
        Stix.Matches("[ipv6-addr:value ISSUBSET '2001:db8::/32']", [observation]);
        Stix.DoesNotMatch("[user-account:account_login = '-']", [observation]);
    }

    [Theory]
    [InlineData(80, "http://mail.contoso.com/ecp/")]
    [InlineData(443, "https://mail.contoso.com/ecp/")]
    [InlineData(444, "https://mail.contoso.com:444/ecp/")]
    public void The_url_scheme_follows_the_server_port(int port, string url)
    {
        var e = Assert.Single(Iis(IisHeader(IisWithHost) + HostLine("07:39:04", "GET", "/ecp/", "", "198.51.100.7", Browser, port: port)));

        var observation = EventObservations.FromRequest(e)!;

        Stix.Matches($"[url:value = '{url}']", [observation]);
    }

    [Fact]
    public void Traffic_to_a_server_from_a_known_tool_matches_and_other_tools_do_not()
    {
        var events = Iis(IisHeader(IisWithHost)
            + HostLine("07:39:04", "POST", "/ecp/y.js", "", "198.51.100.7", Tool)
            + HostLine("07:39:05", "GET", "/owa/", "", "198.51.100.8", Browser));
        var observations = Observations(events);
        const string Pattern = "[network-traffic:dst_ref.value = '10.0.0.5' AND network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'python-requests/2.25.1']";

        var result = Stix.Run(Pattern, observations);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal([0], result.Observations);
        Stix.DoesNotMatch(Pattern, [observations[1]]);
        // The same two values on different objects of one request: AND inside brackets needs one object.
        Stix.DoesNotMatch("[ipv4-addr:value = '10.0.0.5' AND network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'python-requests/2.25.1']", observations);
    }

    [Fact]
    public void A_client_range_matches_by_subset()
    {
        var observations = Observations(Iis(IisHeader()
            + IisLine("07:39:04", "GET", "/owa/", "", "203.0.113.9", Browser, 200)
            + IisLine("07:39:05", "GET", "/owa/", "", "198.51.100.77", Browser, 200)));

        var result = Stix.Run("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", observations);

        Assert.Equal([1], result.Observations);
        Stix.DoesNotMatch("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", [observations[0]]);
        Stix.Matches("[network-traffic:src_ref.value NOT ISSUBSET '198.51.100.0/24']", [observations[0]]);
    }

    [Fact]
    public void A_known_address_followed_by_ecp_within_ten_minutes_matches_the_sequence()
    {
        const string Pattern = "([ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [url:value LIKE '%/ecp/%']) WITHIN 600 SECONDS";
        var events = Iis(IisHeader(IisWithHost)
            + HostLine("07:30:00", "GET", "/owa/auth/logon.aspx", "", "198.51.100.7", Browser)
            + HostLine("07:31:00", "GET", "/owa/", "", "10.0.0.31", Browser)
            + HostLine("07:38:59", "POST", "/ecp/DDI/DDIService.svc/GetList", "", "10.0.0.32", Tool));

        var result = Stix.Run(Pattern, Observations(events));

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal([(0, 0), (1, 2)], result.Bindings.Select(b => (b.ExpressionIndex, b.Observation)));
    }

    [Theory]
    [InlineData("07:40:01")] // eleven minutes later: outside the window
    [InlineData("07:29:59")] // the ECP request came first
    public void The_sequence_does_not_match_outside_the_window_or_in_the_wrong_order(string ecpTime)
    {
        const string Pattern = "([ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [url:value LIKE '%/ecp/%']) WITHIN 600 SECONDS";
        var events = Iis(IisHeader(IisWithHost)
            + HostLine("07:30:00", "GET", "/owa/auth/logon.aspx", "", "198.51.100.7", Browser)
            + HostLine(ecpTime, "POST", "/ecp/DDI/DDIService.svc/GetList", "", "10.0.0.32", Tool));

        Stix.DoesNotMatch(Pattern, Observations(events));
    }

    [Fact]
    public void Missing_and_malformed_columns_are_left_out()
    {
        var e = Assert.Single(Iis(IisHeader(IisWithHost) + "2021-03-03 07:39:04 - GET /owa/ - - - not-an-ip - - - - 200 0 0 15\n"));

        var observation = EventObservations.FromRequest(e)!;

        Assert.Equal(
            ["0 network-traffic {protocols: ['tcp', 'https'], start: 2021-03-03T07:39:04Z, extensions: {http-request-ext: {request_method: 'get', request_value: '/owa/', request_header: {}}}}"],
            Describe(observation));
    }

    [Fact]
    public void An_event_that_is_not_a_request_gives_no_observation()
    {
        var e = new LogEvent(LogKind.EcpServer, "ecp.log", 1, new LogSchema(["DateTime"]), ["2021-03-03T07:39:04Z"], "2021-03-03T07:39:04Z", null, null);

        Assert.Null(EventObservations.FromRequest(e));
    }

    [Fact]
    public void A_scanned_file_gives_file_and_directory()
    {
        var facts = FileFactsBuilder.Of("inetpub/wwwroot/aspnet_client/shell.aspx", "<%@ Page Language=\"Jscript\"%>");

        var observation = EventObservations.FromFile(facts);

        Assert.Equal(FileFactsBuilder.Written, observation.FirstObserved);
        Assert.Equal(
            [
                $"0 file {{name: 'shell.aspx', size: {facts.Length}, hashes: {{SHA-256: '{facts.Sha256}'}}, mtime: 2021-03-03T04:05:06Z, parent_directory_ref: '1'}}",
                "1 directory {path: 'inetpub/wwwroot/aspnet_client'}",
            ],
            Describe(observation));
        Stix.Matches($"[file:hashes.'SHA-256' = '{facts.Sha256!.ToUpperInvariant()}' AND file:parent_directory_ref.path LIKE '%/aspnet_client']", [observation]);
        Stix.Matches($"[file:name = 'shell.aspx' AND file:size = {facts.Length}]", [observation]);
        Stix.DoesNotMatch("[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']", [observation]);
    }

    [Fact]
    public void File_digests_and_time_are_used_as_known()
    {
        var facts = new FileFacts { Path = "shell.aspx", Length = 3, Md5 = "79054025255fb1a26e4bc422aef54eb4", Sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709" };
        var at = new DateTimeOffset(2021, 3, 3, 9, 0, 0, TimeSpan.Zero);

        var observation = EventObservations.FromFile(facts, at);

        Assert.Equal(at, observation.FirstObserved);
        Assert.Equal(["0 file {name: 'shell.aspx', size: 3, hashes: {SHA-1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', MD5: '79054025255fb1a26e4bc422aef54eb4'}}"], Describe(observation));
        Stix.Matches("[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4' OR file:hashes.'SHA-1' = 'x']", [observation]);
    }

    [Fact]
    public void A_web_shell_written_then_requested_matches_across_files_and_requests()
    {
        var file = EventObservations.FromFile(FileFactsBuilder.Of("inetpub/wwwroot/aspnet_client/shell.aspx", "x"));
        var requests = Observations(Iis(IisHeader(IisWithHost)
            + HostLine("04:00:00", "POST", "/aspnet_client/shell.aspx", "", "198.51.100.7", Tool)
            + HostLine("04:10:00", "POST", "/aspnet_client/shell.aspx", "", "198.51.100.7", Tool)));
        const string Pattern = "([file:name = 'shell.aspx'] FOLLOWEDBY [url:value LIKE '%/aspnet_client/shell.aspx']) WITHIN 3600 SECONDS";

        var result = Stix.Run(Pattern, [requests[0], file, requests[1]]);

        Assert.Equal(MatchOutcome.Match, result.Outcome);
        Assert.Equal([(0, 1), (1, 2)], result.Bindings.Select(b => (b.ExpressionIndex, b.Observation)));
    }

    [Fact]
    public void The_sample_servers_iis_day_shows_the_proxylogon_client_switching_tools()
    {
        var lines = File.ReadAllText(SampleIisLog("u_ex210303.log")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var observations = Observations(Iis(lines));
        const string Switch =
            "([network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'ExchangeServicesClient/0.0.0.0']" +
            " FOLLOWEDBY [network-traffic:src_ref.value = '130.255.189.21' AND network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'python-requests/2.25.1'])" +
            " WITHIN 10 SECONDS";

        var result = Stix.Run(Switch, observations);
        var burst = Stix.Run("[url:value LIKE '%/ecp/y.js' AND network-traffic:src_ref.value = '130.255.189.21'] REPEATS 4 TIMES WITHIN 60 SECONDS", observations);
        var burstOfTraffic = Stix.Run("[network-traffic:extensions.'http-request-ext'.request_value LIKE '/ecp/y.js%' AND network-traffic:src_ref.value = '130.255.189.21'] REPEATS 4 TIMES WITHIN 60 SECONDS", observations);

        Assert.Equal(520, observations.Count);
        Assert.Equal(MatchOutcome.Match, result.Outcome);
        // Lines 56 and 57 of the file (four directive lines before the first request).
        Assert.Equal([51, 52], result.Observations);
        // url and network-traffic are different objects: AND inside one bracket needs one object.
        Assert.Equal(MatchOutcome.NoMatch, burst.Outcome);
        Assert.Equal(MatchOutcome.Match, burstOfTraffic.Outcome);
        Assert.Equal(4, burstOfTraffic.Observations.Count);
    }

    private static string SampleIisLog(string name, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source)! })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var path = Path.Combine(directory.FullName, "samples", "exchange-server", "inetpub", "logs", "LogFiles", "W3SVC1", name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        Assert.Skip($"samples/exchange-server not found above {AppContext.BaseDirectory}");
        return "";
    }
}
