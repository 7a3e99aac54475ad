using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Tests.Sources;

public sealed class CsvTests
{
    [Theory]
    [InlineData("a,b,c", new[] { "a", "b", "c" })]
    [InlineData("a,,c,", new[] { "a", "", "c", "" })]
    [InlineData("\"x,y\",\"say \"\"hi\"\"\",z", new[] { "x,y", "say \"hi\"", "z" })]
    [InlineData("\"\"", new[] { "" })]
    [InlineData("", new[] { "" })]
    [InlineData("S:A=1;S:B=2,\"G;x=1,2\"", new[] { "S:A=1;S:B=2", "G;x=1,2" })]
    public void Splits_rfc4180_fields(string line, string[] expected)
    {
        var fields = Csv.Split(line, out var error);

        Assert.Null(error);
        Assert.Equal(expected, fields);
    }

    [Theory]
    [InlineData("a,\"unterminated", "quoted field 2 is not closed")]
    [InlineData("\"a\"b,c", "unexpected character after quoted field 1")]
    public void Reports_malformed_quoting(string line, string message)
    {
        Assert.Null(Csv.Split(line, out var error));
        Assert.Equal(message, error);
    }
}
