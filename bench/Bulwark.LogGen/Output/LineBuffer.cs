namespace Bulwark.LogGen.Output;

/// <summary>
/// A reusable character buffer that one log line is composed in before it is written, so the hot loop
/// formats numbers, GUIDs and timestamps without allocating strings.
/// </summary>
public sealed class LineBuffer
{
    private char[] _chars = new char[4096];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    public LineBuffer Clear()
    {
        Length = 0;
        return this;
    }

    public LineBuffer Append(char c)
    {
        Ensure(1);
        _chars[Length++] = c;
        return this;
    }

    public LineBuffer Append(string? s) => Append(s.AsSpan());

    public LineBuffer Append(ReadOnlySpan<char> s)
    {
        Ensure(s.Length);
        s.CopyTo(_chars.AsSpan(Length));
        Length += s.Length;
        return this;
    }

    public LineBuffer Append(long value)
    {
        Ensure(20);
        value.TryFormat(_chars.AsSpan(Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Length += written;
        return this;
    }

    public LineBuffer Append(Guid value)
    {
        Ensure(36);
        value.TryFormat(_chars.AsSpan(Length), out var written);
        Length += written;
        return this;
    }

    /// <summary>Lower-case hexadecimal, zero-padded to <paramref name="digits"/>.</summary>
    public LineBuffer AppendHex(ulong value, int digits)
    {
        Ensure(digits);
        for (var i = digits - 1; i >= 0; i--)
        {
            _chars[Length + i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }

        Length += digits;
        return this;
    }

    /// <summary>Exchange log time: <c>2021-03-03T06:49:42.162Z</c>.</summary>
    public LineBuffer AppendIsoTime(DateTime t)
    {
        AppendW3cDate(t).Append('T');
        AppendClock(t).Append('.');
        return Digits(t.Millisecond, 3).Append('Z');
    }

    /// <summary>IIS W3C date: <c>2021-03-03</c>.</summary>
    public LineBuffer AppendW3cDate(DateTime t)
    {
        Digits(t.Year, 4).Append('-');
        Digits(t.Month, 2).Append('-');
        return Digits(t.Day, 2);
    }

    /// <summary>IIS W3C time: <c>06:49:42</c>.</summary>
    public LineBuffer AppendClock(DateTime t)
    {
        Digits(t.Hour, 2).Append(':');
        Digits(t.Minute, 2).Append(':');
        return Digits(t.Second, 2);
    }

    /// <summary>One CSV field, quoted per RFC 4180 when it holds a comma, a quote or a line break.</summary>
    public LineBuffer AppendCsv(string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return Append(value);
        }

        Append('"');
        foreach (var c in value)
        {
            if (c == '"')
            {
                Append('"');
            }

            Append(c);
        }

        return Append('"');
    }

    /// <summary>A W3C field: spaces become '+' as IIS writes them, an empty value becomes '-'.</summary>
    public LineBuffer AppendW3c(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Append('-');
        }

        Ensure(value.Length);
        var start = Length;
        Append(value);
        _chars.AsSpan(start, value.Length).Replace(' ', '+');
        return this;
    }

    private LineBuffer Digits(int value, int count)
    {
        Ensure(count);
        for (var i = count - 1; i >= 0; i--)
        {
            _chars[Length + i] = (char)('0' + (value % 10));
            value /= 10;
        }

        Length += count;
        return this;
    }

    private void Ensure(int extra)
    {
        if (Length + extra > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + extra));
        }
    }
}
