using System.Buffers.Binary;

namespace Bulwark.Core.Intel.Index;

/// <summary>A SHA-256 digest as two <see cref="UInt128"/>s, so lookups hash 32 bytes instead of a 64-char string.</summary>
internal readonly struct Sha256Key(UInt128 high, UInt128 low) : IEquatable<Sha256Key>
{
    private readonly UInt128 _high = high;
    private readonly UInt128 _low = low;

    public static Sha256Key From(ReadOnlySpan<byte> digest) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(digest), BinaryPrimitives.ReadUInt128BigEndian(digest[16..]));

    public bool Equals(Sha256Key other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is Sha256Key other && Equals(other);

    // Digests are uniformly distributed already; any 32 bits make a good hash.
    public override int GetHashCode() => (int)(ulong)_low;
}
