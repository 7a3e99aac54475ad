using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Value → entry ids for one indicator kind. While building, the dictionary maps each key to the head of a chain
/// of entry ids (several sources may report one value); <see cref="Freeze"/> turns the chains into one contiguous
/// posting array, and each key then maps to its ordinal in that array, so lookups return spans. Then the
/// dictionary is dropped: string keys move into a <see cref="StringTable"/>; other keys (addresses, digests) into
/// an open-addressing table of parallel key and payload arrays behind a Bloom filter, where one slot index finds
/// both (a dictionary reads its buckets, then its entries, one after the other), and a key reported once holds
/// its entry id in the slot itself.
/// </summary>
internal sealed class ValueTable<TKey>
    where TKey : notnull
{
    private int[] _offsets = [0];
    private int[] _postings = [];

    private int _frozenCount = -1;
    private ValueStore? _values;

    /// <summary>Open-addressing slots of a frozen non-string table: the key, and its ordinal + 1 or <see cref="EntryFlag"/> | entry id (0 = empty).</summary>
    private TKey[] _slotKeys = [];
    private uint[] _slotPayloads = [];
    private ulong _seed;

    private const uint EntryFlag = 0x8000_0000;

    public Dictionary<TKey, int> Map { get; } = new();

    /// <summary>Built by <see cref="Freeze"/> from the hash of every non-string key: a cheap "certainly absent".</summary>
    public BloomFilter? Filter { get; private set; }

    /// <summary>The frozen string keys (string tables only; empty before <see cref="Freeze"/>).</summary>
    public StringTable Strings { get; private set; } = StringTable.Empty;

    public int Count => _frozenCount >= 0 ? _frozenCount : Map.Count;

    public void Add(TKey key, int entryId, List<int> next)
    {
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(Map, key, out var exists);
        next[entryId] = exists ? head : -1;
        head = entryId;
    }

    /// <summary>
    /// Builds the postings, each key's ids in add order. With <paramref name="parentDomains"/> (string keys only),
    /// a domain's postings also hold the ids of every parent domain in the table, nearest first, so that one hit
    /// on the longest matching suffix gives every matching domain indicator. String keys must already be in the
    /// form <paramref name="ignoreCase"/> asks for (<see cref="StringTable.Fold(string)"/>).
    /// </summary>
    public void Freeze(List<int> next, ValueStore values, bool parentDomains = false, bool ignoreCase = false)
    {
        var strings = typeof(TKey) == typeof(string);
        if (!strings)
        {
            _seed = ((ulong)System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue) << 32) | 1;
            var filter = new BloomFilter(Map.Count);
            foreach (var key in Map.Keys)
            {
                filter.Add(Mix(key));
            }

            Filter = filter;
        }

        var heads = new int[Map.Count];
        var keys = new TKey[Map.Count];
        var ordinal = 0;
        foreach (var key in Map.Keys)
        {
            ref var value = ref CollectionsMarshal.GetValueRefOrNullRef(Map, key);
            heads[ordinal] = value;
            keys[ordinal] = key;
            value = ordinal++;
        }

        var offsets = new int[heads.Length + 1];
        var postings = new List<int>(heads.Length);
        var domains = parentDomains ? ((Dictionary<string, int>)(object)Map).GetAlternateLookup<ReadOnlySpan<char>>() : default;
        for (var k = 0; k < heads.Length; k++)
        {
            offsets[k] = postings.Count;
            AppendChain(heads[k], next, postings);
            if (parentDomains)
            {
                ReadOnlySpan<char> domain = Unsafe.As<TKey, string>(ref keys[k]);
                for (var dot = domain.IndexOf('.'); dot >= 0; dot = domain.IndexOf('.'))
                {
                    domain = domain[(dot + 1)..];
                    if (domains.TryGetValue(domain, out var parent))
                    {
                        AppendChain(heads[parent], next, postings);
                    }
                }
            }
        }

        offsets[^1] = postings.Count;
        _offsets = offsets;
        _postings = [.. postings];
        _frozenCount = Map.Count;
        if (strings)
        {
            var texts = Unsafe.As<TKey[], string[]>(ref keys);
            var keyEntries = new int[texts.Length];
            for (var k = 0; k < texts.Length; k++)
            {
                keyEntries[k] = -1;
                for (var id = heads[k]; id >= 0; id = next[id])
                {
                    if (values.IsText(id, texts[k], ignoreCase))
                    {
                        keyEntries[k] = id;
                        break;
                    }
                }
            }

            var single = new bool[texts.Length];
            for (var k = 0; k < texts.Length; k++)
            {
                single[k] = keyEntries[k] >= 0 && offsets[k + 1] - offsets[k] == 1;
            }

            _values = values;
            Strings = new StringTable(texts, ignoreCase, values, keyEntries, suffixes: parentDomains, single);
        }
        else
        {
            _values = values;
            FillSlots(keys, offsets, heads);
        }

        Map.Clear();
        Map.TrimExcess();
    }

    /// <summary>Slots for the frozen keys at most two-thirds full; the slot count need not be a power of two.</summary>
    private void FillSlots(TKey[] keys, int[] offsets, int[] heads)
    {
        var capacity = Math.Max(2, (int)Math.Min(Array.MaxLength, (keys.Length * 3L / 2) + 1));
        _slotKeys = new TKey[capacity];
        _slotPayloads = new uint[capacity];
        for (var ordinal = 0; ordinal < keys.Length; ordinal++)
        {
            var slot = SlotOf(Mix(keys[ordinal]));
            while (_slotPayloads[slot] != 0)
            {
                slot = slot + 1 == capacity ? 0 : slot + 1;
            }

            _slotKeys[slot] = keys[ordinal];
            _slotPayloads[slot] = offsets[ordinal + 1] - offsets[ordinal] == 1 ? EntryFlag | (uint)heads[ordinal] : (uint)(ordinal + 1);
        }
    }

    /// <summary>The key's hash code, mixed with a per-table random seed so that no feed can aim its values at one run of slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Mix(TKey key)
    {
        var h = ((ulong)(uint)key.GetHashCode() ^ _seed) * 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }

    /// <summary>Maps a mixed hash onto the slots by multiplying, not masking (the count is not a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong mixed) => (int)(((mixed & 0xFFFF_FFFF) * (ulong)_slotPayloads.Length) >> 32);

    public ReadOnlySpan<int> Postings(int ordinal)
    {
        var from = _offsets[ordinal];
        return _postings.AsSpan(from, _offsets[ordinal + 1] - from);
    }

    /// <summary>Entry ids for a non-string key of a frozen table (string tables are looked up through <see cref="Strings"/>).</summary>
    public ReadOnlySpan<int> Match(TKey key)
    {
        if (_frozenCount <= 0)
        {
            return default;
        }

        // The filter word, the first slot's payload and its key are read before any of them is tested, so that a
        // hit waits for memory once, not three times.
        var mixed = Mix(key);
        var slot = SlotOf(mixed);
        var word = Filter!.WordOf(mixed);
        var payload = _slotPayloads[slot];
        var candidate = _slotKeys[slot];
        if (!Filter.MayContain(word, mixed))
        {
            return default;
        }

        while (payload != 0)
        {
            if (EqualityComparer<TKey>.Default.Equals(candidate, key))
            {
                return (payload & EntryFlag) != 0 ? _values!.One((int)(payload & ~EntryFlag)) : Postings((int)payload - 1);
            }

            slot = slot + 1 == _slotPayloads.Length ? 0 : slot + 1;
            payload = _slotPayloads[slot];
            candidate = _slotKeys[slot];
        }

        return default;
    }

    /// <summary>Entry ids for a string key (folded or not as the table was frozen), or none.</summary>
    public ReadOnlySpan<int> MatchString(scoped ReadOnlySpan<char> key) =>
        _frozenCount > 0 ? MatchString(key, Strings.HashOf(key)) : default;

    /// <summary>As <see cref="MatchString(ReadOnlySpan{char})"/>, with the key's table hash already known.</summary>
    public ReadOnlySpan<int> MatchString(scoped ReadOnlySpan<char> key, ulong hash) =>
        Strings.TryFind(key, hash, out var ordinal, out var entry) ? Found(ordinal, entry) : default;

    /// <summary>As <see cref="MatchString(ReadOnlySpan{char}, ulong)"/>, with the first reads done by <see cref="StringTable.ReadAhead"/>.</summary>
    public ReadOnlySpan<int> MatchString(scoped ReadOnlySpan<char> key, ulong hash, Probe probe) =>
        Strings.TryFind(key, hash, probe, out var ordinal, out var entry) ? Found(ordinal, entry) : default;

    /// <summary>A found key's ids: its one entry, or its postings.</summary>
    private ReadOnlySpan<int> Found(int ordinal, int entry) => entry >= 0 ? _values!.One(entry) : Postings(ordinal);

    private static void AppendChain(int head, List<int> next, List<int> postings)
    {
        var start = postings.Count;
        for (var id = head; id >= 0; id = next[id])
        {
            postings.Add(id);
        }

        CollectionsMarshal.AsSpan(postings)[start..].Reverse();
    }
}
