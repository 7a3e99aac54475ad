namespace Bulwark.LogGen.Output;

/// <summary>Bytes written across the whole tree; the traffic clock is driven by it.</summary>
public sealed class ByteCounter
{
    public long Total { get; private set; }

    public void Add(long bytes) => Total += bytes;
}
