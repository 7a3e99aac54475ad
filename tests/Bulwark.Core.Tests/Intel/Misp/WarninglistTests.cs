using System.Text;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Misp;

public sealed class WarninglistTests
{
    private const string Dns = "List of known public DNS resolvers (test)";
    private const string Microsoft = "List of known Microsoft service host names (test)";
    private const string EmptyHashes = "Hashes of empty files (test)";
    private const string Documentation = "Documentation domain names (test)";
    private const string Scanners = "Internet-wide scanner user agents (test)";

    private static readonly IntelSource Lists = new("misp-warninglists", IntelFormat.MispWarninglist);

    private static readonly Lazy<WarninglistFilter> Filter = new(() =>
    {
        var catalog = new IntelCatalog();
        MispWarninglistReader.ReadDirectory(MispFixtures.PathOf("warninglists"), catalog, Lists);
        return WarninglistFilter.Build(catalog);
    });

    [Fact]
    public void Warninglists_are_read_with_every_unusable_entry_reported()
    {
        var catalog = new IntelCatalog();
        var folder = MispFixtures.PathOf("warninglists");

        var result = MispWarninglistReader.ReadDirectory(folder, catalog, Lists);

        Assert.Equal(5, result.Warninglists);
        Assert.Equal(
            [
                $"{Path.Combine(folder, "documentation-names", "list.json")}: list[3]: '/unclosed(/' is not a regular expression .NET can run: Invalid pattern 'unclosed(' at offset 9. Not enough )'s.; the entry was left out of warninglist '{Documentation}'",
                $"{Path.Combine(folder, "documentation-names", "list.json")}: list[4]: '/example\\.edu$/q' has the flag 'q', which is not one of i, m, s, x, u, D; the entry was left out of warninglist '{Documentation}'",
                $"{Path.Combine(folder, "public-dns-resolvers", "list.json")}: list[7]: 'resolver.invalid/24' is not an IP address or CIDR network; the entry was left out of warninglist '{Dns}'",
            ],
            result.Problems.Select(p => p.ToString()));
        var dns = Assert.Single(catalog.Warninglists, l => l.Name == Dns);
        Assert.Equal(("cidr", 20210310, "misp-warninglists"), (dns.Type, dns.Version, dns.Source));
        Assert.Equal(["ip-src", "ip-dst", "domain|ip"], dns.MatchingAttributes);
        Assert.Equal(7, dns.Values.Count);
        Assert.Equal(["CensysInspect", "Expanse, a Palo Alto Networks company", "zgrab"], catalog.Warninglists.Single(l => l.Name == Scanners).Values);
        Assert.Empty(WarninglistFilter.Build(catalog).Problems);
    }

