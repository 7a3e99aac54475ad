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
    public ColumnProbe? ForSchema(LogSchema schema, LogFormat format)
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
        var fields = wanted.Select(w => w.Field).ToArray();
        var plusIsSpace = format.Kind == LogKind.Iis;
        return new ColumnProbe([.. wanted.Select(w => w.Column)], (line, ranges) => Probe(line, ranges, fields, plusIsSpace));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Probe(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges, int[] fields, bool plusIsSpace)
    {
        // Sized to the longest field looked at (stack memory is zeroed, so not a fixed 512 per line).
        var longest = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var length = ranges[i].GetOffsetAndLength(line.Length).Length;
            longest = length <= 512 ? Math.Max(longest, length) : longest;
        }

        if (longest == 0)
        {
            return false;
        }

        Span<char> chars = stackalloc char[longest];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = line[ranges[i]];
            if (field.Length is > 0 and <= 512)
            {
                var n = Encoding.UTF8.GetChars(field, chars);
                if (matcher.Match(fields[i], chars[..n], plusIsSpace, "", null))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
