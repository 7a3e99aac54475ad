using Bulwark.Core.Posture;

namespace Bulwark.Core.Tests.Posture;

public sealed class ExchangeBuildTests
{
    [Theory]
    [InlineData("15.1.2106.2", 15, 1, 2106, 2)]
    [InlineData("15.01.2106.013", 15, 1, 2106, 13)]
    [InlineData("15.02.0858.005", 15, 2, 858, 5)]
    [InlineData("15.1.2106", 15, 1, 2106, 0)]
    [InlineData("14.3.513.0", 14, 3, 513, 0)]
    public void TryParse_reads_four_integers(string text, int major, int minor, int build, int revision)
    {
        Assert.True(ExchangeBuild.TryParse(text, out var parsed));
        Assert.Equal(new ExchangeBuild(major, minor, build, revision), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("15.1")]
    [InlineData("15.1.2106.2.1")]
    [InlineData("15.1.x.2")]
    [InlineData("15.1.2106.2a")]
    [InlineData("v15.1.2106.2")]
    [InlineData("15.1.-2106.2")]
    [InlineData("-15.1.2106.2")]
    [InlineData("+15.1.2106.2")]
    [InlineData("15.1.2106.2147483648")]
    [InlineData("15.1.99999999999.2")]
    [InlineData("15..2106.2")]
    [InlineData("15.1.2106.")]
    [InlineData(".15.1.2106")]
    [InlineData(" 15.1.2106.2")]
    [InlineData("15.1.2106.2 ")]
    [InlineData("15,1,2106,2")]
    [InlineData("１５.1.2106.2")]
    public void TryParse_rejects_anything_but_three_or_four_unsigned_integers(string? text)
    {
        Assert.False(ExchangeBuild.TryParse(text, out var parsed));
        Assert.Equal(default, parsed);
    }

    [Fact]
    public void Parse_throws_FormatException_on_invalid_text()
    {
        var error = Assert.Throws<FormatException>(() => ExchangeBuild.Parse("15.1"));
        Assert.Equal("'15.1' is not an Exchange build number", error.Message);
    }

    [Theory]
    [InlineData("15.01.2106.013", "15.1.2106.13")]
    [InlineData("15.1.2106", "15.1.2106.0")]
    [InlineData("15.2.2562.37", "15.2.2562.37")]
    public void ToString_gives_the_canonical_form(string text, string expected)
    {
        Assert.Equal(expected, ExchangeBuild.Parse(text).ToString());
    }

    [Theory]
    [InlineData("15.1.2106.13", "15.1.2106.2")]
    [InlineData("15.2.858.5", "15.1.2242.4")]
    [InlineData("15.2.1118.20", "15.2.858.5")]
    [InlineData("15.0.1497.2", "14.3.513.0")]
    [InlineData("15.1.2106.2", "15.1.2106")]
    public void Builds_compare_as_four_integers_not_as_strings(string newer, string older)
    {
        var a = ExchangeBuild.Parse(newer);
        var b = ExchangeBuild.Parse(older);

        Assert.True(a.CompareTo(b) > 0);
        Assert.True(b.CompareTo(a) < 0);
        Assert.True(a > b);
        Assert.True(b < a);
        Assert.True(a >= b);
        Assert.False(a <= b);
    }

    [Fact]
    public void Builds_sort_numerically()
    {
        string[] texts = ["15.1.2106.13", "15.2.858.5", "15.1.2106.2", "15.2.1118.20", "15.1.2242.4", "14.3.513.0"];

        var sorted = texts.Select(ExchangeBuild.Parse).Order().Select(b => b.ToString());

        Assert.Equal(["14.3.513.0", "15.1.2106.2", "15.1.2106.13", "15.1.2242.4", "15.2.858.5", "15.2.1118.20"], sorted);
    }

    [Fact]
    public void Equal_builds_compare_as_zero_whatever_their_padding()
    {
        var padded = ExchangeBuild.Parse("15.01.2106.013");
        var plain = ExchangeBuild.Parse("15.1.2106.13");

        Assert.Equal(0, padded.CompareTo(plain));
        Assert.Equal(plain, padded);
        Assert.True(padded >= plain && padded <= plain);
    }

    [Theory]
    [InlineData("14.3.513.0", ExchangeProduct.Exchange2010, "Exchange Server 2010 SP3")]
    [InlineData("14.2.247.5", ExchangeProduct.Exchange2010, "Exchange Server 2010 SP2")]
    [InlineData("15.0.1497.2", ExchangeProduct.Exchange2013, "Exchange Server 2013")]
    [InlineData("15.1.2106.2", ExchangeProduct.Exchange2016, "Exchange Server 2016")]
    [InlineData("15.2.1748.43", ExchangeProduct.Exchange2019, "Exchange Server 2019")]
    [InlineData("15.2.2561.99", ExchangeProduct.Exchange2019, "Exchange Server 2019")]
    [InlineData("15.2.2562.17", ExchangeProduct.ExchangeSE, "Exchange Server SE")]
    [InlineData("15.3.1.0", ExchangeProduct.Unknown, null)]
    [InlineData("8.3.83.6", ExchangeProduct.Unknown, null)]
    public void Product_follows_major_minor_and_the_SE_build_threshold(string text, ExchangeProduct product, string? name)
    {
        var build = ExchangeBuild.Parse(text);

        Assert.Equal(product, build.Product);
        Assert.Equal(name, build.ProductName);
    }
}
