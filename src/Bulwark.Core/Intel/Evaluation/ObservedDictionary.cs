using System.Text;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// The named values of an object, a STIX dictionary or a nested type. Kept as a small array searched in order:
/// observed objects have a handful of properties, and building a hash table per event would cost more than it saves.
/// </summary>
public sealed class ObservedDictionary
{
    private readonly (string Name, ObservedValue Value)[] _entries;

    /// <summary>Copies <paramref name="entries"/>; names must be distinct (ordinal).</summary>
    public ObservedDictionary(params ReadOnlySpan<(string Name, ObservedValue Value)> entries)
    {
        _entries = entries.ToArray();
        Check(_entries);
    }

    private ObservedDictionary((string Name, ObservedValue Value)[] entries, bool check)
    {
        _entries = entries;
        if (check)
        {
            Check(entries);
        }
    }

    /// <summary>The dictionary with no entries.</summary>
    public static ObservedDictionary Empty { get; } = new([], check: false);

    /// <summary>How many entries there are.</summary>
    public int Count => _entries.Length;

    /// <summary>The entry at <paramref name="index"/>, in the order given.</summary>
    public (string Name, ObservedValue Value) this[int index] => _entries[index];

    /// <summary>The value named exactly <paramref name="name"/> (ordinal).</summary>
    public bool TryGetValue(string name, out ObservedValue value) => TryGet(name, hashAlgorithm: false, out value);

    /// <summary>Takes ownership of <paramref name="entries"/> (no copy).</summary>
    internal static ObservedDictionary Own((string Name, ObservedValue Value)[] entries) => new(entries, check: true);

    /// <summary>
    /// Looks <paramref name="name"/> up: exactly first, then ignoring case (HTTP header names, <c>hashes.md5</c> against
    /// <c>MD5</c>); for a hash algorithm name also ignoring '-' and '_' (<c>SHA256</c> against <c>SHA-256</c>).
    /// </summary>
    internal bool TryGet(string name, bool hashAlgorithm, out ObservedValue value)
    {
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].Name, name, StringComparison.Ordinal))
            {
                value = entries[i].Value;
                return true;
            }
        }

        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = entries[i].Value;
                return true;
            }
        }

        if (hashAlgorithm)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                if (SameAlgorithm(entries[i].Name, name))
                {
                    value = entries[i].Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var builder = new StringBuilder("{");
        for (var i = 0; i < _entries.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(_entries[i].Name).Append(": ").Append(_entries[i].Value.ToString());
        }

        return builder.Append('}').ToString();
    }

    private static bool SameAlgorithm(string a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && a[i] is '-' or '_')
            {
                i++;
            }

            while (j < b.Length && b[j] is '-' or '_')
            {
                j++;
            }

            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length;
            }

            if (char.ToUpperInvariant(a[i]) != char.ToUpperInvariant(b[j]))
            {
                return false;
            }

            i++;
            j++;
        }
    }

    private static bool Before((string Name, ObservedValue Value)[] entries, int end, string name)
    {
        for (var j = 0; j < end; j++)
        {
            if (string.Equals(entries[j].Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Check((string Name, ObservedValue Value)[] entries)
    {
        // Small dictionaries (nearly all) are checked pairwise, without allocating; large ones with a set.
        var seen = entries.Length > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < entries.Length; i++)
        {
            var name = entries[i].Name;
            ArgumentNullException.ThrowIfNull(name, nameof(entries));
            if (seen is not null ? !seen.Add(name) : Before(entries, i, name))
            {
                throw new ArgumentException($"property '{name}' is given twice", nameof(entries));
            }
        }
    }
}
