using Bulwark.Core.Intel.Evaluation;

namespace Bulwark.Core.Tests.Intel.Evaluation;

/// <summary>
/// Comparison semantics, ported from the OASIS reference matcher's tests (oasis-open/cti-pattern-matcher,
/// stix2matcher/test/v21: test_basic_ops, test_comparison_exprs, test_null, test_binary, test_timestamps,
/// test_references). Object types with '_' are renamed with '-' (the grammar allows no '_' in a type). Where Bulwark
/// deliberately differs, the test says so.
/// </summary>
public sealed class MatcherComparisonTests
{
    private static readonly List<Observation> Basic = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "2014-04-19T06:51:26Z", "last_observed": "2014-04-19T06:51:26Z", "number_observed": 1,
          "objects": {"0": {"type": "test", "int": 5, "float": 12.658, "float_int": 12.0, "bool": true, "string": "hello",
                            "ip": "11.22.33.44", "cidr": "11.22.33.44/20"}}}]
        """);

    [Theory]
    [InlineData("[test:int = 5]")]
    [InlineData("[test:int NOT != 5]")]
    [InlineData("[test:int > 3]")]
    [InlineData("[test:int NOT < 3]")]
    [InlineData("[test:int < 12]")]
    [InlineData("[test:int > 4.9]")]
    [InlineData("[test:int < 5.1]")]
    [InlineData("[test:int >= 5]")]
    [InlineData("[test:int NOT < 5]")]
    [InlineData("[test:int <= 5]")]
    [InlineData("[test:int != false]")]
    [InlineData("[test:int != true]")]
    [InlineData("[test:int NOT = true]")]
    [InlineData("[test:int != 'world']")]
    [InlineData("[test:int != h'010203']")]
    [InlineData("[test:int != b'AQIDBA==']")]
    [InlineData("[test:int != t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:int IN (-4, 5, 6)]")]
    [InlineData("[test:int IN (-4, 5, 6.6)]")]
    [InlineData("[test:int NOT IN ('a', 'b', 'c')]")]
    [InlineData("[test:int NOT MATCHES 'l+']")]
    [InlineData("[test:int NOT LIKE 'he%']")]
    [InlineData("[test:float = 12.658]")]
    [InlineData("[test:float NOT != 12.658]")]
    [InlineData("[test:float > 3]")]
    [InlineData("[test:float NOT < 3]")]
    [InlineData("[test:float < 22]")]
    [InlineData("[test:float > 12.65799]")]
    [InlineData("[test:float < 12.65801]")]
    [InlineData("[test:float >= 12.658]")]
    [InlineData("[test:float <= 12.658]")]
    [InlineData("[test:float != false]")]
    [InlineData("[test:float != true]")]
    [InlineData("[test:float != 'world']")]
    [InlineData("[test:float != h'010203']")]
    [InlineData("[test:float != b'AQIDBA==']")]
    [InlineData("[test:float != t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:float IN (-4.21, 12.658, 964.321)]")]
    [InlineData("[test:float_int IN (11, 12, 13)]")]
    [InlineData("[test:float_int IN (11.1, 12, 13)]")]
    [InlineData("[test:float NOT IN ('a', 'b', 'c')]")]
    [InlineData("[test:float NOT MATCHES 'l+']")]
    [InlineData("[test:float NOT LIKE 'he%']")]
    [InlineData("[test:bool != 1]")]
    [InlineData("[test:bool != 32.567]")]
    [InlineData("[test:bool = true]")]
    [InlineData("[test:bool NOT != true]")]
    [InlineData("[test:bool != false]")]
    [InlineData("[test:bool NOT = false]")]
    [InlineData("[test:bool != 'world']")]
    [InlineData("[test:bool != h'010203']")]
    [InlineData("[test:bool != b'AQIDBA==']")]
    [InlineData("[test:bool != t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:bool IN (false, true, false)]")]
    [InlineData("[test:bool NOT IN ('a', 'b', 'c')]")]
    [InlineData("[test:bool NOT MATCHES 'l+']")]
    [InlineData("[test:bool NOT LIKE 'he%']")]
    [InlineData("[test:string != 1]")]
    [InlineData("[test:string != 32.567]")]
    [InlineData("[test:string != true]")]
    [InlineData("[test:string != false]")]
    [InlineData("[test:string = 'hello']")]
    [InlineData("[test:string NOT != 'hello']")]
    [InlineData("[test:string != 'world']")]
    [InlineData("[test:string NOT = 'world']")]
    [InlineData("[test:string > 'alice']")]
    [InlineData("[test:string < 'zelda']")]
    [InlineData("[test:string >= 'hello']")]
    [InlineData("[test:string <= 'hello']")]
    [InlineData("[test:string != h'010203']")]
    [InlineData("[test:string != b'AQIDBA==']")]
    [InlineData("[test:string LIKE 'he%']")]
    [InlineData("[test:string LIKE 'he__o']")]
    [InlineData("[test:string MATCHES 'l+']")]
    [InlineData("[test:string MATCHES '.lo$']")]
    [InlineData("[test:string IN ('goodbye', 'hello', 'world')]")]
    [InlineData("[test:string NOT IN (1, 2, 3)]")]
    [InlineData("[test:ip ISSUBSET '11.22.41.123/20']")]
    [InlineData("[test:ip NOT ISSUBSET '11.22.123.41/20']")]
    [InlineData("[test:cidr ISSUPERSET '11.22.41.123']")]
    [InlineData("[test:cidr ISSUPERSET '11.22.41.123/29']")]
    [InlineData("[test:cidr NOT ISSUPERSET '11.22.33.44/13']")]
    [InlineData("[test:cidr NOT ISSUPERSET '11.22.123.41/29']")]
    [InlineData("[test:int NOT ISSUPERSET '11.22.33.44']")]
    [InlineData("[test:int NOT ISSUBSET '11.22.33.44']")]
    [InlineData("[test:float NOT ISSUPERSET '11.22.33.44']")]
    [InlineData("[test:float NOT ISSUBSET '11.22.33.44']")]
    [InlineData("[test:bool NOT ISSUPERSET '11.22.33.44']")]
    [InlineData("[test:bool NOT ISSUBSET '11.22.33.44']")]
    [InlineData("[test:string NOT IN ()]")]
    public void Basic_operations_match_as_in_the_reference_matcher(string pattern) => Stix.Matches(pattern, Basic);

    [Theory]
    [InlineData("[test:int NOT = 5]")]
    [InlineData("[test:int NOT != 8]")]
    [InlineData("[test:int > 8]")]
    [InlineData("[test:int < 2]")]
    [InlineData("[test:int > 5.1]")]
    [InlineData("[test:int < 4.9]")]
    [InlineData("[test:int = false]")]
    [InlineData("[test:int = true]")]
    [InlineData("[test:int = 'world']")]
    [InlineData("[test:int = h'010203']")]
    [InlineData("[test:int > h'010203']")]
    [InlineData("[test:int = b'AQIDBA==']")]
    [InlineData("[test:int < b'AQIDBA==']")]
    [InlineData("[test:int = t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:int > t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:int LIKE 'he%']")]
    [InlineData("[test:int MATCHES 'l+']")]
    [InlineData("[test:int NOT IN (-4, 5, 6)]")]
    [InlineData("[test:int NOT IN (-4, 5, 6.6)]")]
    [InlineData("[test:int IN ('a', 'b', 'c')]")]
    [InlineData("[test:float NOT = 12.658]")]
    [InlineData("[test:float != 12.658]")]
    [InlineData("[test:float > 22]")]
    [InlineData("[test:float < 3]")]
    [InlineData("[test:float > 12.65801]")]
    [InlineData("[test:float < 12.65799]")]
    [InlineData("[test:float = false]")]
    [InlineData("[test:float = true]")]
    [InlineData("[test:float = 'world']")]
    [InlineData("[test:float NOT != 'world']")]
    [InlineData("[test:float = h'010203']")]
    [InlineData("[test:float > h'010203']")]
    [InlineData("[test:float = b'AQIDBA==']")]
    [InlineData("[test:float < b'AQIDBA==']")]
    [InlineData("[test:float = t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:float > t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:float LIKE 'he%']")]
    [InlineData("[test:float MATCHES 'l+']")]
    [InlineData("[test:float NOT IN (-4.21, 12.658, 964.321)]")]
    [InlineData("[test:float_int NOT IN (11, 12, 13)]")]
    [InlineData("[test:float_int NOT IN (11.1, 12, 13)]")]
    [InlineData("[test:float IN ('a', 'b', 'c')]")]
    [InlineData("[test:bool = 1]")]
    [InlineData("[test:bool = 32.567]")]
    [InlineData("[test:bool != true]")]
    [InlineData("[test:bool NOT = true]")]
    [InlineData("[test:bool = false]")]
    [InlineData("[test:bool NOT != false]")]
    [InlineData("[test:bool = 'world']")]
    [InlineData("[test:bool = h'010203']")]
    [InlineData("[test:bool = b'AQIDBA==']")]
    [InlineData("[test:bool = t'1965-07-19T22:41:38Z']")]
    [InlineData("[test:bool LIKE 'he%']")]
    [InlineData("[test:bool MATCHES 'l+']")]
    [InlineData("[test:bool NOT IN (false, true, false)]")]
    [InlineData("[test:bool IN ('a', 'b', 'c')]")]
    [InlineData("[test:string = 1]")]
    [InlineData("[test:string = 32.567]")]
    [InlineData("[test:string = true]")]
    [InlineData("[test:string = false]")]
    [InlineData("[test:string != 'hello']")]
    [InlineData("[test:string NOT = 'hello']")]
    [InlineData("[test:string = 'world']")]
    [InlineData("[test:string NOT != 'world']")]
    [InlineData("[test:string < 'alice']")]
    [InlineData("[test:string > 'zelda']")]
    [InlineData("[test:string <= 'alice']")]
    [InlineData("[test:string >= 'zelda']")]
    [InlineData("[test:string = h'010203']")]
    [InlineData("[test:string = b'AQIDBA==']")]
    [InlineData("[test:string NOT LIKE 'he%']")]
    [InlineData("[test:string NOT LIKE 'he__o']")]
    [InlineData("[test:string NOT MATCHES 'l+']")]
    [InlineData("[test:string NOT MATCHES '.lo$']")]
    [InlineData("[test:string NOT IN ('goodbye', 'hello', 'world')]")]
    [InlineData("[test:string IN (1, 2, 3)]")]
    [InlineData("[test:ip NOT ISSUBSET '11.22.41.123/20']")]
    [InlineData("[test:ip ISSUBSET '11.22.123.41/20']")]
    [InlineData("[test:cidr NOT ISSUPERSET '11.22.41.123']")]
    [InlineData("[test:cidr NOT ISSUPERSET '11.22.41.123/29']")]
    [InlineData("[test:cidr ISSUPERSET '11.22.33.44/13']")]
    [InlineData("[test:cidr ISSUPERSET '11.22.123.41/29']")]
    [InlineData("[test:int ISSUPERSET '11.22.33.44']")]
    [InlineData("[test:int ISSUBSET '11.22.33.44']")]
    [InlineData("[test:float ISSUPERSET '11.22.33.44']")]
    [InlineData("[test:float ISSUBSET '11.22.33.44']")]
    [InlineData("[test:bool ISSUPERSET '11.22.33.44']")]
    [InlineData("[test:bool ISSUBSET '11.22.33.44']")]
    [InlineData("[test:string IN ()]")]
    public void Basic_operations_do_not_match_as_in_the_reference_matcher(string pattern) => Stix.DoesNotMatch(pattern, Basic);

    [Theory]
    // The reference matcher raises an error when a timestamp literal meets a string that is not a timestamp;
    // here such a pair does not compare, like any other type mismatch: '=' false, '!=' true, order false.
    [InlineData("[test:string = t'1965-07-19T22:41:38Z']", MatchOutcome.NoMatch)]
    [InlineData("[test:string != t'1965-07-19T22:41:38Z']", MatchOutcome.Match)]
    [InlineData("[test:string > t'1965-07-19T22:41:38Z']", MatchOutcome.NoMatch)]
    [InlineData("[test:string NOT > t'1965-07-19T22:41:38Z']", MatchOutcome.NoMatch)]
    public void A_string_that_is_not_a_timestamp_does_not_compare_with_a_timestamp(string pattern, MatchOutcome expected) =>
        Assert.Equal(expected, Stix.Run(pattern, Basic).Outcome);

    [Theory]
    [InlineData("[test:string IN (1, true)]", "the IN set of 'test:string' mixes integer, boolean literals; a set holds one type (integers and floats may mix)")]
    [InlineData("[test:string IN (1, 2.2, true)]", "the IN set of 'test:string' mixes integer, float, boolean literals; a set holds one type (integers and floats may mix)")]
    [InlineData("[test:string IN ('a', h'01')]", "the IN set of 'test:string' mixes string, binary literals; a set holds one type (integers and floats may mix)")]
    public void A_set_of_mixed_types_is_refused(string pattern, string reason)
    {
        var result = Stix.Run(pattern, Basic);

        Assert.Equal(MatchOutcome.Invalid, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    private static readonly List<Observation> People = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "2004-11-26T11:42:29Z", "last_observed": "2004-11-26T11:42:29Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "alice", "age": 10}, "1": {"type": "person", "name": "bob", "age": 15}}}]
        """);

    [Theory]
    [InlineData("[person:name = 'alice' AND person:age < 20]", true)]
    [InlineData("[person:name = 'alice' OR person:age > 20]", true)]
    [InlineData("[person:name = 'alice' OR person:age > 1000 AND person:age < 0]", true)]
    [InlineData("[(person:name = 'carol' OR person:name = 'bob') AND person:age > 10]", true)]
    [InlineData("[(person:name = 'darlene' OR person:name = 'carol') AND person:age < 0 OR person:age > 5]", true)]
    // AND inside brackets holds for one object: alice is 10, bob (15) is another object.
    [InlineData("[person:name = 'alice' AND person:age > 10]", false)]
    [InlineData("[person:name = 'carol' OR person:age > 20]", false)]
    [InlineData("[(person:age = 'alice' OR person:age > 1000) AND person:age < 0]", false)]
    [InlineData("[(person:name = 'darlene' OR person:name = 'carol') AND (person:age < 0 OR person:age > 5)]", false)]
    public void And_and_or_inside_brackets_apply_to_one_object(string pattern, bool matches) =>
        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run(pattern, People).Outcome);

    [Fact]
    public void And_across_two_object_types_in_one_bracket_never_matches()
    {
        var observation = new Observation(
            DateTimeOffset.UnixEpoch,
            ("0", new ObservedObject("ipv4-addr", ("value", "198.51.100.7"))),
            ("1", new ObservedObject("domain-name", ("value", "evil.example"))));

        Stix.DoesNotMatch("[ipv4-addr:value = '198.51.100.7' AND domain-name:value = 'evil.example']", [observation]);
        Stix.Matches("[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'nothing.example']", [observation]);
        Stix.Matches("[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'evil.example']", [observation, observation]);
    }

    private static readonly List<Observation> Null = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "2005-10-09T21:44:58Z", "last_observed": "2005-10-09T21:44:58Z", "number_observed": 1,
          "objects": {"0": {"type": "null-test", "name": null}}}]
        """);

    [Theory]
    [InlineData("[null-test:name > 'alice']")]
    [InlineData("[null-test:name <= 'alice']")]
    [InlineData("[null-test:name = 'alice']")]
    [InlineData("[null-test:name IN ('alice', 'bob', 'carol')]")]
    [InlineData("[null-test:name LIKE 'alice']")]
    [InlineData("[null-test:name MATCHES 'alice']")]
    [InlineData("[null-test:name ISSUBSET '12.23.32.12/14']")]
    [InlineData("[null-test:name ISSUPERSET '12.23.32.12/14']")]
    public void A_null_value_compares_with_nothing(string pattern) => Stix.DoesNotMatch(pattern, Null);

    [Fact]
    public void A_null_value_is_unequal_to_a_string() => Stix.Matches("[null-test:name != 'alice']", Null);

    private static readonly List<Observation> Binary = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "2011-12-03T21:34:41Z", "last_observed": "2011-12-03T21:34:41Z", "number_observed": 1,
          "objects": {"0": {"type": "binary-test", "name": "alice", "name_u": "\u0103lice", "name_hex": "616c696365",
                            "name_bin": "YWxpY2U=", "bin_hex": "01020304"}}}]
        """);

    [Theory]
    [InlineData("[binary-test:name = h'616c696365']")]
    [InlineData("[binary-test:name = b'YWxpY2U=']")]
    [InlineData("[binary-test:name_bin = h'616c696365']")]
    [InlineData("[binary-test:name_bin = b'YWxpY2U=']")]
    [InlineData("[binary-test:name_bin = 'alice']")]
    [InlineData("[binary-test:name_hex = h'616c696365']")]
    [InlineData("[binary-test:name_hex = b'YWxpY2U=']")]
    [InlineData("[binary-test:name_hex = 'alice']")]
    [InlineData("[binary-test:name > h'616172647661726b']")]
    [InlineData("[binary-test:name > b'YWFyZHZhcms=']")]
    [InlineData("[binary-test:name_bin > h'616172647661726b']")]
    [InlineData("[binary-test:name_bin > b'YWFyZHZhcms=']")]
    [InlineData("[binary-test:name_bin > 'aardvark']")]
    [InlineData("[binary-test:name_hex > h'616172647661726b']")]
    [InlineData("[binary-test:name_hex > b'YWFyZHZhcms=']")]
    [InlineData("[binary-test:name_hex > 'aardvark']")]
    [InlineData(@"[binary-test:name_hex MATCHES '\\x61li[c\\x01]e']")]
    [InlineData(@"[binary-test:name_bin MATCHES '\\x61li[c\\x01]e']")]
    [InlineData(@"[binary-test:name_bin NOT MATCHES '\\x62o[b\\x01]']")]
    [InlineData("[binary-test:name_bin NOT MATCHES '\u0103lice']")]
    [InlineData("[binary-test:name_bin LIKE '%alice%']")]
    [InlineData("[binary-test:name_bin LIKE 'alice']")]
    [InlineData("[binary-test:name_bin NOT LIKE '%\u0103lice%']")]
    [InlineData("[binary-test:name_bin NOT LIKE '%aardvark%']")]
    [InlineData("[binary-test:bin_hex = h'01020304']")]
    [InlineData("[binary-test:bin_hex = b'AQIDBA==']")]
    [InlineData("[binary-test:bin_hex = '\u0001\u0002\u0003\u0004']")]
    [InlineData(@"[binary-test:bin_hex MATCHES '.*\\x03']")]
    public void Binary_values_compare_with_binary_literals_and_latin1_strings(string pattern) => Stix.Matches(pattern, Binary);

    [Theory]
    [InlineData(@"[binary-test:name_bin MATCHES '\\x62o[b\\x01]']")]
    [InlineData(@"[binary-test:name_hex NOT MATCHES '\\x61li[c\\x01]e']")]
    [InlineData("[binary-test:name_bin = '\u0103lice']")]
    [InlineData("[binary-test:name_bin > '\u0103lice']")]
    [InlineData("[binary-test:name_bin < '\u0103lice']")]
    [InlineData("[binary-test:name_bin LIKE '\u0103lice']")]
    [InlineData("[binary-test:name_bin MATCHES '\u0103lice']")]
    [InlineData("[binary-test:name_hex = '\u0103lice']")]
    [InlineData("[binary-test:name_hex > '\u0103lice']")]
    [InlineData("[binary-test:name_hex < '\u0103lice']")]
    [InlineData("[binary-test:name_hex MATCHES '\u0103lice']")]
    [InlineData("[binary-test:name_u = h'616c696365']")]
    [InlineData("[binary-test:name_u > h'616c696365']")]
    [InlineData("[binary-test:name_u < h'616c696365']")]
    [InlineData("[binary-test:name_u = b'YWxpY2U=']")]
    [InlineData("[binary-test:name_u > b'YWxpY2U=']")]
    [InlineData("[binary-test:name_u < b'YWxpY2U=']")]
    public void Characters_above_latin1_never_compare_with_binary(string pattern) => Stix.DoesNotMatch(pattern, Binary);

    private static readonly List<Observation> Events = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "1983-04-21T15:31:06Z", "last_observed": "1983-04-21T15:31:06Z", "number_observed": 1,
          "objects": {"0": {"type": "event", "good_ts": "2010-05-21T13:21:43Z", "good_ts_frac": "2010-05-21T13:21:43.1234Z",
                            "good_ts_frac_nano": "2010-05-21T13:21:43.123456789Z",
                            "bad_ts": ["2010-05-21T13:21:43", "2010-05-21T13:21:43z", "2010-05-21t13:21:43Z", "2010/05/21T13:21:43Z",
                                       "2010-05-21T13:21:99Z", "2010-05-21T13:21Z"]}}}]
        """);

    [Theory]
    [InlineData("[event:good_ts = t'2010-05-21T13:21:43Z']", true)]
    [InlineData("[event:good_ts != t'1974-11-05T05:31:11Z']", true)]
    [InlineData("[event:good_ts > t'1974-11-05T05:31:11Z']", true)]
    [InlineData("[event:good_ts < t'3012-08-17T17:43:55Z']", true)]
    [InlineData("[event:good_ts_frac = t'2010-05-21T13:21:43.1234Z']", true)]
    [InlineData("[event:good_ts_frac_nano = t'2010-05-21T13:21:43.123456789Z']", true)]
    [InlineData("[event:good_ts IN (t'1953-11-26T14:25:33Z', t'2010-05-21T13:21:43Z', t'2000-06-17T17:25:51.44Z')]", true)]
    [InlineData("[event:good_ts NOT IN (t'1953-11-26T14:25:33Z', t'1985-07-25T20:27:52Z', t'2000-06-17T17:25:51.44Z')]", true)]
    [InlineData("[event:good_ts != t'2010-05-21T13:21:43Z']", false)]
    [InlineData("[event:good_ts = t'1974-11-05T05:31:11Z']", false)]
    [InlineData("[event:good_ts <= t'1974-11-05T05:31:11Z']", false)]
    [InlineData("[event:good_ts >= t'3012-08-17T17:43:55Z']", false)]
    [InlineData("[event:good_ts_frac != t'2010-05-21T13:21:43.1234Z']", false)]
    [InlineData("[event:good_ts_frac_nano != t'2010-05-21T13:21:43.123456789Z']", false)]
    [InlineData("[event:good_ts NOT IN (t'1953-11-26T14:25:33Z', t'2010-05-21T13:21:43Z', t'2000-06-17T17:25:51.44Z')]", false)]
    [InlineData("[event:good_ts IN (t'1953-11-26T14:25:33Z', t'1985-07-25T20:27:52Z', t'2000-06-17T17:25:51.44Z')]", false)]
    public void Timestamp_strings_compare_with_timestamp_literals(string pattern, bool matches) =>
        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run(pattern, Events).Outcome);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Malformed_timestamp_strings_are_not_timestamps(int index)
    {
        // The reference matcher raises an error here; a scan must go on, so these are simply not equal.
        Stix.DoesNotMatch($"[event:bad_ts[{index}] = t'1996-07-11T09:17:10Z']", Events);
        Stix.DoesNotMatch($"[event:bad_ts[{index}] < t'2096-07-11T09:17:10Z']", Events);
        Stix.Matches($"[event:bad_ts[{index}] != t'1996-07-11T09:17:10Z']", Events);
    }

    private static readonly List<Observation> Friends = Stix.Observations("""
        [{"type": "observed-data", "first_observed": "1984-06-26T13:53:04Z", "last_observed": "1984-06-26T13:53:04Z", "number_observed": 1,
          "objects": {"0": {"type": "person", "name": "alice", "knows_ref": "1"},
                      "1": {"type": "person", "name": "bob", "knows_refs": ["0", "2"]},
                      "2": {"type": "person", "name": "carol", "knows_refs": ["0", "1", "2"]}}}]
        """);

    [Theory]
    [InlineData("[person:knows_ref.name = 'bob']", true)]
    [InlineData("[person:knows_refs[*].name = 'alice' OR person:knows_ref.name = 'darlene']", true)]
    [InlineData("[person:knows_refs[*].name = 'carol' AND person:knows_refs[*].name = 'bob']", true)]
    [InlineData("[person:knows_refs[*].knows_refs[*].name = 'alice']", true)]
    [InlineData("[person:knows_refs[1].name = 'bob']", true)]
    [InlineData("[person:knows_ref.name = 'erin']", false)]
    [InlineData("[person:knows_refs[*].name = 'alice' AND person:knows_ref.name = 'darlene']", false)]
    [InlineData("[person:knows_refs[*].name = 'erin' OR person:knows_refs[*].name = 'darlene']", false)]
    [InlineData("[person:knows_refs[5].name = 'alice']", false)]
    [InlineData("[person:knows_refs[-1].name = 'carol']", false)]
    [InlineData("[person:knows_refs.name = 'alice']", false)]
    public void References_are_followed_within_the_observation(string pattern, bool matches) =>
        Assert.Equal(matches ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run(pattern, Friends).Outcome);

    [Theory]
    // The same character written three ways; '=' and IN compare code points exactly (no normalisation).
    [InlineData("nfc", "\u1e0d\u0307", true)]
    [InlineData("nfd", "d\u0323\u0307", true)]
    [InlineData("alt1", "\u1e0b\u0323", true)]
    [InlineData("nfc", "d\u0323\u0307", false)]
    [InlineData("nfd", "\u1e0b\u0323", false)]
    [InlineData("alt1", "\u1e0d\u0307", false)]
    public void Unicode_strings_compare_by_code_point(string key, string value, bool equal)
    {
        var observation = Stix.One("2011-08-08T20:02:48Z", "test", ("ddots", ObservedValue.Dictionary(("nfc", "\u1e0d\u0307"), ("nfd", "d\u0323\u0307"), ("alt1", "\u1e0b\u0323"))));

        Assert.Equal(equal ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run($"[test:ddots.{key} = '{value}']", [observation]).Outcome);
        Assert.Equal(equal ? MatchOutcome.NoMatch : MatchOutcome.Match, Stix.Run($"[test:ddots.{key} != '{value}']", [observation]).Outcome);
        Assert.Equal(equal ? MatchOutcome.Match : MatchOutcome.NoMatch, Stix.Run($"[test:ddots.{key} IN ('{value}')]", [observation]).Outcome);
    }
}
