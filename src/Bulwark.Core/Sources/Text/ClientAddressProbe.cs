using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Bulwark.Core.Sources.Text;

/// <summary>
/// Selects a line when its client-address column holds one of a set of addresses. Addresses are digits and
/// dots that a literal pre-filter would "find" everywhere in a log (times, versions, other addresses), so they
/// are matched on the one column where they matter, straight from the line's bytes.
/// </summary>
public sealed class ClientAddressProbe
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ClientAddressProbe(IEnumerable<string> addresses)
    {
        _lookup = addresses.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>True when field <paramref name="column"/> (0-based) of <paramref name="line"/> is a listed address (an IPv4 port suffix is ignored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(ReadOnlySpan<byte> line, int column, byte separator, bool quoted) =>
        TryGetField(line, column, separator, quoted, out var field) && MatchesField(field);

    /// <summary>True when <paramref name="field"/> (the client-address column's bytes) is a listed address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MatchesField(ReadOnlySpan<byte> field)
    {
        if (field.Length is 0 or > 64)
        {
            return false;
        }

        Span<char> chars = stackalloc char[field.Length];
        for (var i = 0; i < field.Length; i++)
        {
            chars[i] = (char)field[i];
        }

        ReadOnlySpan<char> value = chars.TrimEnd('\r');
        var colon = value.IndexOf(':');
        if (colon > 0 && value[(colon + 1)..].IndexOf(':') < 0)
        {
            value = value[..colon]; // "203.0.113.5:51234"
        }

        return _lookup.Contains(value);
    }

    /// <summary>Finds a field by position; CSV fields may be quoted (with "" escapes) and hold the separator.</summary>
    internal static bool TryGetField(ReadOnlySpan<byte> line, int column, byte separator, bool quoted, out ReadOnlySpan<byte> field)
    {
        Span<Range> range = stackalloc Range[1];
        var found = FieldSplitter.Split(line, [column], separator, quoted, range) == 1;
        field = found ? line[range[0]] : default;
        return found;
    }
}
