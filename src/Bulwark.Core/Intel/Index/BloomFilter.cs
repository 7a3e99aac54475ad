using System.Numerics;
using System.Runtime.CompilerServices;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// A negative pre-filter in front of a large table: 16 bits per key and two probes inside one 64-bit word, so most
/// lookups of a value the table does not hold cost one read of a small, cache-friendly array instead of the table's
/// scattered buckets, entries and strings. It never says "absent" for a key that is present.
/// </summary>
internal sealed class BloomFilter
{
    private readonly ulong[] _words;
    private readonly int _shift;

    public BloomFilter(int keys)
    {
        // 16 bits per key, at least one word; the word count is a power of two so the top hash bits pick the word.
        var words = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, keys / 4));
        _words = new ulong[words];
        _shift = 64 - BitOperations.Log2((uint)words);
    }

    /// <summary>Adds a key by a full 64-bit hash that is already well mixed (<see cref="StringTable.Hash"/>, a value table's mix).</summary>
    public void Add(ulong mixed)
    {
        var (word, bits) = Locate(mixed);
        _words[word] |= bits;
    }

    /// <summary>The one word of the filter that holds <paramref name="mixed"/>'s bits: read it, then test it with <see cref="MayContain(ulong, ulong)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong WordOf(ulong mixed) => _words[Locate(mixed).Word];

    /// <summary>False when the key whose mixed hash is <paramref name="mixed"/> is certainly absent; <paramref name="word"/> is its <see cref="WordOf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayContain(ulong word, ulong mixed)
    {
        var bits = Locate(mixed).Bits;
        return (word & bits) == bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int Word, ulong Bits) Locate(ulong mixed)
    {
        var word = _shift == 64 ? 0 : (int)(mixed >> _shift);
        var bits = (1UL << (int)(mixed & 63)) | (1UL << (int)((mixed >> 6) & 63));
        return (word, bits);
    }
}
