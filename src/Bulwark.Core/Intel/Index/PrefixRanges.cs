using System.Numerics;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// CIDR ranges of one address family flattened into sorted, disjoint segments. Prefixes are laminar (two are
/// either nested or disjoint), so each segment's containing ranges form one chain; each segment stores the entry
/// ids of that whole chain, <b>longest prefix first</b>: the first ids are the longest-prefix match, the rest
/// are every wider range that also contains the address. A lookup is one binary search over the segment starts.
/// Postings hold at most (nesting depth × entries) ids, bounded by the address width. Each segment's start and
/// postings offset sit side by side, so the segment found gives its postings without another read from memory.
/// </summary>
internal sealed class PrefixRanges<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>The segments in order, then one past the last whose offset ends the last segment's postings.</summary>
    private readonly Segment[] _segments;
    private readonly int[] _postings;

    // First segment whose start has each value of the top 16 address bits: narrows the binary search to the
    // few segments sharing the address's top bits (a 256 KiB table instead of ~17 cache-missing steps).
    private readonly int[] _directory;
    private readonly int _shift;

    /// <param name="segments">The segments in order, then the end marker (<see cref="_segments"/>).</param>
    private PrefixRanges(Segment[] segments, int[] postings, int bits)
    {
        _segments = segments;
        _postings = postings;
        _shift = bits - 16;
        _directory = new int[(1 << 16) + 1];
        var count = segments.Length - 1;
        var segment = 0;
        for (var top = 0; top <= 1 << 16; top++)
        {
            while (segment < count && Top(segments[segment].Start) < top)
            {
                segment++;
            }

            _directory[top] = segment;
        }
    }

    public int SegmentCount => _segments.Length - 1;

    public static PrefixRanges<T> Build(List<Prefix> prefixes, int bits)
    {
        if (prefixes.Count == 0)
        {
            return new PrefixRanges<T>([new Segment(T.AllBitsSet, 0)], [], bits);
        }

        prefixes.Sort(static (a, b) =>
        {
            var c = a.Network.CompareTo(b.Network);
            if (c == 0)
            {
                c = a.Length.CompareTo(b.Length);
            }

            return c != 0 ? c : a.EntryId.CompareTo(b.EntryId);
        });

        var boundaries = new List<T>(prefixes.Count * 2);
        foreach (var p in prefixes)
        {
            boundaries.Add(p.Network);
            var end = End(p, bits);
            if (end != T.AllBitsSet)
            {
                boundaries.Add(end + T.One);
            }
        }

        boundaries.Sort();
        var segments = new List<Segment>(boundaries.Count + 1);
        var postings = new List<int>(prefixes.Count);
        var stack = new List<(T End, int From, int To)>();
        var next = 0;
        for (var b = 0; b < boundaries.Count; b++)
        {
            var point = boundaries[b];
            if (b > 0 && boundaries[b - 1] == point)
            {
                continue;
            }

            while (stack.Count > 0 && stack[^1].End < point)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            while (next < prefixes.Count && prefixes[next].Network == point)
            {
                var groupEnd = next + 1;
                while (groupEnd < prefixes.Count && prefixes[groupEnd].Network == point && prefixes[groupEnd].Length == prefixes[next].Length)
                {
                    groupEnd++;
                }

                stack.Add((End(prefixes[next], bits), next, groupEnd));
                next = groupEnd;
            }

            segments.Add(new Segment(point, postings.Count));
            for (var s = stack.Count - 1; s >= 0; s--)
            {
                for (var k = stack[s].From; k < stack[s].To; k++)
                {
                    postings.Add(prefixes[k].EntryId);
                }
            }
        }

        segments.Add(new Segment(T.AllBitsSet, postings.Count));
        return new PrefixRanges<T>([.. segments], [.. postings], bits);
    }

    /// <summary>Entry ids of every range containing <paramref name="address"/>, longest prefix first.</summary>
    public ReadOnlySpan<int> Match(T address)
    {
        var segments = _segments;
        var top = Top(address);
        int lo = _directory[top], hi = _directory[top + 1] - 1, found = lo - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (segments[mid].Start <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0)
        {
            return default;
        }

        var from = segments[found].Offset;
        return _postings.AsSpan(from, segments[found + 1].Offset - from);
    }

    private int Top(T address) => int.CreateTruncating(address >>> _shift);

    public static T Mask(T address, int length, int bits) =>
        length == 0 ? T.Zero : address & (T.AllBitsSet << (bits - length));

    private static T End(Prefix p, int bits) =>
        p.Length == bits ? p.Network : p.Network | (T.AllBitsSet >>> p.Length);

    public readonly record struct Prefix(T Network, int Length, int EntryId);

    /// <summary>Where a segment starts, and where its postings start.</summary>
    private readonly record struct Segment(T Start, int Offset);
}
