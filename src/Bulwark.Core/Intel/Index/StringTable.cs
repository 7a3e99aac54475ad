using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Frozen string keys → their ordinals, in a few large arrays: an open-addressing slot array of (hash tag, value
/// length, entry or ordinal, and where the key's value starts in the index's <see cref="ValueStore"/>) at most
/// two-thirds full behind a Bloom filter (every key is some entry's value, nearly always; the few
/// keys no value spells, such as the punycode of a Unicode domain, are kept as strings). A miss usually costs one
/// read of the filter; a hit one slot and one comparison against the value's bytes. Keys of a case-insensitive table are
/// folded (<see cref="Fold(char)"/>), and lookups fold as they hash and compare, without copying the query; a
/// suffix-walked (domain) table instead takes its query already folded (the index lower-cases a host once).
/// </summary>
/// <remarks>
/// A suffix-walked table's hash runs from the last label to the first (<see cref="SuffixWalk"/>), so one pass over a
/// host name gives the hash of every label suffix (<c>a.b.example.com</c>, <c>b.example.com</c>, …) for the domain
/// walk. Hashes are seeded per process: keys come from intelligence feeds, and a feed crafted to collide cannot
/// predict the seed.
/// </remarks>
internal sealed class StringTable
{
    private const ulong Prime = 0x100000001B3UL;

    /// <summary>Set in a slot's low half when it holds an entry id rather than an ordinal + 1.</summary>
    private const uint EntryFlag = 0x8000_0000;
    private static readonly ulong Seed = ((ulong)RandomNumberGenerator.GetInt32(int.MaxValue) * 0x9E3779B97F4A7C15UL) | 1;
    private static readonly ulong Seed2 = ((ulong)RandomNumberGenerator.GetInt32(int.MaxValue) * 0xC2B2AE3D27D4EB4FUL) | 1;

    /// <summary>A slot's value length when the value is too long to say in 16 bits: read from the value store instead.</summary>
    private const int LongValue = 0xFFFF;

    private readonly ValueStore? _values;
    private readonly int[] _keyEntries;
    private readonly Dictionary<int, string> _unspelled = [];

    /// <summary>The slots (<see cref="Slot"/>): twelve bytes each, so that one read gives a slot and where its value starts.</summary>
    private readonly Slot[] _slots;
    private readonly BloomFilter _filter;
    private readonly bool _ignoreCase;
    private readonly bool _suffixes;

    /// <summary>A suffix-walked table's label counts: bit n set when some key has n labels (63 for 63 or more).</summary>
    private readonly ulong _labelCounts;

    /// <param name="keys">The keys in ordinal order, distinct, already folded when <paramref name="ignoreCase"/>.</param>
    /// <param name="values">The index's values.</param>
    /// <param name="keyEntries">For each key, an entry whose value is exactly the key, or -1.</param>
    /// <param name="suffixes">Hash label by label from the end (<see cref="SuffixWalk"/>), so that a domain walk hashes every suffix in one pass; keys must then be folded already.</param>
    /// <param name="single">For each key, true when its whole result is its key entry alone: the slot then holds that entry, and a hit reads nothing else.</param>
    public StringTable(IReadOnlyList<string> keys, bool ignoreCase, ValueStore? values, int[] keyEntries, bool suffixes = false, bool[]? single = null)
    {
        _ignoreCase = ignoreCase;
        _suffixes = suffixes;
        _values = values;
        _keyEntries = keyEntries;
        for (var k = 0; k < keys.Count; k++)
        {
            if (keyEntries[k] < 0)
            {
                _unspelled.Add(k, keys[k]);
            }
        }

        // At most two-thirds full; the slot count need not be a power of two (slots are found by multiplying).
        var capacity = (int)Math.Min(Array.MaxLength, Math.Max(2, (keys.Count * 3L / 2) + 1));
        _slots = new Slot[capacity];
        _filter = new BloomFilter(keys.Count);
        for (var ordinal = 0; ordinal < keys.Count; ordinal++)
        {
            var hash = Hash(keys[ordinal], ignoreCase, suffixes);
            _filter.Add(hash);
            var slot = SlotOf(hash);
            while (_slots[slot].Content != 0)
            {
                slot = slot + 1 == capacity ? 0 : slot + 1;
            }

            if (suffixes)
            {
                _labelCounts |= 1UL << Math.Min(63, keys[ordinal].Count('.') + 1);
            }

            var entry = keyEntries[ordinal];
            var payload = single is not null && single[ordinal] ? EntryFlag | (uint)entry : (uint)(ordinal + 1);
            var length = entry < 0 ? 0 : Math.Min(LongValue, values!.LengthOf(entry));
            _slots[slot] = new((TagOf(hash) << 48) | ((ulong)length << 32) | payload, entry < 0 ? -1 : values!.StartOf(entry));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong hash) => (int)(((hash & 0xFFFF_FFFF) * (ulong)_slots.Length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong TagOf(ulong hash) => (hash >> 32) & 0xFFFF;

    public static StringTable Empty { get; } = new([], ignoreCase: false, values: null, keyEntries: []);

    public int Count => _keyEntries.Length;

    /// <summary>False when no key of this suffix-walked table has <paramref name="labels"/> labels, so a suffix of that many need not be looked up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayHoldLabels(int labels) => ((_labelCounts >> Math.Min(63, labels)) & 1) != 0;

    /// <summary>
    /// Reads the three words a lookup of <paramref name="hash"/> starts with (its filter word, first slot and that slot's
    /// value offset), so that a caller with other work to do first (a URL, whose host's domain walk runs meanwhile)
    /// has them on their way to memory; then <see cref="TryFind(ReadOnlySpan{char}, ulong, Probe, out int, out int)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Probe ReadAhead(ulong hash)
    {
        var slot = SlotOf(hash);
        ref readonly var content = ref _slots[slot];
        return new(_filter.WordOf(hash), slot, content.Content, content.Start);
    }

    /// <summary>
    /// Finds <paramref name="key"/> (whose <see cref="Hash"/> is <paramref name="hash"/>): either the one entry its
    /// result is (<paramref name="entry"/>, and <paramref name="ordinal"/> -1) or its ordinal (and entry -1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(scoped ReadOnlySpan<char> key, ulong hash, out int ordinal, out int entry)
    {
        // The small filter answers most misses from cache; the slots are read only for keys it may hold.
        if (!_filter.MayContain(_filter.WordOf(hash), hash))
        {
            ordinal = -1;
            entry = -1;
            return false;
        }

        var slot = SlotOf(hash);
        ref readonly var content = ref _slots[slot];
        return FindFrom(key, hash, slot, content.Content, content.Start, out ordinal, out entry);
    }

    /// <summary>As <see cref="TryFind(ReadOnlySpan{char}, ulong, out int, out int)"/>, with the first words read by <see cref="ReadAhead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(scoped ReadOnlySpan<char> key, ulong hash, Probe probe, out int ordinal, out int entry)
    {
        if (!_filter.MayContain(probe.FilterWord, hash))
        {
            ordinal = -1;
            entry = -1;
            return false;
        }

        return FindFrom(key, hash, probe.Index, probe.Slot, probe.Start, out ordinal, out entry);
    }

    /// <summary>
    /// Probes from <paramref name="slot"/>, whose content and value offset are already read: a slot whose tag and
    /// value length fit is compared against the value's bytes, which are read at the offset kept beside the slot
    /// (no read of the value store's offsets first).
    /// </summary>
    private bool FindFrom(scoped ReadOnlySpan<char> key, ulong hash, int slot, ulong content, int start, out int ordinal, out int entry)
    {
        ordinal = -1;
        entry = -1;
        var tag = TagOf(hash);
        while (content != 0)
        {
            if (content >> 48 == tag && ValueEquals(content, start, key))
            {
                var low = (uint)content;
                if ((low & EntryFlag) != 0)
                {
                    entry = (int)(low & ~EntryFlag);
                }
                else
                {
                    ordinal = (int)low - 1;
                }

                return true;
            }

            slot = slot + 1 == _slots.Length ? 0 : slot + 1;
            ref readonly var next = ref _slots[slot];
            content = next.Content;
            start = next.Start;
        }

        return false;
    }

    /// <summary>The table hash of <paramref name="key"/>; a suffix-walked table's key must be folded already.</summary>
    public ulong HashOf(scoped ReadOnlySpan<char> key) => Hash(key, _ignoreCase, _suffixes);

    /// <summary>
    /// The table hash of <paramref name="key"/>. A suffix-walked table's key (already folded) is hashed label by
    /// label (<see cref="SuffixHash"/>); an ordinal table's eight characters at a time (<see cref="OrdinalHash"/>).
    /// A case-insensitive table's takes the folded characters one at a time into two running states (lanes) in
    /// turn, so the multiply chain each waits on is half as long.
    /// </summary>
    public static ulong Hash(scoped ReadOnlySpan<char> key, bool ignoreCase, bool suffixes)
    {
        if (suffixes)
        {
            return SuffixHash(key);
        }

        if (!ignoreCase)
        {
            return OrdinalHash(key);
        }

        ulong a = Seed, b = Seed2;
        for (var i = key.Length - 1; i >= 0; i--)
        {
            var next = Step(a, Fold(key[i]));
            a = b;
            b = next;
        }

        return Finish(a, b, key.Length);
    }

    /// <summary>
    /// The hash of an ordinal table's key: eight characters per step, each step a full 64×64→128-bit multiply of
    /// the state and the block with the seeds folded to 64 bits (as wyhash does), so that a difference in any bit of
    /// a block, the top ones too, spreads in a way that depends on the seeds and no crafted key can cancel. The last
    /// eight characters are read ending at the key's end (overlapping the block before), so no read leaves the key
    /// and no loop runs per character.
    /// </summary>
    private static ulong OrdinalHash(scoped ReadOnlySpan<char> key)
    {
        ref var first = ref MemoryMarshal.GetReference(key);
        var n = key.Length;
        var state = Seed;
        if (n >= 8)
        {
            for (var i = 0; i + 8 < n; i += 8)
            {
                state = Mum(state ^ Read4(ref Unsafe.Add(ref first, i)), Read4(ref Unsafe.Add(ref first, i + 4)) ^ Seed2);
            }

            state = Mum(state ^ Read4(ref Unsafe.Add(ref first, n - 8)), Read4(ref Unsafe.Add(ref first, n - 4)) ^ Seed2);
        }
        else if (n >= 4)
        {
            state = Mum(state ^ Read4(ref first), Read4(ref Unsafe.Add(ref first, n - 4)) ^ Seed2);
        }
        else
        {
            state = Mum(state ^ ReadFew(ref first, n), Seed2);
        }

        return Finish(state, 0, n);
    }

    /// <summary>The high and low halves of the 128-bit product of <paramref name="a"/> and <paramref name="b"/>, folded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mum(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }

    /// <summary>The table hash of a key of a suffix-walked table: the last of its <see cref="SuffixWalk"/> hashes.</summary>
    public static ulong SuffixHash(scoped ReadOnlySpan<char> key)
    {
        var walk = new SuffixWalk(key);
        var hash = 0UL;
        while (walk.Next(out _, out var next))
        {
            hash = next;
        }

        return hash;
    }

    /// <summary>
    /// Mixes one label of <paramref name="length"/> characters from <paramref name="first"/> into a suffix walk's
    /// state, four characters per multiply; a label of four or more ends with the four characters that end it
    /// (overlapping the block before), so no read leaves the label.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MixLabel(ulong state, ref char first, int length)
    {
        ulong last;
        if (length >= 4)
        {
            for (var i = 0; i + 4 < length; i += 4)
            {
                state = (state ^ Read4(ref Unsafe.Add(ref first, i))) * Prime;
            }

            last = Read4(ref Unsafe.Add(ref first, length - 4));
        }
        else
        {
            last = ReadFew(ref first, length);
        }

        return ((state ^ last) * Prime) + (uint)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read4(ref char at) => Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<char, byte>(ref at));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read2(ref char at) => Unsafe.ReadUnaligned<uint>(ref Unsafe.As<char, byte>(ref at));

    /// <summary>Fewer than four characters (<paramref name="count"/>, 0 to 3) as one block, without reading past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadFew(ref char first, int count) => count switch
    {
        3 => Read2(ref first) | ((ulong)Unsafe.Add(ref first, 2) << 32),
        2 => Read2(ref first),
        1 => first,
        _ => 0,
    };

    /// <summary>A suffix walk's state before any label (<see cref="SuffixWalk"/>).</summary>
    public static ulong Start => Seed;

    /// <summary>
    /// One character into a lane of the case-insensitive hash, which keeps its lanes as (a, b), steps a and then
    /// swaps them, so that after any number of characters <see cref="Finish"/> takes them in the order it holds them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ulong state, char c) => (state ^ c) * Prime;

    /// <summary>Mixes the two lanes of a key of <paramref name="length"/> characters into its table hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong a, ulong b, int length)
    {
        var h = a ^ BitOperations.RotateLeft(b, 29) ^ (uint)length;
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }

    /// <summary>
    /// The case-insensitive form of a character: ASCII letters lower-cased, other characters mapped to upper case
    /// and back, so that every spelling that ignoring case treats as one (<c>K</c>, <c>k</c>, the Kelvin sign) folds
    /// to the same character.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Fold(char c) =>
        c < 0x80 ? (char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c) : char.ToLowerInvariant(char.ToUpperInvariant(c));

    /// <summary>Folds <paramref name="key"/> (a new string only when folding changes it).</summary>
    public static string Fold(string key)
    {
        var i = 0;
        while (i < key.Length && Fold(key[i]) == key[i])
        {
            i++;
        }

        if (i == key.Length)
        {
            return key;
        }

        return string.Create(key.Length, key, static (dest, source) =>
        {
            for (var j = 0; j < source.Length; j++)
            {
                dest[j] = Fold(source[j]);
            }
        });
    }

    /// <summary>Ordinal equality, or with <paramref name="ignoreCase"/> equality of every character's <see cref="Fold(char)"/>.</summary>
    public static bool TextEquals(scoped ReadOnlySpan<char> a, scoped ReadOnlySpan<char> b, bool ignoreCase)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        if (a.SequenceEqual(b))
        {
            return true;
        }

        if (!ignoreCase)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (Fold(a[i]) != Fold(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the key a slot holds (its <paramref name="content"/> and value <paramref name="start"/>) is <paramref name="key"/>.</summary>
    private bool ValueEquals(ulong content, int start, scoped ReadOnlySpan<char> key)
    {
        // An unspelled key never holds an entry in its slot (its result is never its key entry alone).
        var low = (uint)content;
        if (start < 0)
        {
            return TextEquals(_unspelled[(int)low - 1], key, _ignoreCase);
        }

        var length = (int)((content >> 32) & 0xFFFF);
        var bytes = length != LongValue
            ? _values!.Slice(start, length)
            : _values![(low & EntryFlag) != 0 ? (int)(low & ~EntryFlag) : _keyEntries[(int)low - 1]];

        // Ascii.Equals is true only for equal ASCII text; the value is decoded only when it is not ASCII at all.
        if (bytes.Length == key.Length
            && (_ignoreCase ? System.Text.Ascii.EqualsIgnoreCase(bytes, key) : System.Text.Ascii.Equals(bytes, key)))
        {
            return true;
        }

        return !System.Text.Ascii.IsValid(bytes) && TextEquals(System.Text.Encoding.UTF8.GetString(bytes), key, _ignoreCase);
    }

    /// <summary>
    /// One slot: a 16-bit hash tag, the key's value length in bytes (16 bits) and an entry or ordinal in
    /// <see cref="Content"/> (0 when empty); where the key's value starts in the value store (-1 for an unspelled key)
    /// in <see cref="Start"/>. Packed to twelve bytes, the size the two were as parallel arrays.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Slot(ulong Content, int Start);
}

/// <summary>
/// The table hash of every label suffix of a host, shortest first (<c>com</c>, <c>example.com</c>,
/// <c>www.example.com</c>), in one pass from the end: each label is mixed into a running state four characters at
/// a time (<see cref="StringTable.MixLabel"/>) and each suffix's hash is that state finished. The host must be in
/// the table's folded form (lower-case ASCII for domains, which the table holds in punycode). The state never
/// takes a character of 0x8000 or more into a block's top bits from an ASCII key, so no difference in a key's
/// top bit passes through the multiplies unchanged for a crafted feed to cancel.
/// </summary>
internal ref struct SuffixWalk
{
    private readonly ReadOnlySpan<char> _host;

    /// <summary>For a host of at most 64 characters, bit i set when character i is a dot not yet walked past.</summary>
    private ulong _dots;
    private int _end;
    private ulong _state;

    public SuffixWalk(ReadOnlySpan<char> host)
    {
        _host = host;
        _end = host.Length;
        _state = StringTable.Start;
        _dots = host.Length <= 64 ? DotsOf(host) : 0;
    }

    /// <summary>The next longer suffix: where it starts in the host and its table hash; false after the whole host.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Next(out int start, out ulong hash)
    {
        if (_end < 0)
        {
            start = 0;
            hash = 0;
            return false;
        }

        int dot;
        if (_host.Length <= 64)
        {
            // The last dot before the label's end is the highest bit still set; it is cleared as the walk passes it.
            dot = 63 - BitOperations.LeadingZeroCount(_dots);
            _dots &= ~(1UL << dot);
        }
        else
        {
            dot = _host[.._end].LastIndexOf('.');
        }

        start = dot + 1;
        _state = StringTable.MixLabel(_state, ref Unsafe.Add(ref MemoryMarshal.GetReference(_host), start), _end - start);
        hash = StringTable.Finish(_state, 0, _host.Length - start);
        _end = dot;
        return true;
    }

    /// <summary>Bit i set when <paramref name="host"/> (at most 64 characters) has a dot at i: eight characters per compare.</summary>
    private static ulong DotsOf(ReadOnlySpan<char> host)
    {
        var n = host.Length;
        var dots = 0UL;
        if (n >= 8 && Vector128.IsHardwareAccelerated)
        {
            ref var first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(host));
            var dot = Vector128.Create((ushort)'.');
            var i = 0;
            for (; i + 8 < n; i += 8)
            {
                dots |= (ulong)Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i), dot).ExtractMostSignificantBits() << i;
            }

            // The last eight characters, ending at the host's end (overlapping the block before).
            return dots | ((ulong)Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)(n - 8)), dot).ExtractMostSignificantBits() << (n - 8));
        }

        for (var i = 0; i < n; i++)
        {
            dots |= host[i] == '.' ? 1UL << i : 0;
        }

        return dots;
    }
}

/// <summary>The filter word, first slot (its index, content and value offset) of one <see cref="StringTable"/> lookup, read ahead (<see cref="StringTable.ReadAhead"/>).</summary>
internal readonly record struct Probe(ulong FilterWord, int Index, ulong Slot, int Start);
