using System.Text;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Every entry's value in two arrays: the values' bytes one after another (UTF-8 text; the raw digest for a hash,
/// half the size of its hex) and where each starts. A million values are two objects for the collector, not a
/// million strings (ADR 13). String tables compare their keys against these bytes instead of keeping copies.
/// </summary>
internal sealed class ValueStore(byte[] bytes, int[] starts)
{
    /// <summary>0, 1, 2, …: a one-entry result is a one-element slice of this, read straight from a table's slot.</summary>
    private readonly int[] _ids = [.. Enumerable.Range(0, starts.Length - 1)];

    public int Count => starts.Length - 1;

    /// <summary>The entry ids <c>[entry]</c>, without allocating.</summary>
    public ReadOnlySpan<int> One(int entry) => _ids.AsSpan(entry, 1);

    public ReadOnlySpan<byte> this[int index] => bytes.AsSpan(starts[index], starts[index + 1] - starts[index]);

    /// <summary>Where value <paramref name="index"/> starts in the byte buffer (for tables that keep it beside their slots).</summary>
    public int StartOf(int index) => starts[index];

    public int LengthOf(int index) => starts[index + 1] - starts[index];

    /// <summary>The <paramref name="length"/> bytes of a value at <paramref name="start"/> (<see cref="StartOf"/>).</summary>
    public ReadOnlySpan<byte> Slice(int start, int length) => bytes.AsSpan(start, length);

    /// <summary>
    /// True when value <paramref name="index"/> is <paramref name="text"/>: exactly, or with
    /// <paramref name="ignoreCase"/> as <see cref="StringTable.Fold(char)"/> folds.
    /// </summary>
    public bool IsText(int index, ReadOnlySpan<char> text, bool ignoreCase)
    {
        var value = this[index];
        if (Ascii.IsValid(value))
        {
            return value.Length == text.Length && (ignoreCase ? Ascii.EqualsIgnoreCase(value, text) : Ascii.Equals(value, text));
        }

        return StringTable.TextEquals(Encoding.UTF8.GetString(value), text, ignoreCase);
    }
}

/// <summary>Collects <see cref="ValueStore"/> values while an index is built.</summary>
internal sealed class ValueStoreBuilder(int capacity)
{
    private readonly List<int> _starts = new(capacity + 1);
    private byte[] _bytes = new byte[Math.Max(256, capacity * 24)];
    private int _length;

    public void AddText(ReadOnlySpan<char> text, bool lower)
    {
        Reserve((text.Length * 3) + 3);
        _starts.Add(_length);
        var dest = _bytes.AsSpan(_length);
        if (Ascii.IsValid(text))
        {
            int written;
            _ = lower ? Ascii.ToLower(text, dest, out written) : Ascii.FromUtf16(text, dest, out written);
            _length += written;
            return;
        }

        _length += Encoding.UTF8.GetBytes(lower ? text.ToString().ToLowerInvariant() : text, dest);
    }

    public void AddBytes(ReadOnlySpan<byte> value)
    {
        Reserve(value.Length);
        _starts.Add(_length);
        value.CopyTo(_bytes.AsSpan(_length));
        _length += value.Length;
    }

    public ValueStore Build()
    {
        _starts.Add(_length);
        return new ValueStore(_bytes, [.. _starts]);
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _bytes.Length)
        {
            return;
        }

        var size = Math.Max(_length + bytes, (int)Math.Min(Array.MaxLength, (long)_bytes.Length * 2));
        if (_length + bytes > Array.MaxLength)
        {
            throw new InvalidOperationException($"the index values hold more than {Array.MaxLength} bytes");
        }

        Array.Resize(ref _bytes, size);
    }
}
