using System.Text;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Tests.Sources;

public sealed class LineScannerTests
{
    private static (List<(long Line, string Text)> Seen, long Lines, string? Last) Run(string text, int blockSize, params string[] literals)
    {
        var seen = new List<(long, string)>();
        var headerLines = 0;
        var scanner = new LineScanner(literals, blockSize);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var (lines, last, _) = scanner.Scan(stream, () => headerLines == 0, (line, n) =>
        {
            seen.Add((n, line));
            if (!line.StartsWith('#'))
            {
                headerLines++;
            }
        });
        return (seen, lines, last);
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(64)]
    [InlineData(24)]
    public void Selects_header_directives_and_matching_lines_with_exact_numbers(int blockSize)
    {
        var text = "#Software: x\n#Fields: a b\nfirst line\nnoise 1\nnoise 2\nhas ServerInfo~ here\nnoise 3\n#Fields: a b c\nnoise 4\nlast serverinfo~ line";

        var (seen, lines, last) = Run(text, blockSize, "ServerInfo~");

        Assert.Equal(
            [(1L, "#Software: x"), (2L, "#Fields: a b"), (3L, "first line"), (6L, "has ServerInfo~ here"), (8L, "#Fields: a b c"), (10L, "last serverinfo~ line")],
            seen);
        Assert.Equal(10, lines);
        Assert.Equal("last serverinfo~ line", last);
    }

    [Fact]
    public void Handles_crlf_and_byte_order_mark()
    {
        var (seen, lines, last) = Run("\uFEFF#Fields: a\r\nfirst\r\nx\r\nhit\r\n", 1 << 20, "hit");

        Assert.Equal([(1L, "#Fields: a"), (2L, "first"), (4L, "hit")], seen);
        Assert.Equal(4, lines);
        Assert.Equal("hit", last);
    }

    [Fact]
    public void Literal_split_across_a_block_boundary_is_found()
    {
        // The block ends inside "needle": only complete lines are searched, so it must still be found.
        var text = "first\n" + new string('a', 20) + "\nxx needle yy\n";
        var (seen, _, _) = Run(text, 32, "needle");

        Assert.Contains((3L, "xx needle yy"), seen);
    }

    [Fact]
    public void Line_longer_than_a_block_is_reported_and_skipped()
    {
        var text = "first\nhit 1\n" + new string('z', 200) + " hit\nhit 2\n";
        var errors = new List<(string, long)>();
        var seen = new List<(long, string)>();
        var scanner = new LineScanner(["hit"], 64);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var first = true;
        var (lines, _, _) = scanner.Scan(stream, () => { var f = first; first = false; return f && false; }, (l, n) => seen.Add((n, l)), (m, n) => errors.Add((m, n)));

        Assert.Equal([(1L, "first"), (2L, "hit 1"), (4L, "hit 2")], seen);
        Assert.Equal([("line longer than 64 bytes; skipped", 3L)], errors);
        Assert.Equal(4, lines);
    }

    [Fact]
    public void Empty_stream_has_no_lines()
    {
        var (seen, lines, last) = Run("", 1024, "x");

        Assert.Empty(seen);
        Assert.Equal(0, lines);
        Assert.Null(last);
    }

    [Fact]
    public void Non_utf8_bytes_do_not_stop_the_scan()
    {
        var bytes = new byte[] { (byte)'f', (byte)'\n', 0xFF, 0xFE, (byte)'h', (byte)'i', (byte)'t', (byte)'\n', (byte)'o', (byte)'k', (byte)'\n' };
        var seen = new List<(long, string)>();
        var first = true;
        using var stream = new MemoryStream(bytes);
        var (lines, _, _) = new LineScanner(["hit"]).Scan(stream, () => { var f = first; first = false; return false; }, (l, n) => seen.Add((n, l)));

        Assert.Equal(2, seen.Count);
        Assert.Equal(2, seen[1].Item1);
        Assert.EndsWith("hit", seen[1].Item2, StringComparison.Ordinal);
        Assert.Equal(3, lines);
    }
}
