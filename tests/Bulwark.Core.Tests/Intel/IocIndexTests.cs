using System.Net;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Tests.Intel;

public class IocIndexTests
{
    private static IocIndicator Ioc(IocKind kind, string value, string source = "feed-a") => new(kind, value, source);

    private static (IocIndex Index, int[] Ids) Build(params IocIndicator[] indicators)
    {
        var builder = new IocIndexBuilder();
        var ids = indicators.Select(i => builder.Add(i)).ToArray();
        return (builder.Build(), ids);
    }

    [Fact]
    public void IPv4_matches_exact_address_only()
    {
        var (index, ids) = Build(Ioc(IocKind.IPv4, "203.0.113.7"));

        Assert.Equal(ids, index.Match("203.0.113.7").ToArray());
        Assert.Equal(ids, index.Match(IPAddress.Parse("203.0.113.7")).ToArray());
        Assert.True(index.Match("203.0.113.8").IsEmpty);
        Assert.True(index.Match("203.0.113").IsEmpty);
        Assert.True(index.Match("not an ip").IsEmpty);
    }

    [Fact]
    public void IPv4_mapped_IPv6_matches_the_IPv4_entry()
    {
        var (index, ids) = Build(Ioc(IocKind.IPv4, "1.2.3.4"), Ioc(IocKind.CidrV4, "10.0.0.0/8"));

        Assert.Equal([ids[0]], index.Match("::ffff:1.2.3.4").ToArray());
        Assert.Equal([ids[0]], index.Match(IPAddress.Parse("::ffff:1.2.3.4")).ToArray());
        Assert.Equal([ids[1]], index.Match("::ffff:10.9.8.7").ToArray());
        Assert.True(index.Match("::1.2.3.4").IsEmpty);
    }

    [Fact]
    public void IPv6_range_shorter_than_96_holding_the_mapped_block_matches_IPv4_addresses()
    {
        var (index, ids) = Build(Ioc(IocKind.CidrV6, "::/80"), Ioc(IocKind.CidrV6, "2001:db8::/32"), Ioc(IocKind.CidrV6, "::ffff:0:0/95"), Ioc(IocKind.CidrV6, "::/81"));

        Assert.Equal([ids[0], ids[2]], index.Match("10.1.2.3").ToArray().Order().ToArray());
        Assert.Equal([ids[0], ids[2]], index.Match("::ffff:10.1.2.3").ToArray().Order().ToArray());
        Assert.Equal([ids[3], ids[0]], index.Match("::1").ToArray());
        Assert.Equal([ids[1]], index.Match("2001:db8::5").ToArray());
    }

    [Fact]
    public void IPv6_matches_any_spelling_of_the_address()
    {
        var (index, ids) = Build(Ioc(IocKind.IPv6, "2001:DB8::1"));

        Assert.Equal(ids, index.Match("2001:0db8:0000:0000:0000:0000:0000:0001").ToArray());
        Assert.Equal(ids, index.Match("[2001:db8::1]").ToArray());
        Assert.Equal(ids, index.Match(IPAddress.Parse("2001:db8::1")).ToArray());
        Assert.True(index.Match("2001:db8::2").IsEmpty);
    }

