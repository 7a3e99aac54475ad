using System.Text;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Tests.Sources;

public sealed class FieldSplitterTests
{
    private static string[] Split(string line, int[] columns, char separator = ',', bool quoted = true)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var fields = new Range[columns.Length];
        var found = FieldSplitter.Split(bytes, columns, (byte)separator, quoted, fields);
        return [.. fields.Take(columns.Length).Select(r => Encoding.UTF8.GetString(bytes.AsSpan()[r])), found.ToString(System.Globalization.CultureInfo.InvariantCulture)];
    }

    [Fact]
    public void Picks_the_wanted_columns_in_one_pass()
    {
        Assert.Equal(["b", "d", "2"], Split("a,b,c,d,e", [1, 3]));
    }

    [Fact]
    public void Quoted_fields_lose_their_quotes_and_may_hold_the_separator()
    {
        Assert.Equal(["Mozilla/5.0 (x, y)", "1.2.3.4", "2"], Split("x,\"Mozilla/5.0 (x, y)\",1.2.3.4", [1, 2]));
        Assert.Equal(["say \"\"hi\"\"", "1"], Split("\"say \"\"hi\"\"\",z", [0]));
    }

    [Fact]
    public void A_trailing_carriage_return_is_not_part_of_the_last_field()
    {
        Assert.Equal(["c", "1"], Split("a b c\r", [2], ' ', quoted: false));
    }

    [Fact]
    public void Columns_past_the_end_of_a_short_line_are_empty()
    {
        Assert.Equal(["a", "", "", "1"], Split("a", [0, 4, 9]));
    }

    [Fact]
    public void An_unterminated_quote_stops_the_split_where_it_starts()
    {
        Assert.Equal(["a", "", "1"], Split("a,\"never closed,c", [0, 2]));
    }

    [Fact]
    public void Empty_fields_are_empty_ranges()
    {
        Assert.Equal(["", "", "2"], Split(",,,", [1, 3]));
    }
}
