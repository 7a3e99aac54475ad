namespace Bulwark.Core.Sources.Archives;

/// <summary>A read-only forward stream that lets the caller look at the first bytes before reading them again.</summary>
public sealed class PeekStream(Stream inner) : Stream
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
            var n = inner.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
            _head = buffer[..n];
        }

        return _head;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headPos < _head.Length)
        {
            var n = Math.Min(buffer.Length, _head.Length - _headPos);
            _head.AsSpan(_headPos, n).CopyTo(buffer);
            _headPos += n;
            return n;
        }

        return inner.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
