using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;

namespace Bulwark.Core.Tests.Intel.Matching;

/// <summary>
/// <see cref="RetroHunt"/> and <see cref="PatternConfirmer"/> on kept evidence: referers are matched as the scan
/// matches them (URL and domain, in the columns the evidence kept), and an indicator whose pattern is more than its
/// values is confirmed by evaluating the pattern on the evidence that hit one of its values, with only what that
/// evidence kept.
/// </summary>
public sealed class RetroHuntTests
{
    private const string Sha256 = "0d3e4c1b8f0a2c7d9e5b6a4f3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d";

    private const string Bundle = """
        {"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":[
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000101","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[domain-name:value = 'owa-cdn.example']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":75},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000102","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[url:value = 'https://stage.example/drop/p.js']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":75},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000103","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","name":"Posts from the exploit client","pattern":"[network-traffic:src_ref.value = '203.0.113.80' AND network-traffic:extensions.'http-request-ext'.request_method = 'post']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":80},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000104","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[network-traffic:src_ref.value = '203.0.113.81' AND network-traffic:extensions.'http-request-ext'.request_header.'Host' = 'mail.contoso.com']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":80},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000105","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[file:hashes.'SHA-256' = '0d3e4c1b8f0a2c7d9e5b6a4f3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d' AND file:name = 'errorfe.aspx']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":90},
        {"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000106","created":"2021-03-01T00:00:00.000Z","modified":"2021-03-01T00:00:00.000Z","pattern":"[network-traffic:src_ref.value = '203.0.113.82' AND network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' LIKE 'Mozilla/5.0 (Windows, \"x\")%' AND network-traffic:extensions.'http-request-ext'.request_value LIKE '/ecp/%']","pattern_type":"stix","valid_from":"2021-03-01T00:00:00Z","confidence":80}
        ]}
        """;

    private static readonly DateTimeOffset At = new(2021, 3, 3, 6, 59, 11, TimeSpan.Zero);

