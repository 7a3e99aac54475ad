using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Lists;

namespace Bulwark.Core.Tests.Intel.Lists;

public sealed class PlainListTests
{
    [Theory]
    [InlineData("130.255.189.21", IocKind.IPv4)]
    [InlineData("2001:db8::1", IocKind.IPv6)]
    [InlineData("203.0.113.0/24", IocKind.CidrV4)]
    [InlineData("2001:db8::/32", IocKind.CidrV6)]
    [InlineData("http://example.com/owa/auth/x.js", IocKind.Url)]
    [InlineData("attacker@example.net", IocKind.Email)]
    [InlineData("b75f163ca9b9240bf4b37ad92bc7556b", IocKind.Md5)]
    [InlineData("4b3039cf227c611c45d2242d1228a121ecc3cb16", IocKind.Sha1)]
    [InlineData("B75F163CA9B9240BF4B37AD92BC7556B40A17E27C2B8ED5C8991385FE07D17D0", IocKind.Sha256)]
    [InlineData("mail.evil-domain.com", IocKind.Domain)]
    [InlineData("evil.example.", IocKind.Domain)]
    public void Each_value_is_recognised_by_its_form(string value, IocKind kind)
    {
        Assert.Equal(kind, PlainList.Classify(value));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0x7f.1")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3")]
    [InlineData("localhost")]
    [InlineData("abc123")]
    [InlineData("deadbeef")]
    [InlineData("-bad-.example.com")]
    [InlineData("example.c0m")]
    [InlineData("two words.example.com")]
    [InlineData("@example.com")]
    [InlineData("1.2.3.4/33")]
    public void Values_of_no_known_form_are_not_guessed(string value)
    {
        Assert.Null(PlainList.Classify(value));
    }

    [Theory]
    [InlineData("hxxp://evil[.]example/x", "http://evil.example/x")]
    [InlineData("hXXps://evil(.)example", "https://evil.example")]
    [InlineData("user[@]evil[dot]example", "user@evil.example")]
    [InlineData("198.51.100[.]7", "198.51.100.7")]
    public void Defanged_values_are_refanged(string defanged, string value)
    {
        Assert.Equal(value, PlainList.Refang(defanged));
    }

    [Fact]
    public void A_list_goes_into_the_index_and_every_refused_value_is_reported_with_its_line()
    {
        var list = """
            # Exchange intrusion indicators (test list)
            165.232.154.116

            hxxp://evil[.]example/shell.aspx
            not a value at all
            b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0
            2001:db8:dead::/48
            ops.evil-domain.com
            999.1.1.1
            """;
        var builder = new IocIndexBuilder();

        var result = PlainList.Read(new StringReader(list), "iocs.txt", builder, "test-list", Tlp.Green, 80);
        var index = builder.Build();

        Assert.Equal(5, result.Added);
        Assert.Equal(
            ["iocs.txt:5: 'not a value at all': not an IP address, CIDR range, URL, email address, MD5/SHA-1/SHA-256 hash or domain",
             "iocs.txt:9: '999.1.1.1': not an IP address, CIDR range, URL, email address, MD5/SHA-1/SHA-256 hash or domain"],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal(1, index.Match("165.232.154.116").Count);
        Assert.Equal(1, index.Match("2001:db8:dead:1::5").Count);
        Assert.Equal(1, index.MatchDomain("a.ops.evil-domain.com").Count);
        Assert.Equal(1, index.MatchUrl("HTTP://EVIL.example:80/shell.aspx").Count);
        Assert.Equal(1, index.MatchHash("B75F163CA9B9240BF4B37AD92BC7556B40A17E27C2B8ED5C8991385FE07D17D0").Count);
        var entry = index.GetEntry(index.Match("165.232.154.116")[0]);
        Assert.Equal((Tlp.Green, 80, "test-list"), (entry.Tlp, entry.Confidence, entry.Source));
    }

    [Fact]
    public void Csv_takes_the_value_column_by_its_header_and_quoted_cells()
    {
        var csv = """
            type,value,comment
            ip,165.232.154.116,"first seen, March 2021"
            domain,"evil.example",x
            sha256,short,bad
            """;
        var builder = new IocIndexBuilder();

        var result = PlainList.Read(new StringReader(csv), "feed.csv", builder, "csv");
        var index = builder.Build();

        Assert.Equal(2, result.Added);
        Assert.Equal("feed.csv:4", $"{result.Problems.Single().File}:{result.Problems.Single().Line}");
        Assert.Equal(1, index.MatchDomain("www.evil.example").Count);
    }
}
