using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// A feed's <c>hashes.csv</c> (<c>&lt;md5(value)&gt;,&lt;event uuid&gt;</c> per line): a cheap check whether a value may be
/// in the feed without fetching its events. The producer hashes values as written (composite values one part at a
/// time), so a value is looked up as given and lower-cased. A hit only says "fetch the events"; the index decides.
/// </summary>
public sealed class MispFeedHashes
{
    private readonly HashSet<UInt128> _hashes;

    private MispFeedHashes(HashSet<UInt128> hashes, IReadOnlyList<IntelProblem> problems)
    {
        _hashes = hashes;
        Problems = problems;
    }

    public static MispFeedHashes Empty { get; } = new([], []);

    internal static MispFeedHashes Unavailable(IReadOnlyList<IntelProblem> problems) => new([], problems);

    /// <summary>Distinct value hashes held.</summary>
    public int Count => _hashes.Count;

    public IReadOnlyList<IntelProblem> Problems { get; }

    /// <summary>True when the feed may hold <paramref name="value"/> (as written, or lower-cased).</summary>
    public bool MightContain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_hashes.Count == 0)
        {
            return false;
        }

        if (_hashes.Contains(Md5(value)))
        {
            return true;
        }

        var lower = value.ToLowerInvariant();
        return !lower.Equals(value, StringComparison.Ordinal) && _hashes.Contains(Md5(lower));
    }

    /// <summary>Reads hashes.csv; a malformed line is a problem (with its number) and the rest are still read.</summary>
    public static MispFeedHashes Read(TextReader reader, string file, IntelCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var problems = new MispProblems(file, catalog ?? new IntelCatalog());
        var hashes = new HashSet<UInt128>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty)
            {
                continue;
            }

            var comma = text.IndexOf(',');
            var hash = Unquote(comma < 0 ? text : text[..comma]);
            var uuid = comma < 0 ? [] : Unquote(text[(comma + 1)..]);
            if (comma < 0 || hash.Length != 32 || !TryParseHex(hash, out var key) || !MispIds.IsUuid(uuid.ToString()))
            {
                problems.Add($"line {number}", $"expected '<md5 of a value>,<event uuid>', found {MispJson.Quote(line.Trim())}");
                continue;
            }

            hashes.Add(key);
        }

        return new MispFeedHashes(hashes, problems.All);
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        return cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Trim() : cell;
    }

    private static bool TryParseHex(ReadOnlySpan<char> hex, out UInt128 value)
    {
        value = 0;
        foreach (var c in hex)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigitLower(c) ? c - 'a' + 10 : char.IsAsciiHexDigitUpper(c) ? c - 'A' + 10 : -1;
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }

#pragma warning disable CA5351 // MD5 is what the MISP feed format hashes values with; nothing here relies on it for security.
    private static UInt128 Md5(string value)
    {
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(Encoding.UTF8.GetBytes(value), digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest);
    }
#pragma warning restore CA5351
}
