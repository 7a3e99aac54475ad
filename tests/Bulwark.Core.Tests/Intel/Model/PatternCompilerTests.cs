using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Tests.Intel.Model;

public sealed class PatternCompilerTests
{
    private static CompiledPattern Compile(string text) => PatternCompiler.Compile(Pattern.Parse(text));

    [Fact]
    public void Or_of_equalities_on_indexable_paths_is_simple()
    {
        var compiled = Compile("[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'evil.example' OR file:hashes.'SHA-256' = 'aa' OR url:value IN ('http://a.example/x', 'http://b.example/y')]");

        Assert.False(compiled.Complex);
        Assert.Null(compiled.Unindexable);
        Assert.Equal(
            [
                new IndexValue(IocKind.IPv4, "198.51.100.1"),
                new IndexValue(IocKind.Domain, "evil.example"),
                new IndexValue(IocKind.Sha256, "aa"),
                new IndexValue(IocKind.Url, "http://a.example/x"),
                new IndexValue(IocKind.Url, "http://b.example/y"),
            ],
            compiled.Values);
    }

    [Theory]
    [InlineData("[ipv4-addr:value = '198.51.100.0/24']", IocKind.CidrV4, "198.51.100.0/24")]
    [InlineData("[ipv6-addr:value = '2001:db8::/32']", IocKind.CidrV6, "2001:db8::/32")]
    [InlineData("[network-traffic:dst_ref.value = '203.0.113.9']", IocKind.IPv4, "203.0.113.9")]
    [InlineData("[email-message:from_ref.value = 'a@evil.example']", IocKind.Email, "a@evil.example")]
    [InlineData("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", IocKind.Md5, "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", IocKind.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("[file:name = 'supp0rt.aspx']", IocKind.FileName, "supp0rt.aspx")]
    [InlineData("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'ExchangeServicesClient/0.0.0.0']", IocKind.UserAgent, "ExchangeServicesClient/0.0.0.0")]
    public void Each_indexable_path_maps_to_its_kind(string pattern, IocKind kind, string value)
    {
        var compiled = Compile(pattern);

        Assert.False(compiled.Complex);
        Assert.Equal([new IndexValue(kind, value)], compiled.Values);
    }

    [Fact]
    public void And_inside_an_observation_keeps_the_smallest_required_set_and_is_complex()
    {
        var compiled = Compile("[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2') AND domain-name:value = 'evil.example']");

        Assert.True(compiled.Complex);
        Assert.Null(compiled.Unindexable);
        Assert.Equal([new IndexValue(IocKind.Domain, "evil.example")], compiled.Values);
    }

    [Theory]
    [InlineData("[file:name = 'OutlookZH.aspx' AND file:hashes.'SHA-256' = 'a291305f181e24fe7194154b4cd355ccb039d5765709c80999e392efec69c90a']")]
    [InlineData("[file:hashes.'SHA-256' = 'a291305f181e24fe7194154b4cd355ccb039d5765709c80999e392efec69c90a' AND file:name = 'OutlookZH.aspx']")]
    public void And_of_single_values_is_selected_by_the_strongest_whatever_the_order(string pattern)
    {
        var compiled = Compile(pattern);

        Assert.True(compiled.Complex);
        Assert.Equal([new IndexValue(IocKind.Sha256, "a291305f181e24fe7194154b4cd355ccb039d5765709c80999e392efec69c90a")], compiled.Values);
    }

    [Fact]
    public void Fewer_values_still_win_over_stronger_ones()
    {
        var compiled = Compile("[file:hashes.MD5 IN ('d41d8cd98f00b204e9800998ecf8427e', 'b75f163ca9b9240bf4b37ad92bc7556b') AND file:name = 'x.aspx']");

        Assert.Equal([new IndexValue(IocKind.FileName, "x.aspx")], compiled.Values);
    }

    [Fact]
    public void Or_between_observations_needs_every_branch_and_unions_them()
    {
        var compiled = Compile("([ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'evil.example']) WITHIN 60 SECONDS");

        Assert.True(compiled.Complex);
        Assert.Equal([new IndexValue(IocKind.IPv4, "198.51.100.1"), new IndexValue(IocKind.Domain, "evil.example")], compiled.Values);
    }

    [Fact]
    public void A_branch_the_index_cannot_select_makes_the_whole_or_unindexable()
    {
        var compiled = Compile("[ipv4-addr:value = '198.51.100.1'] OR [url:value MATCHES '^http://x']");

        Assert.True(compiled.Complex);
        Assert.Empty(compiled.Values);
        Assert.StartsWith("no observable value", compiled.Unindexable);
    }

    [Fact]
    public void Followedby_is_selected_by_both_sides_so_a_scan_sees_every_observation_of_a_match()
    {
        var compiled = Compile("[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [url:value = 'https://evil.example/ecp/x.js']");

        Assert.True(compiled.Complex);
        Assert.Equal([new IndexValue(IocKind.IPv4, "198.51.100.1"), new IndexValue(IocKind.Url, "https://evil.example/ecp/x.js")], compiled.Values);
    }

    [Fact]
    public void Followedby_with_a_side_the_index_cannot_hold_is_still_selected_by_the_other()
    {
        var compiled = Compile("[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [url:value LIKE '%/ecp/%']");

        Assert.True(compiled.Complex);
        Assert.Equal([new IndexValue(IocKind.IPv4, "198.51.100.1")], compiled.Values);
    }

    [Fact]
    public void Issubset_of_a_network_selects_by_the_range()
    {
        var compiled = Compile("[ipv4-addr:value ISSUBSET '198.51.100.0/24']");

        Assert.True(compiled.Complex);
        Assert.Equal([new IndexValue(IocKind.CidrV4, "198.51.100.0/24")], compiled.Values);
    }

    [Fact]
    public void Negated_and_unknown_paths_are_not_indexed()
    {
        Assert.StartsWith("no observable value", Compile("[ipv4-addr:value NOT = '198.51.100.1']").Unindexable);
        Assert.StartsWith("no observable value", Compile("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\x']").Unindexable);
        Assert.StartsWith("no observable value", Compile("[file:size = 12]").Unindexable);
    }
}
