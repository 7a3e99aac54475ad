namespace Bulwark.Cli.Tests;

public sealed class IntelPatternCommandTests
{
    [Fact]
    public void A_valid_pattern_prints_its_canonical_form_and_what_the_index_makes_of_it()
    {
        var (exit, output, error) = Cli.Run("intel", "pattern", "[ipv4-addr:value='198.51.100.1' OR domain-name:value = 'evil.example']");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(
            "[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'evil.example']\n" +
            "index: 2 values, a hit is a match\n" +
            "  IPv4 198.51.100.1\n" +
            "  Domain evil.example\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_pattern_with_qualifiers_is_evaluated_on_the_events_its_values_select()
    {
        var (exit, output, _) = Cli.Run("intel", "pattern", "([ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [url:value LIKE '%/ecp/%']) WITHIN 600 SECONDS");

        Assert.Equal(0, exit);
        Assert.Equal(
            "([ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [url:value LIKE '%/ecp/%']) WITHIN 600 SECONDS\n" +
            "index: 1 value selects events; the whole pattern is evaluated on them\n" +
            "  IPv4 198.51.100.1\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_pattern_no_index_value_can_select_says_so()
    {
        var (exit, output, _) = Cli.Run("intel", "pattern", "[url:value MATCHES '^https?://[^/]+/ecp/']");

        Assert.Equal(0, exit);
        Assert.StartsWith("[url:value MATCHES '^https?://[^/]+/ecp/']\nindex: none (no observable value", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_invalid_pattern_exits_2_with_the_position_and_cause()
    {
        var (exit, output, error) = Cli.Run("intel", "pattern", "[ipv4-addr:value = '1.2.3.4' AND ]");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(
            "bulwark intel pattern: invalid STIX pattern: expected an object path like 'file:name', at offset 33 near ']'\n" +
            "  [ipv4-addr:value = '1.2.3.4' AND ]\n" +
            "                                   ^\n",
            error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("", "at offset 0 (end of pattern)")]
    [InlineData("[file:name = 'x'", "at offset 16 (end of pattern)")]
    [InlineData("[file:name = 'unterminated]", "at offset 13")]
    [InlineData("[ipv4-addr:value = '1.2.3.4'] WITHIN -5 SECONDS", "at offset 37")]
    public void Truncated_and_malformed_patterns_name_the_offset(string pattern, string where)
    {
        var (exit, _, error) = Cli.Run("intel", "pattern", pattern);

        Assert.Equal(2, exit);
        Assert.Contains(where, error, StringComparison.Ordinal);
    }
}
