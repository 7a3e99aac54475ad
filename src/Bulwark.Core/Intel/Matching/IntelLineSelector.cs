using System.Runtime.CompilerServices;
using System.Text;
using Bulwark.Core.Detection;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Selects the lines of a web log whose fields hit the intel set, reading the fields straight from the line's
/// bytes: the scanner only parses lines some detector can fire on, and intel must see every line, so this probe
/// decides without building an event.
/// </summary>
internal sealed class IntelLineSelector(RequestMatcher matcher) : ILineSelector
{
    public LineScanner.LineProbe? ForSchema(LogSchema schema, LogFormat format)
    {
        var names = format.Kind == LogKind.Iis ? RequestFields.Iis : RequestFields.HttpProxy;
        var wanted = new List<(int Column, int Field)>();
        for (var field = 0; field < RequestFields.Count; field++)
        {
            var column = schema.IndexOf(names[field]);
            if (column >= 0 && matcher.Wants(field))
            {
                wanted.Add((column, field));
            }
        }

        if (wanted.Count == 0)
        {
            return null;
        }

        wanted.Sort();
        var columns = wanted.Select(w => w.Column).ToArray();
        var fields = wanted.Select(w => w.Field).ToArray();
        var separator = format.FieldSeparator;
        var quoted = format.QuotedFields;
        var plusIsSpace = format.Kind == LogKind.Iis;
        return line => Probe(line, columns, fields, separator, quoted, plusIsSpace);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Probe(ReadOnlySpan<byte> line, int[] columns, int[] fields, byte separator, bool quoted, bool plusIsSpace)
    {
        Span<char> chars = stackalloc char[512];
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
                        return false;
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
                var field = rest.Slice(start, length);
                if (field.Length > 0 && field[^1] == (byte)'\r')
                {
                    field = field[..^1];
                }

                if (field.Length is > 0 and <= 512)
                {
                    var n = Encoding.UTF8.GetChars(field, chars);
                    if (matcher.Match(fields[next], chars[..n], plusIsSpace, "", null))
                    {
                        return true;
                    }
                }

                next++;
            }

            column++;
            pos += end + 1;
        }

        return false;
    }
}