    [Theory]
    [InlineData(IocKind.IPv4, "8.8.8.8", Dns)]
    [InlineData(IocKind.IPv4, "1.1.1.1", Dns)]
    [InlineData(IocKind.IPv4, "9.9.9.9", Dns)]
    [InlineData(IocKind.IPv4, "8.8.8.9", null)]
    [InlineData(IocKind.CidrV4, "9.9.9.128/25", Dns)]
    [InlineData(IocKind.CidrV4, "9.9.0.0/16", null)]
    [InlineData(IocKind.IPv6, "2001:4860:4860::8888", Dns)]
    [InlineData(IocKind.IPv6, "2606:4700:4700::1111", Dns)]
    [InlineData(IocKind.IPv6, "2606:4700:4701::1111", null)]
    [InlineData(IocKind.IPv6, "::ffff:8.8.8.8", Dns)]
    [InlineData(IocKind.Domain, "microsoft.com", Microsoft)]
    [InlineData(IocKind.Domain, "autodiscover.outlook.office.com", Microsoft)]
    [InlineData(IocKind.Domain, "MICROSOFT.COM.", Microsoft)]
    [InlineData(IocKind.Domain, "microsoft.com.evil.example", null)]
    [InlineData(IocKind.Domain, "notmicrosoft.com", null)]
    [InlineData(IocKind.Domain, "office.com", null)]
    [InlineData(IocKind.Domain, "windows.net", null)]
    [InlineData(IocKind.Domain, "exchangelabs.blob.core.windows.net", Microsoft)]
    [InlineData(IocKind.Domain, "login.microsoftonline.com", Microsoft)]
    [InlineData(IocKind.Url, "https://outlook.office.com/owa/", Microsoft)]
    [InlineData(IocKind.Url, "http://user@www.microsoft.com:8080/x?y", Microsoft)]
    [InlineData(IocKind.Url, "https://microsoft.com.evil.example/owa", null)]
    [InlineData(IocKind.Email, "postmaster@office365.com", Microsoft)]
    [InlineData(IocKind.Md5, "D41D8CD98F00B204E9800998ECF8427E", EmptyHashes)]
    [InlineData(IocKind.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", EmptyHashes)]
    [InlineData(IocKind.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", EmptyHashes)]
    [InlineData(IocKind.Sha256, "8e90ed33c7ee82c0b64078ea36ec95f7420ba435c693b3b3dd728b494abf7dfc", null)]
    [InlineData(IocKind.Domain, "d41d8cd98f00b204e9800998ecf8427e", null)]
    [InlineData(IocKind.UserAgent, "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)", Scanners)]
    [InlineData(IocKind.UserAgent, "expanse, a palo alto networks company, searches across the global ipv4 space", Scanners)]
    [InlineData(IocKind.UserAgent, "antSword/v2.1", null)]
    [InlineData(IocKind.Domain, "zgrab.example", null)]
    [InlineData(IocKind.Domain, "www.example.com", Documentation)]
    [InlineData(IocKind.Domain, "EXAMPLE.ORG", Documentation)]
    [InlineData(IocKind.Domain, "myexample.com", null)]
    [InlineData(IocKind.Domain, "owa.test", Documentation)]
    [InlineData(IocKind.Domain, "owa.TEST", null)]
    [InlineData(IocKind.Domain, "abc.abc.invalid", Documentation)]
    [InlineData(IocKind.Domain, "abc.abd.invalid", null)]
    [InlineData(IocKind.IPv4, "", null)]
    public void Filter_covers_values_as_misp_does(IocKind kind, string value, string? list)
    {
        var covered = Filter.Value.Covers(kind, value, out var name);

        Assert.Equal((list is not null, list ?? ""), (covered, name));
        Assert.Equal(list, Filter.Value.CoveringList(kind, value));
    }

    [Fact]
    public void A_list_applies_only_to_the_kinds_its_matching_attributes_name()
    {
        var filter = WarninglistFilter.Build(
        [
            new Warninglist("AS only", "string", ["8.8.8.8"], "t") { MatchingAttributes = ["AS"] },
            new Warninglist("all kinds", "string", ["evil.example"], "t"),
            new Warninglist("urls", "string", ["http://evil.example/Path"], "t") { MatchingAttributes = ["url"] },
        ]);

        Assert.False(filter.Covers(IocKind.IPv4, "8.8.8.8", out _));
        Assert.True(filter.Covers(IocKind.Domain, "EVIL.example", out var name));
        Assert.Equal("all kinds", name);
        Assert.True(filter.Covers(IocKind.Url, "http://evil.example/Path", out _));
        Assert.False(filter.Covers(IocKind.Url, "http://evil.example/path", out _)); // URL paths keep their case
        Assert.Equal(3, filter.Lists);
    }

    [Fact]
    public void Unusable_entries_of_lists_built_elsewhere_are_problems_of_the_filter()
    {
        var filter = WarninglistFilter.Build(
        [
            new Warninglist("bad cidr", "cidr", ["10.0.0.0/33", "10.0.0.0/8"], "manual"),
            new Warninglist("bad regex", "regex", ["/(?<=a)b/", "[z-a]"], "manual"),
        ]);

        Assert.Equal(
            [
                "manual: bad cidr: '10.0.0.0/33' is not an IP address or CIDR network; left out",
                "manual: bad regex: '[z-a]' is not a regular expression .NET can run: Invalid pattern '[z-a]' at offset 4. [x-y] range in reverse order.; left out",
            ],
            filter.Problems.Select(p => p.ToString()));
        Assert.True(filter.Covers(IocKind.IPv4, "10.1.2.3", out _));
        Assert.True(filter.Covers(IocKind.Domain, "ab.example", out var name)); // lookbehind: run by the backtracking engine
        Assert.Equal("bad regex", name);
    }

    [Fact]
    public void Truncated_and_wrongly_typed_warninglists_are_problems()
    {
        var catalog = new IntelCatalog();

        var results = new[]
        {
            MispWarninglistReader.Read(Encoding.UTF8.GetBytes("{\"name\": \"x\", \"type\": \"cidr\", \"list\": [\"8.8.8.8\""), "cut.json", catalog, Lists),
            MispWarninglistReader.Read(Encoding.UTF8.GetBytes("{\"name\": \"x\", \"type\": \"bloom\", \"list\": []}"), "type.json", catalog, Lists),
            MispWarninglistReader.Read(Encoding.UTF8.GetBytes("{\"type\": \"string\", \"list\": []}"), "name.json", catalog, Lists),
            MispWarninglistReader.Read(Encoding.UTF8.GetBytes("{\"name\": \"x\", \"list\": \"8.8.8.8\"}"), "list.json", catalog, Lists),
            MispWarninglistReader.Read(Encoding.UTF8.GetBytes("{\"name\": \"typeless\", \"version\": \"v2\", \"list\": [\"a\", 5, null, {\"comment\": \"no value\"}]}"), "items.json", catalog, Lists),
        };

        Assert.Equal(
            [
                "cut.json: line 1, byte 49: invalid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed; the warninglist was not read",
                "type.json: type: 'bloom' is not a warninglist type (string, cidr, hostname, substring or regex); warninglist 'x' was not read",
                "name.json: name: the warninglist has no name, which every suppression reports; it was not read",
                "list.json: list: expected an array of values, found the string '8.8.8.8'; no values were read from it",
                "items.json: list[1]: expected a string, found the number '5'",
                "items.json: list[2]: expected a string, found null",
                "items.json: list[3]: expected a value, found an object without one",
                "items.json: version: expected an integer, found the string 'v2'",
            ],
            results.SelectMany(r => r.Problems).Select(p => p.ToString()));
        var typeless = Assert.Single(catalog.Warninglists);
        Assert.Equal(("typeless", "string", 0), (typeless.Name, typeless.Type, typeless.Version));
        Assert.Equal(["a"], typeless.Values);
    }
}
