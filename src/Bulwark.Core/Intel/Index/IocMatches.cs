namespace Bulwark.Core.Intel.Index;

/// <summary>
/// The entry ids a lookup matched, without allocating: up to two slices of the index's posting arrays (for an IP,
/// exact-address entries then containing CIDR ranges; for a URL, exact-URL entries then host-domain entries).
/// Valid as long as the index; enumerate with <c>foreach</c>.
/// </summary>
public readonly ref struct IocMatches
{
    private readonly ReadOnlySpan<int> _first;
    private readonly ReadOnlySpan<int> _second;

    internal IocMatches(ReadOnlySpan<int> first, ReadOnlySpan<int> second = default)
    {
        _first = first;
        _second = second;
    }

    public static IocMatches Empty => default;

    public int Count => _first.Length + _second.Length;

    public bool IsEmpty => Count == 0;

    public int this[int index] => index < _first.Length ? _first[index] : _second[index - _first.Length];

    public Enumerator GetEnumerator() => new(_first, _second);

    /// <summary>Copies the ids into a new array (allocates; for tests and reporting, not hot paths).</summary>
    public int[] ToArray() => [.. _first, .. _second];

    /// <summary>The ids of a single-slice result (every lookup but IP and URL).</summary>
    internal ReadOnlySpan<int> First => _first;

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<int> _first;
        private readonly ReadOnlySpan<int> _second;
        private int _index;

        internal Enumerator(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
        {
            _first = first;
            _second = second;
            _index = -1;
        }

        public readonly int Current => _index < _first.Length ? _first[_index] : _second[_index - _first.Length];

        public bool MoveNext() => ++_index < _first.Length + _second.Length;
    }
}
