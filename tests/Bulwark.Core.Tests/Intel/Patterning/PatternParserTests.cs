using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Tests.Intel.Patterning;

public sealed class PatternParserTests
{
    // Patterns from the STIX 2.1 patterning section (and its grammar) already written in canonical form.
    public static readonly TheoryData<string> CanonicalPatterns =
    [
        @"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        @"[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']",
        @"[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
        @"[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
        @"[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']",
        @"[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bc:a2:e9:65:ea:ab']",
        @"([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) WITHIN 300 SECONDS",
        @"[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul']",
        @"[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00']",
        @"[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32']",
        @"[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
        @"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
        @"[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
        @"[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
        @"[file:created > t'2016-01-01T00:00:00Z'] START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'",
        @"[process:command_line LIKE '%powershell%']",
        @"[EXISTS windows-registry-key:values]",
        @"[NOT EXISTS windows-registry-key:values[*].data]",
        @"[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\WSALG2']",
        @"[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']",
        @"[x-usb-device:usbdrive.serial_number = '575833303939303331393131']",
        @"[file:mime_type = 'application/x-pdf' AND file:size > 65536]",
        @"[network-traffic:src_port = 37020 AND network-traffic:dst_port = 80 AND network-traffic:protocols[*] = 'tcp']",
        @"[file:size IN (256, 512, 1024)]",
        @"[email-message:is_multipart = true]",
        @"[file:created = t'2014-01-13T07:03:17Z']",
        @"[file:modified < t'2014-01-13T07:03:17.123Z']",
        @"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
        @"[file:magic_number_hex = h'ffd8']",
        @"[network-traffic:dst_ref.value ISSUPERSET '198.51.100.0/24']",
        @"[file:name NOT = 'foo.exe']",
        @"[ipv4-addr:value NOT IN ('198.51.100.1', '198.51.100.2')]",
        @"[windows-registry-key:values[0].name = 'Foo']",
        @"[process:extensions.'windows-process-ext'.aslr_enabled = true]",
        @"[email-message:from_ref.value NOT LIKE '%@example.com']",
        @"[file:name = 'a'] OR [file:name = 'b'] AND [file:name = 'c']",
        @"([file:name = 'a'] OR [file:name = 'b']) AND [file:name = 'c']",
        @"[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] OR [file:name = 'c']",
        @"[file:name = 'a' OR file:name = 'b' AND file:size < 100]",
        @"[(file:name = 'a' OR file:name = 'b') AND file:size <= 100]",
        @"[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'example.com'] WITHIN 600.5 SECONDS",
        @"[process:pid >= -1 AND process:cwd != 'C:\\Temp']",
        @"[file:size < -0.5]",
        @"[x-custom:'odd name'.'it\'s' = 'x']",
        @"[file:hashes.'IN' = 'a']",
        @"[file:name = 'it\'s']",
        @"[file:name IN ()]",
        @"[process:arguments[-1] = '-enc']",
    ];

    [Theory]
    [MemberData(nameof(CanonicalPatterns))]
    public void Canonical_pattern_prints_as_written(string text) =>
        Assert.Equal(text, Pattern.Parse(text).ToString());

    [Theory]
    [MemberData(nameof(CanonicalPatterns))]
    [MemberData(nameof(NonCanonicalPatterns))]
    public void Parse_of_ToString_equals_the_original(string text)
    {
        var pattern = Pattern.Parse(text);
        var again = Pattern.Parse(pattern.ToString());
        Assert.Equal(pattern, again);
        Assert.Equal(pattern.GetHashCode(), again.GetHashCode());
        Assert.Equal(pattern.ToString(), again.ToString());
    }

    public static readonly TheoryData<string, string> NonCanonicalPatternPairs = new()
    {
        { "[file:name=='a']", "[file:name = 'a']" },
        { "[file:name<>'a']", "[file:name != 'a']" },
        { "  [ file : name = 'a' ]  ", "[file:name = 'a']" },
        { "[file:name = 'a'] /* comment */ AND // line\n[file:size = 1]", "[file:name = 'a'] AND [file:size = 1]" },
        { "(([file:name = 'a']))", "[file:name = 'a']" },
        { "[((file:name = 'a'))]", "[file:name = 'a']" },
        { "([file:name = 'a'] REPEATS 2 TIMES) WITHIN 5 SECONDS", "[file:name = 'a'] REPEATS 2 TIMES WITHIN 5 SECONDS" },
        { "[file:size IN (1,2 , 3)]", "[file:size IN (1, 2, 3)]" },
        { "[file:size = +5]", "[file:size = 5]" },
        { "[file:size > .5]", "[file:size > 0.5]" },
        { "[file:'name' = 'a']", "[file:name = 'a']" },
        { "[file:magic_number_hex = h'FFD8']", "[file:magic_number_hex = h'ffd8']" },
        { "[file:created = t'2014-01-13T07:03:17.1000Z']", "[file:created = t'2014-01-13T07:03:17.1Z']" },
        { "[file:name = 'a'\t OR\r\nfile:name = 'b']", "[file:name = 'a' OR file:name = 'b']" },
        { "[file:name = 'a' AND (file:size = 1 AND file:size = 2)]", "[file:name = 'a' AND (file:size = 1 AND file:size = 2)]" },
        { "[file:name = 'a' OR (file:size = 1 AND file:size = 2)]", "[file:name = 'a' OR file:size = 1 AND file:size = 2]" },
        { "[a-b:x = 1] WITHIN 5 SECONDS START t'2016-01-01T00:00:00Z' STOP t'2016-01-02T00:00:00Z'", "[a-b:x = 1] WITHIN 5 SECONDS START t'2016-01-01T00:00:00Z' STOP t'2016-01-02T00:00:00Z'" },
    };

    public static TheoryData<string> NonCanonicalPatterns() => [.. NonCanonicalPatternPairs.Select(row => row.Data.Item1)];

    [Theory]
    [MemberData(nameof(NonCanonicalPatternPairs))]
    public void Parse_normalises_to_canonical_text(string text, string canonical) =>
        Assert.Equal(canonical, Pattern.Parse(text).ToString());

    [Fact]
    public void Observation_AND_binds_tighter_than_OR_and_OR_tighter_than_FOLLOWEDBY()
    {
        var pattern = Pattern.Parse("[a-a:x = 1] FOLLOWEDBY [b-b:x = 1] OR [c-c:x = 1] AND [d-d:x = 1]");

        var followedBy = Assert.IsType<CompositeObservation>(pattern.Expression);
        Assert.Equal(ObservationOperator.FollowedBy, followedBy.Operator);
        Assert.Equal(2, followedBy.Operands.Count);
        Assert.IsType<SimpleObservation>(followedBy.Operands[0]);
        var or = Assert.IsType<CompositeObservation>(followedBy.Operands[1]);
        Assert.Equal(ObservationOperator.Or, or.Operator);
        var and = Assert.IsType<CompositeObservation>(or.Operands[1]);
        Assert.Equal(ObservationOperator.And, and.Operator);
        Assert.Equal("[d-d:x = 1]", and.Operands[1].ToString());
    }

    [Fact]
    public void Comparison_AND_binds_tighter_than_OR_inside_brackets()
    {
        var pattern = Pattern.Parse("[file:name = 'a' OR file:name = 'b' AND file:size < 100]");

        var observation = Assert.IsType<SimpleObservation>(pattern.Expression);
        var or = Assert.IsType<CompositeComparison>(observation.Comparison);
        Assert.Equal(LogicalOperator.Or, or.Operator);
        Assert.Equal(
            new PropertyComparison(Path("file", "name"), ComparisonOperator.Equal, false, new StringLiteral("a")),
            or.Operands[0]);
        var and = Assert.IsType<CompositeComparison>(or.Operands[1]);
        Assert.Equal(LogicalOperator.And, and.Operator);
        Assert.Equal(
            new PropertyComparison(Path("file", "size"), ComparisonOperator.LessThan, false, new IntegerLiteral(100)),
            and.Operands[1]);
    }

    [Fact]
    public void Chains_of_one_operator_are_flat()
    {
        var pattern = Pattern.Parse("[a-a:x = 1] OR [a-a:x = 2] OR [a-a:x = 3]");

        var or = Assert.IsType<CompositeObservation>(pattern.Expression);
        Assert.Equal(3, or.Operands.Count);
    }

    [Fact]
    public void Object_path_keeps_quoted_keys_and_list_steps()
    {
        var pattern = Pattern.Parse("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]");

        var comparison = Assert.IsType<PropertyComparison>(Assert.IsType<SimpleObservation>(pattern.Expression).Comparison);
        Assert.Equal("file", comparison.Path.ObjectType);
        Assert.Equal<PathStep>(
            [new PropertyStep("extensions"), new PropertyStep("windows-pebinary-ext"), new PropertyStep("sections"), new IndexStep(null), new PropertyStep("entropy")],
            comparison.Path.Steps);
        Assert.Equal(ComparisonOperator.GreaterThan, comparison.Operator);
        Assert.Equal(new FloatLiteral(7.0m), comparison.Value);
    }

    [Fact]
    public void String_escapes_are_decoded()
    {
        var pattern = Pattern.Parse(@"[file:parent_directory_ref.path = 'C:\\Windows\\it\'s']");

        var comparison = Assert.IsType<PropertyComparison>(Assert.IsType<SimpleObservation>(pattern.Expression).Comparison);
        Assert.Equal(new StringLiteral(@"C:\Windows\it's"), comparison.Value);
    }

    [Fact]
    public void Literals_decode_to_typed_values()
    {
        var set = Literal("[x-y:v IN ('s', -7, 1.25, true, false, b'AAEC', h'0aFF', t'2016-06-01T01:02:03.5Z')]");

        var items = Assert.IsType<SetLiteral>(set).Items;
        Assert.Equal(new StringLiteral("s"), items[0]);
        Assert.Equal(new IntegerLiteral(-7), items[1]);
        Assert.Equal(new FloatLiteral(1.25m), items[2]);
        Assert.Equal(new BooleanLiteral(true), items[3]);
        Assert.Equal(new BooleanLiteral(false), items[4]);
        Assert.Equal(new byte[] { 0, 1, 2 }, Assert.IsType<BinaryLiteral>(items[5]).ToBytes());
        Assert.Equal(new byte[] { 0x0a, 0xff }, Assert.IsType<HexLiteral>(items[6]).ToBytes());
        Assert.Equal(
            new DateTimeOffset(2016, 6, 1, 1, 2, 3, 500, TimeSpan.Zero),
            Assert.IsType<TimestampLiteral>(items[7]).Value);
    }

    [Fact]
    public void Qualifiers_are_kept_in_order()
    {
        var pattern = Pattern.Parse("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] REPEATS 5 TIMES WITHIN 1800 SECONDS");

        var qualified = Assert.IsType<QualifiedObservation>(pattern.Expression);
        Assert.IsType<SimpleObservation>(qualified.Inner);
        Assert.Equal<ObservationQualifier>([new RepeatsQualifier(5), new WithinQualifier(1800)], qualified.Qualifiers);
    }

    [Fact]
    public void Exists_is_its_own_node()
    {
        var pattern = Pattern.Parse("[EXISTS windows-registry-key:values[*].name]");

        var exists = Assert.IsType<ExistsComparison>(Assert.IsType<SimpleObservation>(pattern.Expression).Comparison);
        Assert.Equal("windows-registry-key:values[*].name", exists.Path.ToString());
        Assert.False(exists.Negated);
        var negated = Pattern.Parse("[NOT EXISTS windows-registry-key:values]");
        Assert.True(Assert.IsType<ExistsComparison>(Assert.IsType<SimpleObservation>(negated.Expression).Comparison).Negated);
    }

    [Fact]
    public void Parentheses_change_the_tree_and_survive_printing()
    {
        var grouped = Pattern.Parse("([a-a:x = 1] OR [a-a:x = 2]) AND [a-a:x = 3]");
        var plain = Pattern.Parse("[a-a:x = 1] OR [a-a:x = 2] AND [a-a:x = 3]");

        Assert.NotEqual(grouped, plain);
        Assert.Equal("([a-a:x = 1] OR [a-a:x = 2]) AND [a-a:x = 3]", grouped.ToString());
    }

    public static readonly TheoryData<string, int, string, string> InvalidPatterns = new()
    {
        { "", 0, "", "pattern is empty" },
        { "   ", 3, "", "pattern is empty" },
        { "[File:name = 'x']", 1, "File", "object type 'File' must be lower case" },
        { "[file:name EQUALS 'x']", 11, "EQUALS", "unknown operator 'EQUALS'" },
        { "[file:name = 'x'", 16, "", "expected ']' to close the observation started at 0" },
        { "[file:name = 'x' file:size = 1]", 17, "file", "expected ']' to close the observation started at 0" },
        { "[file:name = 'abc]", 13, "'abc]", "unterminated string starting at 13" },
        { "[file:name =  'abc", 14, "'abc", "unterminated string starting at 14" },
        { "[file:created > t'2016-01-01 00:00:00Z']", 16, "t'2016-01-01 00:00:00Z'", "timestamp must be RFC 3339 in UTC, like t'2016-01-01T00:00:00Z'" },
        { "[file:created > t'2016-01-01T00:00:00+01:00']", 16, "t'2016-01-01T00:00:00+01:00'", "timestamp must be RFC 3339 in UTC, like t'2016-01-01T00:00:00Z'" },
        { "[file:created > t'2016-02-30T00:00:00Z']", 16, "t'2016-02-30T00:00:00Z'", "timestamp must be RFC 3339 in UTC: date or time out of range" },
        { "[file:created > t'2016-12-31T23:59:60Z']", 16, "t'2016-12-31T23:59:60Z'", "timestamp with a leap second (60) is not supported" },
        { "[file:created = t'2016-01-01T00:00:00Z", 16, "t'2016-01-01T00:00:00Z", "unterminated timestamp starting at 16" },
        { "[]", 1, "]", "empty observation: expected a comparison" },
        { "[file:name = 'x'] and [file:name = 'y']", 18, "and", "keywords are upper case: use 'AND'" },
        { "[file:name = 'x' or file:name = 'y']", 17, "or", "keywords are upper case: use 'OR'" },
        { "[file:hashes.SHA-256 = 'x']", 13, "SHA-256", "property name 'SHA-256' contains '-': quote it as 'SHA-256'" },
        { "[file:hashes.IN = 'x']", 13, "IN", "property name 'IN' is a keyword: quote it as 'IN'" },
        { @"[file:name = 'a\x']", 15, @"\x", @"invalid escape '\x': only \' and \\ are allowed" },
        { "[file:size IN 'a']", 14, "'a'", "IN needs a set of literals in parentheses, like ('a', 'b')" },
        { "[file:size IN ('a' 'b')]", 19, "'b'", "expected ',' or ')' in the set opened at 14" },
        { "[file:name LIKE 5]", 16, "5", "LIKE needs a string literal" },
        { "[file:name MATCHES true]", 19, "true", "MATCHES needs a string literal" },
        { "[file:name like 'x']", 11, "like", "operators are upper case: use 'LIKE'" },
        { "[file:name = ('a')]", 13, "(", "a set of literals is allowed only after IN" },
        { "[file:name = TRUE]", 13, "TRUE", "booleans are lower case: use 'true' or 'false'" },
        { "[file:size > true]", 13, "true", "operator '>' cannot order a boolean" },
        { "[file:name = 'x'] WITHIN 0 SECONDS", 25, "0", "WITHIN needs a positive number of seconds" },
        { "[file:name = 'x'] WITHIN 5 MINUTES", 27, "MINUTES", "expected 'SECONDS' after the WITHIN duration" },
        { "[file:name = 'x'] REPEATS 1.5 TIMES", 26, "1.5", "REPEATS needs a whole number of times" },
        { "[file:name = 'x'] REPEATS 3", 27, "", "expected 'TIMES' after the REPEATS count" },
        { "[file:name = 'x'] START '2016-01-01T00:00:00Z' STOP '2017-01-01T00:00:00Z'", 24, "'2016-01-01T00:00:00Z'", "START needs a timestamp literal like t'2016-01-01T00:00:00Z'" },
        { "[file:name = 'x'] START t'2017-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", 53, "t'2016-01-01T00:00:00Z'", "STOP must be later than START" },
        { "[file:name = 'x'] FOLLOWEDBY", 28, "", "pattern ends where an observation '[...]' was expected" },
        { "file:name = 'x'", 0, "file", "expected '[' or '(' to start an observation" },
        { "[file:magic_number_hex = h'abc']", 25, "h'abc'", "hex literal must be pairs of hex digits" },
        { "[artifact:payload_bin = b'abc']", 24, "b'abc'", "binary literal must be base64" },
        { "[file:name = 'x'])", 17, ")", "')' has no matching '('" },
        { "([file:name = 'x']", 18, "", "expected ')' to close the parenthesis opened at 0" },
        { "[file:name = 'x' AND (file:size = 1]", 35, "]", "expected ')' to close the parenthesis opened at 21" },
        { "[windows-registry-key:values[*].name EXISTS]", 37, "EXISTS", "EXISTS goes before the object path, as in 'EXISTS windows-registry-key:values[*].name'" },
        { "[file:name = 'x' \0]", 17, "U+0000", "unexpected character 'U+0000'" },
        { "[file:name = 'x'\u0007]", 16, "U+0007", "unexpected character 'U+0007'" },
        { "[file:size = 007]", 13, "007", "integer '007' must not have leading zeros" },
        { "[file:size = 99999999999999999999]", 13, "99999999999999999999", "integer '99999999999999999999' is out of range" },
        { "[x:name = 'a']", 1, "x", "object type 'x' must be 3 to 250 characters long" },
        { "[my_type:name = 'a']", 1, "my_type", "object type 'my_type' may contain only a-z, 0-9 and '-'" },
        { "[file name = 'a']", 6, "name", "expected ':' after object type 'file'" },
        { "[file:name = 'x'] /* open", 18, "/*", "unterminated comment starting at 18" },
        { "[file:list[x] = 1]", 11, "x", "list index must be an integer or '*'" },
        { "[file:list[0 = 1]", 13, "=", "expected ']' to close the list index opened at 10" },
        { "[file:name =]", 12, "]", "expected a literal value such as 'text', 42, 1.5, true, t'…', h'…' or b'…'" },
        { "[file:name]", 10, "]", "expected a comparison operator after 'file:name'" },
        { "[NOT file:name = 'a']", 5, "file", "only EXISTS may follow a leading NOT; negate other comparisons before the operator, as in 'file:name NOT = 'x''" },
        { "[file:name NOT NOT = 'a']", 15, "NOT", "NOT may appear only once, before the operator" },
        { "[file:name = 'x'] [file:name = 'y']", 18, "[", "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatterns))]
    public void Invalid_pattern_reports_offset_token_and_cause(string text, int offset, string token, string message)
    {
        Assert.False(Pattern.TryParse(text, out var pattern, out var error));

        Assert.Null(pattern);
        Assert.Equal(new PatternError(offset, token, message), error);
        var thrown = Assert.Throws<PatternException>(() => Pattern.Parse(text));
        Assert.Equal(error, thrown.Error);
    }

    [Fact]
    public void TryParse_succeeds_without_error()
    {
        Assert.True(Pattern.TryParse("[domain-name:value = 'example.com']", out var pattern, out var error));

        Assert.Null(error);
        Assert.Equal("[domain-name:value = 'example.com']", pattern!.ToString());
    }

    [Fact]
    public void Error_text_names_offset_and_token()
    {
        var error = Assert.Throws<PatternException>(() => Pattern.Parse("[File:name = 'x']"));

        Assert.Equal("object type 'File' must be lower case (at offset 1, near 'File')", error.Message);
    }

    [Fact]
    public void SimpleValues_lists_OR_joined_equalities()
    {
        var values = Pattern.Parse("[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '5.6.7.8']").SimpleValues();

        Assert.NotNull(values);
        Assert.Equal(["ipv4-addr:value = '1.2.3.4'", "ipv4-addr:value = '5.6.7.8'"], values.Select(v => v.ToString()));
        Assert.Equal(new SimpleValue(Path("ipv4-addr", "value"), new StringLiteral("1.2.3.4")), values[0]);
    }

    [Fact]
    public void SimpleValues_expands_IN_sets()
    {
        var values = Pattern.Parse("[file:hashes.'SHA-256' IN ('a','b') OR (file:hashes.MD5 = 'c')]").SimpleValues();

        Assert.NotNull(values);
        Assert.Equal(
            [
                new SimpleValue(Path("file", "hashes", "SHA-256"), new StringLiteral("a")),
                new SimpleValue(Path("file", "hashes", "SHA-256"), new StringLiteral("b")),
                new SimpleValue(Path("file", "hashes", "MD5"), new StringLiteral("c")),
            ],
            values);
    }

    [Theory]
    [InlineData("[ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value = '5.6.7.8']")]
    [InlineData("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS")]
    [InlineData("[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']")]
    [InlineData("[ipv4-addr:value != '1.2.3.4']")]
    [InlineData("[ipv4-addr:value NOT = '1.2.3.4']")]
    [InlineData("[ipv4-addr:value NOT IN ('1.2.3.4')]")]
    [InlineData("[url:value LIKE 'http://%']")]
    [InlineData("[url:value = 'a' OR url:value MATCHES 'b']")]
    [InlineData("[EXISTS url:value]")]
    [InlineData("[NOT EXISTS url:value]")]
    [InlineData("([file:name = 'a'] FOLLOWEDBY [file:name = 'b'])")]
    public void SimpleValues_is_null_for_anything_more_complex(string text) =>
        Assert.Null(Pattern.Parse(text).SimpleValues());

    [Fact]
    public void Ten_thousand_nested_parentheses_fail_at_the_depth_cap()
    {
        var text = new string('(', 10_000) + "[file:name = 'x']" + new string(')', 10_000);

        Assert.False(Pattern.TryParse(text, out _, out var error));

        Assert.Equal(new PatternError(256, "(", "nesting deeper than 256 brackets or parentheses"), error);
    }

    [Fact]
    public void Ten_thousand_nested_comparison_parentheses_fail_at_the_depth_cap()
    {
        var text = "[" + new string('(', 10_000) + "file:name = 'x'" + new string(')', 10_000) + "]";

        Assert.False(Pattern.TryParse(text, out _, out var error));

        Assert.Equal(new PatternError(256, "(", "nesting deeper than 256 brackets or parentheses"), error);
    }

    [Fact]
    public void Nesting_up_to_the_cap_parses()
    {
        var text = new string('(', 255) + "[file:name = 'x']" + new string(')', 255);

        Assert.Equal("[file:name = 'x']", Pattern.Parse(text).ToString());
    }

    [Fact]
    public void One_megabyte_chain_of_observations_parses_compares_and_prints()
    {
        const string Unit = "[ipv4-addr:value = '198.51.100.1'] OR ";
        var count = (1 << 20) / Unit.Length;
        var text = string.Concat(Enumerable.Repeat(Unit, count)) + "[ipv4-addr:value = '198.51.100.2']";

        var pattern = Pattern.Parse(text);

        Assert.Equal(count + 1, Assert.IsType<CompositeObservation>(pattern.Expression).Operands.Count);
        Assert.Equal(text, pattern.ToString());
        Assert.Equal(pattern, Pattern.Parse(pattern.ToString()));
    }

    [Fact]
    public void One_megabyte_IN_set_gives_every_simple_value()
    {
        var items = Enumerable.Range(0, 100_000).Select(i => $"'{i:x8}'");
        var text = $"[file:hashes.MD5 IN ({string.Join(", ", items)})]";
        Assert.True(text.Length > 1_000_000);

        var values = Pattern.Parse(text).SimpleValues();

        Assert.NotNull(values);
        Assert.Equal(100_000, values.Count);
        Assert.Equal(new StringLiteral("0001869f"), values[^1].Value);
    }

    [Fact]
    public void One_megabyte_unterminated_string_reports_its_start_with_a_short_token()
    {
        var text = "[file:name = '" + new string('a', 1 << 20);

        Assert.False(Pattern.TryParse(text, out _, out var error));

        Assert.Equal(13, error!.Offset);
        Assert.Equal("'" + new string('a', 31) + "…", error.Token);
        Assert.Equal("unterminated string starting at 13", error.Message);
    }

    [Fact]
    public void Control_characters_inside_strings_are_data()
    {
        var literal = Literal("[file:name = 'a\0b\u0001\r\n']");

        Assert.Equal(new StringLiteral("a\0b\u0001\r\n"), literal);
        Assert.Equal("[file:name = 'a\0b\u0001\r\n']", Pattern.Parse("[file:name = 'a\0b\u0001\r\n']").ToString());
    }

    [Fact]
    public void Lone_backslash_at_end_is_an_unterminated_string()
    {
        Assert.False(Pattern.TryParse(@"[file:name = 'a\", out _, out var error));

        Assert.Equal(new PatternError(13, @"'a\", "unterminated string starting at 13"), error);
    }

    private static PatternLiteral Literal(string text) =>
        Assert.IsType<PropertyComparison>(Assert.IsType<SimpleObservation>(Pattern.Parse(text).Expression).Comparison).Value;

    private static ObjectPath Path(string type, params string[] properties) =>
        new(type, new EquatableList<PathStep>(properties.Select(p => (PathStep)new PropertyStep(p))));
}
