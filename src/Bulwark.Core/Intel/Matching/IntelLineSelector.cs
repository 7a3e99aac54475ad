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

        // A probe serves one file on one thread, so its caches need no locking.
        var misses = fields.Select(_ => new MissCache()).ToArray();
        return new ColumnProbe([.. wanted.Select(w => w.Column)], (line, ranges) => Probe(line, ranges, fields, misses, plusIsSpace));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Probe(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges, int[] fields, MissCache[] misses, bool plusIsSpace)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            var field = line[ranges[i]];
            if (field.Length is 0 or > 512)
            {
                continue;
            }

            var hash = MissCache.Hash(field);
            if (misses[i].KnownMiss(field, hash))
            {
                continue;
            }

            if (Match(fields[i], field, plusIsSpace))
            {
                return true;
            }

            misses[i].Remember(field, hash);
        }

        return false;
    }

    private bool Match(int field, ReadOnlySpan<byte> bytes, bool plusIsSpace)
    {
        Span<char> chars = stackalloc char[bytes.Length];
        var n = Encoding.UTF8.GetChars(bytes, chars);
        return matcher.Match(field, chars[..n], plusIsSpace, "", null);
    }

    /// <summary>
    /// The last values of one column that hit nothing, direct-mapped by hash. Log columns repeat (a few thousand
    /// clients, a few dozen user agents and referers), so most lines are answered by one hash and one comparison
    /// instead of index lookups. Only misses are kept: a hit always sends the line on to be parsed.
    /// </summary>
    private sealed class MissCache
    {
        private const int Size = 1024;
        private readonly int[] _hashes = new int[Size];
        private readonly byte[]?[] _values = new byte[Size][];

        public static int Hash(ReadOnlySpan<byte> value)
        {
            var hash = default(HashCode);
            hash.AddBytes(value);
            return hash.ToHashCode();
        }

        public bool KnownMiss(ReadOnlySpan<byte> value, int hash)
        {
            var slot = hash & (Size - 1);
            return _hashes[slot] == hash && _values[slot] is { } known && value.SequenceEqual(known);
        }

        public void Remember(ReadOnlySpan<byte> value, int hash)
        {
            var slot = hash & (Size - 1);
            _hashes[slot] = hash;
            _values[slot] = value.ToArray();
        }
    }
}
