using System.Buffers.Binary;

namespace Bulwark.Core.Intel.Index;

/// <summary>A SHA-1 digest as two integers, so lookups hash 20 bytes instead of a 40-char string.</summary>
internal readonly struct Sha1Key(UInt128 high, uint low) : IEquatable<Sha1Key>
{
    private readonly UInt128 _high = high;
    private readonly uint _low = low;

    public static Sha1Key From(ReadOnlySpan<byte> digest) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(digest), BinaryPrimitives.ReadUInt32BigEndian(digest[16..]));

    public bool Equals(Sha1Key other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is Sha1Key other && Equals(other);

    // Digests are uniformly distributed already; any 32 bits make a good hash.
    public override int GetHashCode() => (int)_low;
}
