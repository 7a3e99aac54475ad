using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Value → entry ids for one indicator kind. While building, the dictionary maps each key to the head of a chain
/// of entry ids (several sources may report one value); <see cref="Freeze"/> turns the chains into one contiguous
/// posting array, and each key then maps to its ordinal in that array, so lookups return spans. Non-string keys
/// stay in the dictionary (behind a Bloom filter); string keys move into a <see cref="StringTable"/> and the
/// dictionary and its strings are dropped.
/// </summary>
internal sealed class ValueTable<TKey>
    where TKey : notnull
{
    private int[] _offsets = [0];
    private int[] _postings = [];

    private int _frozenCount = -1;
    private ValueStore? _values;

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
            var filter = new BloomFilter(Map.Count);
            foreach (var key in Map.Keys)
            {
                filter.Add(key.GetHashCode());
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
            Map.Clear();
            Map.TrimExcess();
        }
    }

    public ReadOnlySpan<int> Postings(int ordinal)
    {
        var from = _offsets[ordinal];
        return _postings.AsSpan(from, _offsets[ordinal + 1] - from);
    }

    /// <summary>Entry ids for a non-string key (string tables are looked up through <see cref="Strings"/>).</summary>
    public ReadOnlySpan<int> Match(TKey key) =>
        (Filter is null || Filter.MayContain(key.GetHashCode())) && Map.TryGetValue(key, out var ordinal) ? Postings(ordinal) : default;

    /// <summary>Entry ids for a string key (folded or not as the table was frozen), or none.</summary>
    public ReadOnlySpan<int> MatchString(scoped ReadOnlySpan<char> key) =>
        _frozenCount > 0 ? MatchString(key, Strings.HashOf(key)) : default;

    /// <summary>As <see cref="MatchString(ReadOnlySpan{char})"/>, with the key's table hash already known.</summary>
    public ReadOnlySpan<int> MatchString(scoped ReadOnlySpan<char> key, ulong hash)
    {
        if (!Strings.TryFind(key, hash, out var ordinal, out var entry))
        {
            return default;
        }

        return entry >= 0 ? _values!.One(entry) : Postings(ordinal);
    }

    /// <summary>As <see cref="MatchString(ReadOnlySpan{char}, ulong)"/>, with the first reads done by <see cref="StringTable.ReadAhead"/>.</summary>
    public ReadOnlySpan<int> MatchString(scoped ReadOnlySpan<char> key, ulong hash, Probe probe)
    {
        if (!Strings.TryFind(key, hash, probe, out var ordinal, out var entry))
        {
            return default;
        }

        return entry >= 0 ? _values!.One(entry) : Postings(ordinal);
    }

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