    private static IntelSet Intel()
    {
        var catalog = new IntelCatalog();
        var source = new IntelSource("partner", IntelFormat.StixBundle) { Title = "Partner CERT", DefaultTlp = Tlp.Green };
        StixReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Bundle)), "partner.json", source, catalog);
        Assert.Empty(catalog.Problems);
        return IntelLoader.Build(catalog);
    }

    private static Evidence Iis(long line, string client, string method = "GET", string referer = "-", string agent = "-") => new(
        "W3SVC1/u_ex210303.log",
        line,
        At,
        new Dictionary<string, string>
        {
            ["date"] = "2021-03-03",
            ["time"] = "06:59:11",
            ["s-ip"] = "10.0.0.5",
            ["cs-method"] = method,
            ["cs-uri-stem"] = "/owa/auth/logon.aspx",
            ["s-port"] = "443",
            ["c-ip"] = client,
            ["cs(User-Agent)"] = agent,
            ["cs(Referer)"] = referer,
            ["sc-status"] = "200",
        });

    private static Finding Finding(string id, string subject, params Evidence[] evidence) =>
        new(id, "exchange.proxylogon.ssrf", "t", Severity.Critical, Confidence.Medium, [], [], At, At, evidence, evidence.Length, "r", "s", subject);

    private static IntelIndicator Indicator(IntelSet intel, int n) => intel.Catalog.GetIndicator($"indicator--00000000-0000-4000-8000-{n:D12}")!;

    [Fact]
    public void A_referer_kept_in_iis_evidence_is_matched_by_domain_and_by_url_as_the_scan_matches_it()
    {
        var result = new RetroHunt(Intel()).Hunt([
            Finding("BW-a", "203.0.113.90", Iis(20, "203.0.113.90", referer: "https://owa-cdn.example/owa/auth/x.js")),
            Finding("BW-b", "203.0.113.91", Iis(21, "203.0.113.91", referer: "https://stage.example/drop/p.js"))]);

        Assert.Equal(
            [("https://stage.example/drop/p.js", 21L, "cs(Referer)", "url https://stage.example/drop/p.js"), ("owa-cdn.example", 20L, "cs(Referer)", "domain owa-cdn.example")],
            result.Found.Select(f => (f.Subject, f.Evidence.Single().Line, f.Evidence.Single().Fields[IntelEvidence.SeenIn], f.Evidence.Single().Fields[IntelEvidence.Indicator]))
                .OrderBy(x => x.Subject, StringComparer.Ordinal));
        Assert.Equal(["BW-a", "BW-b"], result.Attributed.Select(f => f.Id));
        Assert.All(result.Attributed, f => Assert.Equal((Confidence.High, Tlp.Green), (f.Confidence, f.Tlp)));
    }

    [Fact]
    public void A_referer_column_alone_still_reads_the_evidence_as_an_iis_request()
    {
        var evidence = new Evidence("W3SVC1/u_ex210303.log", 9, At, new Dictionary<string, string> { ["cs(Referer)"] = "http://owa-cdn.example/" });

        var found = Assert.Single(new RetroHunt(Intel()).Hunt([Finding("BW-r", "x", evidence)]).Found);

        Assert.Equal(("owa-cdn.example", "cs(Referer)"), (found.Subject, found.Evidence[0].Fields[IntelEvidence.SeenIn]));
    }

    [Fact]
    public void A_complex_pattern_is_confirmed_on_the_evidence_that_hit_its_value_and_rejected_on_the_rest()
    {
        var post = Iis(30, "203.0.113.80", method: "POST");
        var get = Iis(31, "203.0.113.80", method: "GET");

        var result = new RetroHunt(Intel()).Hunt([Finding("BW-post", "203.0.113.80", post), Finding("BW-get", "203.0.113.80", get)]);

        var found = Assert.Single(result.Found);
        Assert.Equal(("203.0.113.80", 1, 30L), (found.Subject, found.Evidence.Count, found.Evidence[0].Line));
        Assert.Equal(("indicator--00000000-0000-4000-8000-000000000103", "c-ip"), (found.Evidence[0].Fields[IntelEvidence.IndicatorId], found.Evidence[0].Fields[IntelEvidence.SeenIn]));
        Assert.Equal(["BW-post"], result.Attributed.Select(f => f.Id));
        Assert.Equal(Confidence.High, result.Attributed[0].Confidence);
    }

    [Fact]
    public void A_pattern_that_needs_a_column_the_evidence_did_not_keep_is_rejected()
    {
        // The Host header comes from cs-host, which request evidence does not keep.
        var result = new RetroHunt(Intel()).Hunt([Finding("BW-host", "203.0.113.81", Iis(40, "203.0.113.81"))]);

        Assert.Empty(result.Found);
        Assert.Empty(result.Attributed);
    }

    [Fact]
    public void HttpProxy_evidence_is_read_with_its_own_format_quotes_and_commas_included()
    {
        var intel = Intel();
        var indicator = Indicator(intel, 106);
        Evidence Proxy(string stem) => new("HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 12, At, new Dictionary<string, string>
        {
            ["DateTime"] = "2021-03-03T06:59:11.840Z",
            ["UrlStem"] = stem,
            ["Method"] = "POST",
            ["ClientIpAddress"] = "203.0.113.82:51234",
            ["UserAgent"] = "Mozilla/5.0 (Windows, \"x\") Gecko",
            [IntelEvidence.Indicator] = "address 203.0.113.82",
        });

        var confirmer = new PatternConfirmer();

        Assert.True(confirmer.Confirm(indicator, Proxy("/ecp/DDI/DDIService.svc/GetList")));
        Assert.False(confirmer.Confirm(indicator, Proxy("/owa/auth/logon.aspx")));
        var found = Assert.Single(new RetroHunt(intel).Hunt([Finding("BW-proxy", "203.0.113.82", Proxy("/ecp/y.js"))]).Found);
        Assert.Equal(("203.0.113.82", "ClientIpAddress"), (found.Subject, found.Evidence[0].Fields[IntelEvidence.SeenIn]));
    }

    [Fact]
    public void File_evidence_is_evaluated_as_the_file_it_kept_and_needs_its_size()
    {
        var intel = Intel();
        var indicator = Indicator(intel, 105);
        Evidence File(string path, string? size)
        {
            var fields = new Dictionary<string, string> { ["path"] = path, ["sha256"] = Sha256 };
            if (size is not null)
            {
                fields["size"] = size;
            }

            return new(path, 0, At, fields);
        }

        var confirmer = new PatternConfirmer();

        Assert.True(confirmer.Confirm(indicator, File("Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/errorfe.aspx", "2270")));
        Assert.False(confirmer.Confirm(indicator, File("Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/other.aspx", "2270")));
        Assert.False(confirmer.Confirm(indicator, File("inetpub/wwwroot/aspnet_client/errorfe.aspx", null)));
        Assert.False(confirmer.Confirm(indicator, File("inetpub/wwwroot/aspnet_client/errorfe.aspx", "-1")));

        var result = new RetroHunt(intel).Hunt([
            new Finding("BW-shell", "exchange.webshell.content", "t", Severity.Critical, Confidence.High, [], [], At, At, [File("inetpub/wwwroot/aspnet_client/errorfe.aspx", "2270")], 1, "r", "s", "inetpub/wwwroot/aspnet_client/errorfe.aspx"),
            new Finding("BW-other", "exchange.webshell.content", "t", Severity.Critical, Confidence.High, [], [], At, At, [File("inetpub/wwwroot/aspnet_client/x.aspx", "2270")], 1, "r", "s", "inetpub/wwwroot/aspnet_client/x.aspx")]);
        var found = Assert.Single(result.Found);
        Assert.Equal((Sha256, "inetpub/wwwroot/aspnet_client/errorfe.aspx", "file sha256"), (found.Subject, found.Evidence[0].File, found.Evidence[0].Fields[IntelEvidence.SeenIn]));
        Assert.Equal(["BW-shell"], result.Attributed.Select(f => f.Id));
    }

    [Theory]
    [InlineData("cs-method", "PO ST")]
    [InlineData("cs-uri-stem", "/owa/a b.aspx")]
    public void Iis_evidence_with_a_space_in_a_column_is_not_a_w3c_line_and_confirms_nothing(string column, string value)
    {
        var fields = new Dictionary<string, string>(Iis(50, "203.0.113.80", method: "POST").Fields) { [column] = value };
        var intel = Intel();

        Assert.False(new PatternConfirmer().Confirm(Indicator(intel, 103), new Evidence("x.log", 50, At, fields)));
        var result = new RetroHunt(intel).Hunt([Finding("BW-space", "203.0.113.80", new Evidence("x.log", 50, At, fields))]);
        Assert.Empty(result.Found);
        Assert.Empty(result.Attributed);
    }

    [Fact]
    public void Evidence_that_is_neither_a_request_nor_a_file_confirms_nothing()
    {
        var intel = Intel();
        var evidence = new Evidence("ECPServer20210303-1.LOG", 11, At, new Dictionary<string, string> { ["client"] = "203.0.113.80", ["method"] = "POST" });

        Assert.False(new PatternConfirmer().Confirm(Indicator(intel, 103), evidence));
        Assert.False(new PatternConfirmer().Confirm(Indicator(intel, 105), evidence));
        Assert.Empty(new RetroHunt(intel).Hunt([Finding("BW-none", "203.0.113.80", evidence)]).Found);
    }
}
