namespace Bulwark.Core.Sources.Archives;

/// <summary>A read-only forward stream that lets the caller look at the first bytes before reading them again.</summary>
public sealed class PeekStream(Stream inner) : ForwardReadStream(inner)
{
    private byte[] _head = [];
    private int _headPos;
    private bool _peeked;

    /// <summary>Reads up to <paramref name="count"/> bytes ahead; they are returned again by <see cref="Read(byte[], int, int)"/>.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (!_peeked)
        {
            _peeked = true;
            var buffer = new byte[count];
            var n = Inner.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
            _head = buffer[..n];
        }

        return _head;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_headPos < _head.Length)
        {
            var n = Math.Min(buffer.Length, _head.Length - _headPos);
            _head.AsSpan(_headPos, n).CopyTo(buffer);
            _headPos += n;
            return n;
        }

        return Inner.Read(buffer);
    }
}
