using System.Runtime.CompilerServices;

namespace Bulwark.Core.Sources.Text;

/// <summary>
/// Finds several columns of a raw log line in one pass, so that every probe of a line (client address, intel) shares
/// one walk over its separators. CSV fields may be quoted (with <c>""</c> escapes) and hold the separator.
/// </summary>
public static class FieldSplitter
{
    /// <summary>
    /// Fills <paramref name="fields"/>[i] with the range of column <paramref name="columns"/>[i] (0-based, ascending),
    /// without the quotes of a quoted field and without a trailing '\r'; a column the line does not reach gets an empty
    /// range. Returns how many columns were found.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Split(ReadOnlySpan<byte> line, ReadOnlySpan<int> columns, byte separator, bool quoted, Span<Range> fields)
    {
        fields[..columns.Length].Fill(default);
        var next = 0;
        var column = 0;
        var pos = 0;
        while (next < columns.Length && pos <= line.Length)
        {
            var rest = line[pos..];
            int start = 0, length, end;
            if (quoted && rest.Length > 0 && rest[0] == (byte)'"')
            {
                var q = 1;
                while (true)
                {
                    var close = rest[q..].IndexOf((byte)'"');
                    if (close < 0)
                    {
                        return next; // unterminated quote: the line is malformed from here on
                    }

                    q += close + 1;
                    if (q < rest.Length && rest[q] == (byte)'"')
                    {
                        q++;
                        continue;
                    }

                    break;
                }

                start = 1;
                length = q - 2;
                end = q;
            }
            else
            {
                var sep = rest.IndexOf(separator);
                end = sep < 0 ? rest.Length : sep;
                length = end;
            }

            if (column == columns[next])
            {
                var from = pos + start;
                var to = from + length;
                if (to > from && line[to - 1] == (byte)'\r')
                {
                    to--;
                }

                fields[next++] = from..to;
            }

            column++;
            pos += end + 1;
        }

        return next;
    }
}
