using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Value → entry ids for one indicator kind. While building, the dictionary maps each key to the head of a chain
/// of entry ids (several sources may report one value); <see cref="Freeze"/> turns the chains into one contiguous
/// posting array, and the dictionary then maps each key to its ordinal in that array, so lookups return spans.
/// </summary>
internal sealed class ValueTable<TKey>
    where TKey : notnull
{
    private int[] _offsets = [0];
    private int[] _postings = [];

    public ValueTable(IEqualityComparer<TKey>? comparer = null) => Map = new Dictionary<TKey, int>(comparer);

    public Dictionary<TKey, int> Map { get; }

    /// <summary>Built by <see cref="Freeze"/> from <see cref="Hash"/> of every key: a cheap "certainly absent".</summary>
    public BloomFilter? Filter { get; private set; }

    /// <summary>
    /// The hash the filter is built and probed with: for string tables the comparer's own (ordinal or ignoring case,
    /// computed the same way from a span at lookup), for the others the key's.
    /// </summary>
    public static int Hash(TKey key, StringComparison comparison) =>
        key is string text ? string.GetHashCode(text.AsSpan(), comparison) : key.GetHashCode();

    public int Count => Map.Count;

    public void Add(TKey key, int entryId, List<int> next)
    {
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(Map, key, out var exists);
        next[entryId] = exists ? head : -1;
        head = entryId;
    }

    /// <summary>
    /// Builds the postings, each key's ids in add order. With <paramref name="parentDomains"/> (string keys only),
    /// a domain's postings also hold the ids of every parent domain in the table, nearest first, so that one hit
    /// on the longest matching suffix gives every matching domain indicator.
    /// </summary>
    public void Freeze(List<int> next, bool parentDomains = false, StringComparison comparison = StringComparison.Ordinal)
    {
        var filter = new BloomFilter(Map.Count);
        foreach (var key in Map.Keys)
        {
            filter.Add(Hash(key, comparison));
        }

        Filter = filter;

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
    }

    public ReadOnlySpan<int> Postings(int ordinal)
    {
        var from = _offsets[ordinal];
        return _postings.AsSpan(from, _offsets[ordinal + 1] - from);
    }

    /// <summary>Entry ids for a non-string key (string tables are looked up by span, with their comparison's hash).</summary>
    public ReadOnlySpan<int> Match(TKey key) =>
        (Filter is null || key is string || Filter.MayContain(key.GetHashCode())) && Map.TryGetValue(key, out var ordinal) ? Postings(ordinal) : default;

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
