using Bulwark.Core.Intel.Evaluation;

namespace Bulwark.Core.Tests.Intel.Evaluation;

/// <summary>Object paths, EXISTS, LIKE, and where Bulwark reads values more helpfully than plain string equality.</summary>
public sealed class PatternEvaluatorPathTests
{
    private static readonly Observation Traffic = new(
        new DateTimeOffset(2021, 3, 3, 7, 39, 4, TimeSpan.Zero),
        ("0", new ObservedObject("ipv4-addr", ("value", "198.51.100.7"))),
        ("1", new ObservedObject("ipv6-addr", ("value", "2001:db8::1"))),
        ("2", new ObservedObject(
            "network-traffic",
            ("src_ref", "0"),
            ("dst_ref", "1"),
            ("dst_port", 443),
            ("protocols", ObservedValue.List("tcp", "https")),
            ("extensions", ObservedValue.Dictionary(("http-request-ext", ObservedValue.Dictionary(
                ("request_method", "post"),
                ("request_header", ObservedValue.Dictionary(("User-Agent", "python-requests/2.25.1"))))))))),
        ("3", new ObservedObject(
            "file",
            ("name", "shell.aspx"),
            ("hashes", ObservedValue.Dictionary(("SHA-256", "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"), ("MD5", "79054025255fb1a26e4bc422aef54eb4"))))));

    [Theory]
    [InlineData("[network-traffic:src_ref.value = '198.51.100.7']")]
    [InlineData("[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:dst_ref.value = '2001:db8::1']")]
    [InlineData("[network-traffic:protocols[*] = 'https']")]
    [InlineData("[network-traffic:protocols[0] = 'tcp']")]
    [InlineData("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' LIKE 'python-requests/%']")]
    // Header names are case-insensitive in HTTP; dictionary keys fall back to a case-insensitive lookup.
    [InlineData("[network-traffic:extensions.'http-request-ext'.request_header.'user-agent' = 'python-requests/2.25.1']")]
    [InlineData("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']")]
    // Hash values compare ignoring case; algorithm names ignore case, '-' and '_'.
    [InlineData("[file:hashes.'SHA-256' = 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F']")]
    [InlineData("[file:hashes.sha256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']")]
    [InlineData("[file:hashes.md5 IN ('79054025255FB1A26E4BC422AEF54EB4', '00000000000000000000000000000000')]")]
    [InlineData("[EXISTS file:hashes.MD5]")]
    [InlineData("[NOT EXISTS file:hashes.'SHA-1']")]
    [InlineData("[EXISTS network-traffic:dst_ref]")]
    [InlineData("[network-traffic:dst_port = 443 AND network-traffic:dst_port NOT IN (80, 8080)]")]
    public void Paths_resolve_through_references_lists_and_dictionaries(string pattern) => Stix.Matches(pattern, [Traffic]);

    [Theory]
    [InlineData("[network-traffic:src_ref.value = '2001:db8::1']")]
    [InlineData("[network-traffic:protocols[2] = 'https']")]
    [InlineData("[network-traffic:protocols.value = 'https']")]
    [InlineData("[network-traffic:dst_port.value = 443]")]
    [InlineData("[network-traffic:missing_ref.value = '198.51.100.7']")]
    // A path that reaches nothing is false, NOT or not.
    [InlineData("[network-traffic:src_port NOT = 51234]")]
    [InlineData("[network-traffic:src_port != 51234]")]
    [InlineData("[file:name = 'SHELL.ASPX']")]
    [InlineData("[NOT EXISTS file:hashes.MD5]")]
    [InlineData("[EXISTS file:size]")]
    [InlineData("[EXISTS url:value]")]
    [InlineData("[network-traffic:dst_ref = '1']")]
    public void Paths_that_reach_nothing_or_the_wrong_value_do_not_match(string pattern) => Stix.DoesNotMatch(pattern, [Traffic]);