    [Fact]
    public void Cidr_boundaries_and_overlaps_return_every_containing_range_longest_prefix_first()
    {
        var (index, ids) = Build(
            Ioc(IocKind.CidrV4, "0.0.0.0/0"),
            Ioc(IocKind.CidrV4, "192.168.0.0/16"),
            Ioc(IocKind.CidrV4, "192.168.1.0/24"),
            Ioc(IocKind.CidrV4, "192.168.1.77/32"),
            Ioc(IocKind.IPv4, "192.168.1.77"));

        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], index.Match("192.168.1.77").ToArray());
        Assert.Equal([ids[2], ids[1], ids[0]], index.Match("192.168.1.0").ToArray());
        Assert.Equal([ids[2], ids[1], ids[0]], index.Match("192.168.1.255").ToArray());
        Assert.Equal([ids[1], ids[0]], index.Match("192.168.2.0").ToArray());
        Assert.Equal([ids[1], ids[0]], index.Match("192.168.255.255").ToArray());
        Assert.Equal([ids[0]], index.Match("192.169.0.0").ToArray());
        Assert.Equal([ids[0]], index.Match("0.0.0.0").ToArray());
        Assert.Equal([ids[0]], index.Match("255.255.255.255").ToArray());
    }

    [Fact]
    public void Cidr_v4_host_bits_are_masked_and_ranges_end_exactly()
    {
        var (index, ids) = Build(Ioc(IocKind.CidrV4, "10.1.2.3/30"));

        Assert.Equal("10.1.2.3/30", index.GetEntry(ids[0]).Value);
        Assert.True(index.Match("10.1.1.255").IsEmpty);
        Assert.Equal(ids, index.Match("10.1.2.0").ToArray());
        Assert.Equal(ids, index.Match("10.1.2.3").ToArray());
        Assert.True(index.Match("10.1.2.4").IsEmpty);
    }

    [Fact]
    public void Cidr_v6_from_slash_0_to_slash_128()
    {
        var (index, ids) = Build(
            Ioc(IocKind.CidrV6, "::/0"),
            Ioc(IocKind.CidrV6, "2001:db8::/32"),
            Ioc(IocKind.CidrV6, "2001:db8::ffff/128"));

        Assert.Equal([ids[2], ids[1], ids[0]], index.Match("2001:db8::ffff").ToArray());
        Assert.Equal([ids[1], ids[0]], index.Match("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff").ToArray());
        Assert.Equal([ids[0]], index.Match("2001:db9::").ToArray());
        Assert.Equal([ids[0]], index.Match("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").ToArray());
    }

    [Fact]
    public void Domain_matches_itself_and_subdomains_but_not_look_alikes()
    {
        var (index, ids) = Build(Ioc(IocKind.Domain, "Evil.com."), Ioc(IocKind.Domain, "cdn.evil.com"));

        Assert.Equal("evil.com", index.GetEntry(ids[0]).Value);
        Assert.Equal([ids[0]], index.MatchDomain("evil.com").ToArray());
        Assert.Equal([ids[0]], index.MatchDomain("EVIL.COM.").ToArray());
        Assert.Equal([ids[0]], index.MatchDomain("a.b.evil.com").ToArray());
        Assert.Equal([ids[1], ids[0]], index.MatchDomain("x.cdn.evil.com").ToArray());
        Assert.True(index.MatchDomain("notevil.com").IsEmpty);
        Assert.True(index.MatchDomain("evil.com.au").IsEmpty);
        Assert.True(index.MatchDomain("com").IsEmpty);
    }

    [Fact]
    public void Internationalised_domain_matches_in_unicode_and_punycode_whatever_the_case()
    {
        var (index, ids) = Build(Ioc(IocKind.Domain, "BÜCHER.example"), Ioc(IocKind.Domain, "xn--e1afmkfd.xn--p1ai"));

        Assert.Equal("bücher.example", index.GetEntry(ids[0]).Value);
        Assert.Equal([ids[0]], index.MatchDomain("bücher.example").ToArray());
        Assert.Equal([ids[0]], index.MatchDomain("mail.XN--BCHER-KVA.example").ToArray());
        Assert.Equal([ids[0]], index.MatchDomain("www.Bücher.example.").ToArray());
        Assert.Equal([ids[1]], index.MatchDomain("пример.рф").ToArray());
        Assert.Equal([ids[1]], index.MatchDomain("cdn.ПРИМЕР.рф").ToArray());
        Assert.True(index.MatchDomain("bucher.example").IsEmpty);
        Assert.True(index.MatchDomain("xn--bcher-kva.example.org").IsEmpty);
    }

    [Fact]
    public void Url_with_internationalised_host_matches_either_spelling_of_the_host()
    {
        var (index, ids) = Build(Ioc(IocKind.Url, "https://пример.рф/owa/auth/x.aspx"), Ioc(IocKind.Url, "http://xn--bcher-kva.example/a"));

        Assert.Equal([ids[0]], index.MatchUrl("https://xn--e1afmkfd.xn--p1ai/owa/auth/x.aspx").ToArray());
        Assert.Equal([ids[0]], index.MatchUrl("HTTPS://ПРИМЕР.рф:443/owa/auth/x.aspx").ToArray());
        Assert.Equal([ids[1]], index.MatchUrl("http://bücher.example/a").ToArray());
        Assert.True(index.MatchUrl("https://xn--e1afmkfd.xn--p1ai/owa/auth/y.aspx").IsEmpty);
    }

    [Fact]
    public void Domain_walk_matches_labels_of_every_length_in_any_case_and_only_at_label_boundaries()
    {
        // Labels of 1 to 13 characters cover every way a label splits into four-character blocks.
        var labels = Enumerable.Range(1, 13).Select(n => string.Concat(Enumerable.Range(0, n).Select(i => (char)('a' + ((n + i) % 26))))).ToArray();
        var (index, ids) = Build([.. labels.Select(l => Ioc(IocKind.Domain, $"{l}.x{l}.example"))]);

        for (var k = 0; k < labels.Length; k++)
        {
            var domain = $"{labels[k]}.x{labels[k]}.example";
            Assert.Equal([ids[k]], index.MatchDomain(domain).ToArray());
            Assert.Equal([ids[k]], index.MatchDomain("www." + domain.ToUpperInvariant()).ToArray());
            Assert.Equal([ids[k]], index.MatchUrl($"https://cdn.{domain}/a").ToArray());
            Assert.Equal([ids[k]], index.MatchUrl($"HTTPS://CDN.{domain.ToUpperInvariant()}/a").ToArray());
            Assert.True(index.MatchDomain("z" + domain).IsEmpty);
            Assert.True(index.MatchDomain(domain.AsSpan(1)).IsEmpty);
            Assert.True(index.MatchDomain($"{labels[k]}.x{labels[k]}z.example").IsEmpty);
            Assert.True(index.MatchDomain($"{labels[k]}.{labels[k]}.example").IsEmpty);
        }
    }

    [Fact]
    public void Exact_values_of_every_length_match_only_themselves()
    {
        // Lengths 1 to 24 cover every way a value splits into eight-character blocks and its overlapping last block.
        var agents = Enumerable.Range(1, 24).Select(n => string.Concat(Enumerable.Range(0, n).Select(i => (char)('A' + ((n * 7) + i) % 26)))).ToArray();
        var (index, ids) = Build([.. agents.Select(a => Ioc(IocKind.UserAgent, a))]);

        for (var k = 0; k < agents.Length; k++)
        {
            Assert.Equal([ids[k]], index.MatchUserAgent(agents[k]).ToArray());
            for (var i = 0; i < agents[k].Length; i++)
            {
                var changed = agents[k].ToCharArray();
                changed[i] = (char)(changed[i] ^ 0x8000);
                Assert.True(index.MatchUserAgent(changed).IsEmpty);
            }
        }
    }

    [Fact]
    public void Hosts_of_50_to_80_characters_match_with_their_dots_anywhere()
    {
        // A host of up to 64 characters finds its dots in one pass of 8-character compares, a longer one label by label.
        var (index, ids) = Build(Ioc(IocKind.Domain, "evil.com"), Ioc(IocKind.Domain, "c.evil.com"));
        for (var n = 50; n <= 80; n++)
        {
            for (var p = 1; p <= n - 11; p++)
            {
                var host = $"{new string('a', p)}.{new string('c', n - p - 10)}.evil.com";
                Assert.Equal(n, host.Length);
                Assert.Equal(n - p == 11 ? [ids[1], ids[0]] : [ids[0]], index.MatchDomain(host).ToArray());
                Assert.True(index.MatchDomain(host.Replace(".evil", "evil", StringComparison.Ordinal)).IsEmpty);
            }
        }
    }

    [Fact]
    public void Host_with_characters_outside_host_names_is_folded_and_still_matched_at_its_suffixes()
    {
        var (index, ids) = Build(Ioc(IocKind.Domain, "evil.com"));
        var longHost = string.Concat(Enumerable.Repeat("Abcdefghij.", 60)) + "EVIL.com";

        Assert.Equal([ids[0]], index.MatchDomain("we*rd!.Evil.COM").ToArray());
        Assert.Equal([ids[0]], index.MatchDomain(longHost).ToArray());
        Assert.Equal([ids[0]], index.MatchDomain(longHost + ".").ToArray());
        Assert.True(index.MatchDomain("we*rd!.Evil.COM.org").IsEmpty);
        Assert.True(index.MatchDomain(longHost.AsSpan(0, longHost.Length - 1)).IsEmpty);
    }

    [Fact]
    public void Host_with_many_labels_is_matched_at_every_suffix()
    {
        var (index, ids) = Build(Ioc(IocKind.Domain, "evil.com"));
        var deep = string.Concat(Enumerable.Range(0, 40).Select(i => $"l{i}.")) + "evil.com";

        Assert.Equal([ids[0]], index.MatchDomain(deep).ToArray());
        Assert.True(index.MatchDomain(string.Concat(Enumerable.Range(0, 40).Select(i => $"l{i}.")) + "good.com").IsEmpty);

        // Indicators deep in the host too, one of more than 63 labels (label counts from 63 on share one mark).
        var middle = string.Concat(Enumerable.Range(30, 10).Select(i => $"l{i}.")) + "evil.com";
        var seventy = string.Concat(Enumerable.Range(0, 68).Select(i => $"m{i}.")) + "evil.com";
        var (nested, nestedIds) = Build(Ioc(IocKind.Domain, "evil.com"), Ioc(IocKind.Domain, middle), Ioc(IocKind.Domain, seventy));
        Assert.Equal([nestedIds[1], nestedIds[0]], nested.MatchDomain(deep).ToArray());
        Assert.Equal([nestedIds[2], nestedIds[0]], nested.MatchDomain("www." + seventy).ToArray());
        Assert.Equal([nestedIds[2], nestedIds[0]], nested.MatchDomain(seventy).ToArray());
        Assert.Equal([nestedIds[0]], nested.MatchDomain(seventy.AsSpan(seventy.IndexOf('.', StringComparison.Ordinal) + 1)).ToArray());
    }

    [Fact]
    public void Invalid_internationalised_domain_is_rejected_with_a_reason()
    {
        var builder = new IocIndexBuilder();

        var label = "ü" + new string('a', 70);

        var result = builder.TryAdd(Ioc(IocKind.Domain, label + ".example"));

        Assert.False(result.Added);
        Assert.Equal($"Domain '{label}.example' is not a valid internationalised domain name", result.Error);
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void Case_insensitive_kinds_fold_non_ascii_letters_too()
    {
        var (index, ids) = Build(Ioc(IocKind.FileName, "ÉTÉ.aspx"), Ioc(IocKind.Email, "Ödön@Example.org"), Ioc(IocKind.FilePath, "C:\\Inetpub\\ÄB.aspx"));

        Assert.Equal([ids[0]], index.MatchFileName("c:\\x\\été.ASPX").ToArray());
        Assert.Equal([ids[1]], index.MatchEmail("ödön@example.ORG").ToArray());
        Assert.Equal([ids[2]], index.MatchFilePath("c:/inetpub/äb.aspx").ToArray());
        Assert.True(index.MatchFileName("ete.aspx").IsEmpty);
    }

    [Theory]
    [InlineData("HTTP://Evil.COM:80/Path/a%7Eb?q=1#frag")]
    [InlineData("http://evil.com/Path/a~b?q=1")]
    [InlineData("http://evil.com./Path/%61%7eb?q=1")]
    public void Url_normalises_scheme_host_port_escapes_and_fragment(string lookup)
    {
        var (index, ids) = Build(Ioc(IocKind.Url, "http://evil.com/Path/a~b?q=1"));

        Assert.Equal(ids, index.MatchUrl(lookup).ToArray());
    }

    [Fact]
    public void Url_keeps_path_case_non_default_ports_and_reserved_escapes()
    {
        var (index, ids) = Build(Ioc(IocKind.Url, "https://EVIL.com:443"), Ioc(IocKind.Url, "https://evil.com:8443/a%2fb"));

        Assert.Equal("https://evil.com/", index.GetEntry(ids[0]).Value);
        Assert.Equal("https://evil.com:8443/a%2Fb", index.GetEntry(ids[1]).Value);
        Assert.Equal([ids[0]], index.MatchUrl("https://evil.com/#top").ToArray());
        Assert.True(index.MatchUrl("https://evil.com/PATH").IsEmpty);
        Assert.True(index.MatchUrl("https://evil.com:8443/a/b").IsEmpty);
        Assert.Equal([ids[1]], index.MatchUrl("https://evil.com:8443/a%2Fb").ToArray());
        Assert.True(index.MatchUrl("http://evil.com/").IsEmpty);
    }

    [Fact]
    public void Url_lookup_also_returns_domain_entries_for_its_host()
    {
        var (index, ids) = Build(Ioc(IocKind.Url, "https://x.evil.com/login"), Ioc(IocKind.Domain, "evil.com"));

        Assert.Equal([ids[0], ids[1]], index.MatchUrl("https://X.evil.com/login").ToArray());
        Assert.Equal([ids[1]], index.MatchUrl("https://y.evil.com/other").ToArray());
    }

    [Theory]
    [InlineData("https://evil.com/a", true, "evil.com")]
    [InlineData("http://a-b_c.d9.evil.com/x?q=1", true, "a-b_c.d9.evil.com")]
    [InlineData("git+ssh://host.example/repo", true, "host.example")]
    [InlineData("HTTPS://evil.com/a", false, null)]
    [InlineData("https://Evil.com/a", false, null)]
    [InlineData("https://evil.com", false, null)]
    [InlineData("https://evil.com?q=1", false, null)]
    [InlineData("https://evil.com./a", false, null)]
    [InlineData("https://evil.com:443/a", false, null)]
    [InlineData("https://evil.com:8443/a", false, null)]
    [InlineData("https://user@evil.com/a", false, null)]
    [InlineData("https://[2001:db8::1]/a", false, null)]
    [InlineData("https://evil.com/a%41", false, null)]
    [InlineData("https://evil.com/a#top", false, null)]
    [InlineData("https://bücher.example/a", false, null)]
    [InlineData("https:///a", false, null)]
    [InlineData("://evil.com/a", false, null)]
    [InlineData("evil.com/a", false, null)]
    [InlineData("https:/evil.com/a", false, null)]
    public void Url_fast_path_is_taken_only_for_urls_that_normalising_would_not_change(string url, bool normal, string? host)
    {
        Assert.Equal(normal, IocText.IsNormalUrl(url, out var hostStart, out var hostEnd));
        var buffer = new char[url.Length + 1];
        var length = IocText.NormalizeUrl(url, buffer, out var normalHost);
        if (normal)
        {
            // The fast path's promise: normalising would change nothing, and the host is where normalising finds it.
            Assert.Equal(host, url[hostStart..hostEnd]);
            Assert.Equal(url, new string(buffer, 0, length));
            Assert.Equal(host, new string(buffer.AsSpan(0, length)[normalHost]));
        }
    }

    [Theory]
    [InlineData("10.0.0.1", 0x0A000001u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("001.002.003.004", 0x01020304u)]
    [InlineData("192.168.100.7", 0xC0A86407u)]
    [InlineData("1.2.3.4", 0x01020304u)]
    [InlineData("256.1.1.1", null)]
    [InlineData("1.1.1.256", null)]
    [InlineData("1.1.1.1000", null)]
    [InlineData("1000.1.1.1", null)]
    [InlineData(".1.1.1.1", null)]
    [InlineData("1.1.1.1.", null)]
    [InlineData("1..1.1.11", null)]
    [InlineData("1.1.1", null)]
    [InlineData("1.1.1.1.1", null)]
    [InlineData("1.1.1.a", null)]
    [InlineData("1.1.1.1 ", null)]
    [InlineData("１.１.１.１１", null)]
    [InlineData("12.34.56.78/24", null)]
    public void IPv4_text_parses_to_its_address_or_is_refused(string text, uint? expected)
    {
        Assert.Equal(expected is not null, IocText.TryParseIPv4(text, out var value));
        Assert.Equal(expected ?? 0, value);
        Assert.Equal(expected is not null, IocText.TryParseIPv4Scalar(text, out var scalar));
        Assert.Equal(expected ?? 0, scalar);
    }

    [Fact]
    public void IPv4_fast_parse_agrees_with_the_scalar_parse_on_every_kind_of_text()
    {
        // Texts of 8 to 15 characters from an alphabet of digits, dots and a few others, biased towards the
        // near-valid: the vector path and the character-by-character one must agree on every one.
        var random = new Random(20261128);
        const string alphabet = "0123456789012345678901234567890123456789....../ a:";
        var valid = 0;
        for (var t = 0; t < 200_000; t++)
        {
            string text;
            if (t % 2 == 0)
            {
                text = string.Join('.', Enumerable.Range(0, 4).Select(_ => random.Next(random.Next(2) == 0 ? 256 : 1200).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(random.Next(1, 4), '0')));
            }
            else
            {
                var chars = new char[random.Next(8, 16)];
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = alphabet[random.Next(alphabet.Length)];
                }

                text = new string(chars);
            }

            var fast = IocText.TryParseIPv4(text, out var a);
            var scalar = IocText.TryParseIPv4Scalar(text, out var b);
            Assert.True(fast == scalar && a == b, $"'{text}': fast {fast} {a:X8}, scalar {scalar} {b:X8}");
            valid += fast ? 1 : 0;
        }

        // Both kinds of text occur: a test that only ever saw refusals would prove little.
        Assert.InRange(valid, 5_000, 100_000);
    }

    [Fact]
    public void Hex_digest_parse_agrees_with_the_runtime_parse_on_every_kind_of_text()
    {
        // Characters either side of every hex range, and wide ones whose low byte is a hex digit ('İ' is U+0130,
        // '０' is U+FF10): each must refuse the text, as Convert.FromHexString does.
        const string alphabet = "0123456789abcdefABCDEF0123456789abcdef/:@`gG\u0130\uFF10\u0100 ";
        var random = new Random(20261128);
        var accepted = 0;
        foreach (var length in new[] { 32, 40, 64 })
        {
            for (var t = 0; t < 20_000; t++)
            {
                var chars = new char[length];
                for (var i = 0; i < length; i++)
                {
                    chars[i] = alphabet[random.Next(t % 2 == 0 ? 22 : alphabet.Length)];
                }

                if (t % 4 == 1)
                {
                    // One stray character in otherwise valid hex.
                    for (var i = 0; i < length; i++)
                    {
                        chars[i] = alphabet[random.Next(22)];
                    }

                    chars[random.Next(length)] = alphabet[22 + random.Next(alphabet.Length - 22)];
                }

                var fast = new byte[length / 2];
                var reference = new byte[length / 2];
                var ok = IocText.TryParseHex(chars, fast);
                var expected = Convert.FromHexString(chars, reference, out _, out var written) == System.Buffers.OperationStatus.Done && written == reference.Length;
                Assert.True(ok == expected, $"'{new string(chars)}': fast {ok}, runtime {expected}");
                if (ok)
                {
                    Assert.Equal(reference, fast);
                    accepted++;
                }
            }
        }

        Assert.InRange(accepted, 20_000, 50_000);
    }

    [Fact]
    public void Url_in_normal_form_and_its_other_spellings_give_the_same_matches()
    {
        var (index, ids) = Build(
            Ioc(IocKind.Url, "https://login.evil.com/owa/auth/x.aspx"),
            Ioc(IocKind.Domain, "evil.com"),
            Ioc(IocKind.Domain, "login.evil.com"));

        int[] expected = [ids[0], ids[2], ids[1]];
        Assert.Equal(expected, index.MatchUrl("https://login.evil.com/owa/auth/x.aspx").ToArray());
        Assert.Equal(expected, index.MatchUrl("  https://login.evil.com/owa/auth/x.aspx\t").ToArray());
        Assert.Equal(expected, index.MatchUrl("HTTPS://Login.Evil.com:443/owa/auth/x.aspx#f").ToArray());
        Assert.Equal([ids[2], ids[1]], index.MatchUrl("https://login.evil.com/owa/auth/y.aspx").ToArray());
        Assert.Equal([ids[1]], index.MatchUrl("https://a.b.c.evil.com/").ToArray());
        Assert.True(index.MatchUrl("https://notevil.com/owa/auth/x.aspx").IsEmpty);
    }

    [Fact]
    public void Email_is_case_insensitive()
    {
        var (index, ids) = Build(Ioc(IocKind.Email, "Phish@Evil.com"));

        Assert.Equal("phish@evil.com", index.GetEntry(ids[0]).Value);
        Assert.Equal(ids, index.MatchEmail("PHISH@evil.COM").ToArray());
        Assert.True(index.MatchEmail("phish2@evil.com").IsEmpty);
    }

    [Fact]
    public void Hashes_match_case_insensitively_by_length()
    {
        const string Md5 = "D41D8CD98F00B204E9800998ECF8427E";
        const string Sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        const string Sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        var (index, ids) = Build(Ioc(IocKind.Md5, Md5), Ioc(IocKind.Sha1, Sha1), Ioc(IocKind.Sha256, Sha256));

        Assert.Equal([ids[0]], index.MatchHash(Md5.ToLowerInvariant()).ToArray());
        Assert.Equal([ids[1]], index.MatchHash(Sha1.ToUpperInvariant()).ToArray());
        Assert.Equal([ids[2]], index.MatchHash(Sha256).ToArray());
        Assert.Equal([ids[2]], index.MatchHash(Convert.FromHexString(Sha256)).ToArray());
        Assert.Equal(Sha256.ToLowerInvariant(), index.GetEntry(ids[2]).Value);
        Assert.True(index.MatchHash(string.Concat(Sha256.AsSpan(0, 63), "0")).IsEmpty);
        Assert.True(index.MatchHash(Sha256.AsSpan(0, 62)).IsEmpty);
    }

    [Fact]
    public void Hash_of_wrong_length_is_rejected_at_Add_naming_the_value()
    {
        var builder = new IocIndexBuilder();

        var error = Assert.Throws<ArgumentException>(() => builder.Add(Ioc(IocKind.Sha256, "abc123")));

        Assert.StartsWith("Sha256 'abc123' has 6 characters; a hex Sha256 hash has 64", error.Message);
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void Malformed_indicators_are_rejected_with_reasons_and_the_rest_are_added()
    {
        var builder = new IocIndexBuilder();
        var results = new[]
        {
            builder.TryAdd(Ioc(IocKind.IPv4, "300.1.1.1")),
            builder.TryAdd(Ioc(IocKind.CidrV4, "10.0.0.0/33")),
            builder.TryAdd(Ioc(IocKind.Domain, "evil..com")),
            builder.TryAdd(Ioc(IocKind.Url, "evil.com/path")),
            builder.TryAdd(Ioc(IocKind.Md5, "zz1d8cd98f00b204e9800998ecf8427e")),
            builder.TryAdd(Ioc(IocKind.FileName, @"c:\temp\x.exe")),
            builder.TryAdd(Ioc(IocKind.Domain, "ok.example", source: "")),
            builder.TryAdd(Ioc(IocKind.Domain, "ok.example") with { Confidence = 101 }),
            builder.TryAdd(Ioc(IocKind.Domain, "good.example")),
        };

        Assert.Equal(
            [
                "IPv4 '300.1.1.1' is not an IPv4 address (a.b.c.d)",
                "CidrV4 '10.0.0.0/33' is not a CIDR range: expected address/prefix-length with a length from 0 to 32",
                "Domain 'evil..com' is not a domain name (letters, digits, '-', '_' in non-empty labels separated by '.')",
                "Url 'evil.com/path' is not an absolute URL (scheme://host/path)",
                "Md5 'zz1d8cd98f00b204e9800998ecf8427e' contains characters that are not hex digits",
                @"FileName 'c:\temp\x.exe' is not a file name (empty, or it contains a path separator: use FilePath)",
                "Domain 'ok.example' has no source id",
                "Domain 'ok.example' has confidence 101; expected 0 to 100",
                null,
            ],
            results.Select(r => r.Error));
        Assert.Equal(0, results[^1].EntryId);
        var index = builder.Build();
        Assert.Equal(1, index.Count);
        Assert.Equal([0], index.MatchDomain("good.example").ToArray());
    }

    [Fact]
    public void User_agent_matches_exactly()
    {
        var (index, ids) = Build(Ioc(IocKind.UserAgent, "python-requests/2.31"));

        Assert.Equal(ids, index.MatchUserAgent("python-requests/2.31").ToArray());
        Assert.True(index.MatchUserAgent("Python-Requests/2.31").IsEmpty);
        Assert.True(index.MatchUserAgent("python-requests/2.31 ").IsEmpty);
    }

    [Fact]
    public void Values_longer_than_a_slot_can_measure_still_match_exactly()
    {
        // A slot keeps its value's length in 16 bits; longer values are measured in the value store instead.
        var longAgent = "Mozilla/5.0 " + new string('x', 70_000);
        var longUrl = "https://evil.com/" + new string('a', 70_000);
        var (index, ids) = Build(
            Ioc(IocKind.UserAgent, longAgent),
            Ioc(IocKind.UserAgent, longAgent, "feed-b"),
            Ioc(IocKind.Url, longUrl));

        Assert.Equal([ids[0], ids[1]], index.MatchUserAgent(longAgent).ToArray());
        Assert.True(index.MatchUserAgent(longAgent + "x").IsEmpty);
        Assert.True(index.MatchUserAgent(longAgent.AsSpan(0, longAgent.Length - 1)).IsEmpty);
        Assert.True(index.MatchUserAgent(longAgent[..^1] + "y").IsEmpty);
        Assert.Equal([ids[2]], index.MatchUrl(longUrl).ToArray());
        Assert.True(index.MatchUrl(longUrl + "a").IsEmpty);
    }

    [Fact]
    public void File_name_is_case_insensitive_and_found_at_the_end_of_a_path()
    {
        var (index, ids) = Build(Ioc(IocKind.FileName, "HttpProxy.ASPX"));

        Assert.Equal(ids, index.MatchFileName("httpproxy.aspx").ToArray());
        Assert.Equal(ids, index.MatchFileName(@"C:\inetpub\wwwroot\aspnet_client\HTTPPROXY.aspx").ToArray());
        Assert.Equal(ids, index.MatchFileName("httpproxy.aspx. ").ToArray());
        Assert.True(index.MatchFileName("httpproxy.aspx.bak").IsEmpty);
    }

    [Fact]
    public void File_path_is_case_insensitive_with_either_separator()
    {
        var (index, ids) = Build(Ioc(IocKind.FilePath, @"C:\inetpub\wwwroot\aspnet_client\shell.aspx"));

        Assert.Equal(ids, index.MatchFilePath("c:/INETPUB/wwwroot/aspnet_client/Shell.aspx").ToArray());
        Assert.Equal(ids, index.MatchFilePath(@"c:\inetpub\wwwroot/aspnet_client\shell.aspx").ToArray());
        Assert.True(index.MatchFilePath(@"c:\inetpub\wwwroot\shell.aspx").IsEmpty);
    }

    [Fact]
    public void One_value_from_several_sources_keeps_every_entry_and_its_metadata()
    {
        var (index, ids) = Build(
            Ioc(IocKind.Domain, "evil.com", "misp-1") with { Tlp = Tlp.Green, Confidence = 90, Reference = "indicator--1" },
            Ioc(IocKind.Domain, "EVIL.com", "taxii-2") with { Tlp = Tlp.Red, Confidence = 40 });

        Assert.Equal(ids, index.MatchDomain("mail.evil.com").ToArray());
        Assert.Equal(new IocEntry(ids[0], IocKind.Domain, "evil.com", "misp-1", Tlp.Green, 90, null, null, "indicator--1"), index.GetEntry(ids[0]));
        Assert.Equal(new IocEntry(ids[1], IocKind.Domain, "evil.com", "taxii-2", Tlp.Red, 40, null, null, null), index.GetEntry(ids[1]));
        Assert.Equal(Tlp.Red, index.EffectiveTlp(index.MatchDomain("evil.com")));
    }

    [Fact]
    public void Unmarked_indicator_defaults_to_amber()
    {
        var (index, ids) = Build(Ioc(IocKind.IPv4, "198.51.100.1"));

        Assert.Equal(Tlp.Amber, index.GetEntry(ids[0]).Tlp);
    }

    [Fact]
    public void Validity_window_includes_start_and_excludes_end()
    {
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var (index, ids) = Build(
            Ioc(IocKind.IPv4, "198.51.100.1") with { ValidFrom = from, ValidUntil = until },
            Ioc(IocKind.IPv4, "198.51.100.2"));

        Assert.False(index.IsValidAt(ids[0], from.AddTicks(-1)));
        Assert.True(index.IsValidAt(ids[0], from));
        Assert.True(index.IsValidAt(ids[0], new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.FromHours(-5)).AddHours(-6)));
        Assert.False(index.IsValidAt(ids[0], until));
        Assert.True(index.IsValidAt(ids[1], DateTimeOffset.MinValue));
        Assert.Equal(from, index.GetEntry(ids[0]).ValidFrom);
    }

    [Fact]
    public void Validity_window_that_ends_before_it_starts_is_rejected()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var result = new IocIndexBuilder().TryAdd(Ioc(IocKind.IPv4, "198.51.100.1") with { ValidFrom = at, ValidUntil = at });

        Assert.False(result.Added);
        Assert.StartsWith("IPv4 '198.51.100.1' is valid until 2026-01-01", result.Error);
    }

    [Fact]
    public void Lookups_do_not_allocate()
    {
        var (index, _) = Build(
            Ioc(IocKind.IPv4, "1.2.3.4"),
            Ioc(IocKind.CidrV4, "10.0.0.0/8"),
            Ioc(IocKind.Domain, "evil.com"),
            Ioc(IocKind.Url, "http://evil.com/a"),
            Ioc(IocKind.Sha256, new string('a', 64)),
            Ioc(IocKind.FilePath, @"c:\x\y.aspx"));
        var address = IPAddress.Parse("10.1.2.3");
        var sha = new string('A', 64);

        // The runtime itself may allocate on this thread while it tiers the lookups up (call counting,
        // on-stack replacement), so each round is measured apart and the quietest round must be zero:
        // a lookup that allocates makes every round allocate.
        var count = 0;
        var quietest = long.MaxValue;
        for (var round = 0; round < 20; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++)
            {
                count += Lookups();
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, quietest);
        Assert.Equal(20 * 100 * 7, count);

        int Lookups() =>
            index.Match("1.2.3.4").Count + index.Match(address).Count + index.Match("2001:db8::1").Count
            + index.MatchDomain("a.evil.com").Count + index.MatchDomain("notevil.com").Count
            + index.MatchUrl("HTTP://EVIL.com:80/a#x").Count + index.MatchHash(sha).Count
            + index.MatchFilePath("C:/X/Y.aspx").Count;
    }
}