    [Theory]
    // The spec's own examples write addresses as /32 ranges; addresses compare as addresses.
    [InlineData("[ipv4-addr:value = '198.51.100.7/32']", true)]
    [InlineData("[ipv4-addr:value = '198.51.100.0/24']", true)]
    [InlineData("[ipv4-addr:value = '198.51.101.0/24']", false)]
    [InlineData("[ipv4-addr:value IN ('203.0.113.33/32', '198.51.100.1/32', '198.51.100.7/32')]", true)]
    [InlineData("[ipv4-addr:value != '198.51.100.0/24']", false)]
    [InlineData("[ipv6-addr:value = '2001:0db8:0000:0000:0000:0000:0000:0001']", true)]
    [InlineData("[ipv6-addr:value = '2001:0db8:dead:beef:0000:0000:0000:0000/32']", true)]
    [InlineData("[ipv6-addr:value ISSUBSET '2001:db8::/32']", true)]
    [InlineData("[ipv6-addr:value ISSUBSET '198.51.100.0/24']", false)]
    [InlineData("[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']", false)]
    [InlineData("[network-traffic:src_ref.value ISSUBSET '0.0.0.0/0']", true)]
    public void Address_values_compare_as_addresses(string pattern, bool matches) =>
        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run(pattern, [Traffic]).Outcome);

    [Theory]
    [InlineData("%", "", true)]
    [InlineData("%", "anything at all", true)]
    [InlineData("_", "", false)]
    [InlineData("a_c", "abc", true)]
    [InlineData("a_c", "ac", false)]
    [InlineData("%.aspx", "/aspnet_client/shell.aspx", true)]
    [InlineData("%.aspx", "/aspnet_client/shell.aspx.txt", false)]
    [InlineData("%/ecp/%", "https://mail.contoso.com/ecp/y.js", true)]
    [InlineData("%a%b%c%", "xxaxxbxxcxx", true)]
    [InlineData("%a%b%c%", "xxcxxbxxaxx", false)]
    [InlineData("a.c", "abc", false)]
    [InlineData("[a-z]%", "[a-z]!", true)]
    [InlineData("_", "\U0001F600", true)]
    [InlineData("__", "\U0001F600", false)]
    [InlineData("%_", "\U0001F600", true)]
    [InlineData("x%", "x\ny", true)]
    public void Like_uses_sql_wildcards_only(string like, string value, bool matches)
    {
        var observation = Stix.One("2020-01-01T00:00:00Z", "x-test", ("value", value));

        var escaped = like.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run($"[x-test:value LIKE '{escaped}']", [observation]).Outcome);
    }

    [Fact]
    public void Like_on_a_long_value_with_many_wildcards_stays_fast()
    {
        var observation = Stix.One("2020-01-01T00:00:00Z", "x-test", ("value", new string('a', 100_000)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Stix.DoesNotMatch("[x-test:value LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b']", [observation]);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Matches_searches_anywhere_in_the_value()
    {
        var observation = Stix.One("2020-01-01T00:00:00Z", "email-addr", ("value", "attacker@evil.example"));

        Stix.Matches(@"[email-addr:value MATCHES '@evil\\.example$']", [observation]);
        Stix.Matches("[email-addr:value MATCHES 'tack']", [observation]);
        Stix.DoesNotMatch("[email-addr:value MATCHES '^tack']", [observation]);
        // Backreferences need the backtracking engine; they still work.
        Stix.Matches(@"[email-addr:value MATCHES '(t)\\1']", [observation]);
    }

    [Fact]
    public void Type_reads_the_object_type()
    {
        Stix.Matches("[ipv4-addr:type = 'ipv4-addr']", [Traffic]);
        Stix.DoesNotMatch("[ipv4-addr:type = 'ipv6-addr']", [Traffic]);
    }

    [Fact]
    public void Model_rejects_inconsistent_observations()
    {
        var at = DateTimeOffset.UnixEpoch;
        var item = new ObservedObject("x-test");

        Assert.Throws<ArgumentOutOfRangeException>(() => new Observation(at, at, 0, ("0", item)));
        Assert.Throws<ArgumentException>(() => new Observation(at, at.AddSeconds(-1), 1, ("0", item)));
        var duplicate = Assert.Throws<ArgumentException>(() => new Observation(at, ("0", item), ("0", item)));
        Assert.StartsWith("object reference '0' is given twice", duplicate.Message, StringComparison.Ordinal);
        var property = Assert.Throws<ArgumentException>(() => new ObservedObject("x-test", ("a", 1), ("a", 2)));
        Assert.StartsWith("property 'a' is given twice", property.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ObservedObject("", ("a", 1)));
    }

    [Fact]
    public void Values_say_what_they_hold()
    {
        var value = ObservedValue.Dictionary(("n", 5), ("f", 1.5), ("b", true), ("t", new DateTimeOffset(2021, 3, 3, 7, 39, 4, TimeSpan.Zero)),
            ("x", ObservedValue.Binary([1, 255])), ("l", ObservedValue.List("a", ObservedValue.Null)));

        Assert.Equal("{n: 5, f: 1.5, b: true, t: 2021-03-03T07:39:04Z, x: h'01ff', l: ['a', null]}", value.ToString());
        Assert.Equal(ObservedKind.Dictionary, value.Kind);
        Assert.True(value.AsDictionary().TryGetValue("b", out var flag));
        Assert.True(flag.AsBoolean());
        Assert.Throws<InvalidOperationException>(() => flag.AsString());
    }
}
