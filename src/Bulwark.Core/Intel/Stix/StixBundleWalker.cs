using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// Walks a STIX bundle (<c>{"type": "bundle", "objects": [...]}</c>, a TAXII envelope, or a bare array of objects)
/// from a stream with <see cref="Utf8JsonReader"/> and hands each element of <c>objects</c> over as its own bytes, so
/// memory is bounded by the largest object, not the file. An element larger than the size limit, nested deeper than
/// the depth limit or not valid JSON is reported and stepped over with a byte scanner that only tracks brackets and
/// strings; the scanned bytes are then replaced by <c>null</c> in the buffer, which lets the reader carry on from its
/// saved state as if the element had been <c>null</c>. A file that ends early is reported with the byte and line it
/// ends at, and everything read before stays taken.
/// </summary>
internal sealed class StixBundleWalker
{
    private static readonly byte[] Null = "null"u8.ToArray();

    private readonly StixReadContext _context;
    private readonly Action<ReadOnlyMemory<byte>, int, long> _element;
    private readonly int _maxObject;
    private readonly int _maxDepth;
    private readonly int _bufferLimit;

    private byte[] _buffer;
    private int _length;
    private int _pos;
    private bool _eof;
    private bool _bomChecked;
    private JsonReaderState _state;

    // Original stream offset of _buffer[0]; bytes before _synthetic were written by a splice and have none.
    private long _bufferStart;
    private int _synthetic;

    // Lines: _line is the 1-based line of the byte at _lineCursor; _lineDrift counts newlines splices removed,
    // which the reader's own line numbers do not see.
    private int _lineCursor;
    private long _line = 1;
    private long _lineDrift;

    private Mode _mode = Mode.Start;
    private string _property = "";
    private string _arrayName = "objects";
    private int _arrayDepth;
    private bool _placeholder;

    private int _elementStart;
    private int _elementDepth;
    private long _elementLine;
    private long _elementBeforeLine;
    private byte[] _elementPrefix = [];
    private JsonReaderState _elementState;

    private int _scanPos;
    private long _scanDepth;
    private bool _scanStarted;
    private bool _scanInString;
    private bool _scanEscape;
    private bool _scanScalar;
    private byte[] _scanPrefix = [];
    private long _scanLine;
    private JsonReaderState _scanState;
    private Mode _scanResume;
    private string? _scanWhere;
    private string? _scanMessage;
    private string _scanEnd = "";

    /// <param name="element">Called with each complete element of <c>objects</c> (its JSON bytes, valid only during the call), its index and line.</param>
    public StixBundleWalker(StixReadContext context, Action<ReadOnlyMemory<byte>, int, long> element)
    {
        _context = context;
        _element = element;
        _maxObject = Math.Max(1024, context.Options.MaxObjectBytes);
        _maxDepth = Math.Max(1, context.Options.MaxDepth);
        var first = Math.Clamp(context.Options.BufferBytes, 256, _maxObject);
        _bufferLimit = _maxObject + (2 * first);
        _buffer = new byte[first];
        // The reader's own limit sits above ours (bundle and array levels, plus one), so ours is met first and reported.
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = _maxDepth + 3 });
    }

    private enum Mode
    {
        Start,
        Bundle,
        BundleValue,
        Objects,
        Element,
        RawSkip,
        End,
        Stopped,
    }

    private enum Step
    {
        Continue,
        NeedData,
        Done,
    }

    /// <summary>Elements of <c>objects</c> seen so far.</summary>
    public int Objects { get; private set; }

    /// <summary>False when reading stopped before the end of the file.</summary>
    public bool Complete { get; private set; } = true;

    public string? SpecVersion { get; private set; }

    public void Run(Stream stream)
    {
        while (true)
        {
            switch (Pump())
            {
                case Step.Done:
                    return;
                case Step.NeedData when PrepareFill():
                    Filled(stream.Read(_buffer, _length, _buffer.Length - _length));
                    break;
            }
        }
    }

    public async Task RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (Pump())
            {
                case Step.Done:
                    return;
                case Step.NeedData when PrepareFill():
                    Filled(await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false));
                    break;
            }
        }
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            _eof = true;
        }

        _length += read;
    }

    private Step Pump()
    {
        switch (_mode)
        {
            case Mode.Stopped:
                return Step.Done;
            case Mode.RawSkip:
                return Scan();
        }

        if (!_bomChecked)
        {
            if (_length - _pos < 3 && !_eof)
            {
                return Step.NeedData;
            }

            _bomChecked = true;
            if (_buffer.AsSpan(_pos, _length - _pos).StartsWith("\uFEFF"u8))
            {
                _pos += 3;
                _lineCursor = _pos;
            }
        }

        var reader = new Utf8JsonReader(_buffer.AsSpan(_pos, _length - _pos), _eof, _state);
        while (true)
        {
            var before = reader.CurrentState;
            var beforeIndex = _pos + (int)reader.BytesConsumed;
            bool read;
            try
            {
                read = reader.Read();
            }
            catch (JsonException ex)
            {
                return Broken(ex, before, beforeIndex);
            }

            if (!read)
            {
                _state = reader.CurrentState;
                _pos += (int)reader.BytesConsumed;
                if (!_eof)
                {
                    return Step.NeedData;
                }

                if (_mode == Mode.Start)
                {
                    Problem("", "the file is empty: expected a STIX bundle");
                }

                return Step.Done;
            }

            if (!Token(ref reader, before, beforeIndex))
            {
                return _mode == Mode.Stopped ? Step.Done : Step.Continue;
            }
        }
    }

    /// <summary>Handles one token; false when the reader must be left (a raw skip began, or reading stopped).</summary>
    private bool Token(ref Utf8JsonReader reader, JsonReaderState before, int beforeIndex)
    {
        var start = _pos + (int)reader.TokenStartIndex;
        switch (_mode)
        {
            case Mode.Start:
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    _mode = Mode.Bundle;
                    return true;
                }

                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    _mode = Mode.Objects;
                    _arrayName = "";
                    _arrayDepth = reader.CurrentDepth;
                    return true;
                }

                Problem(Located(start), $"expected a STIX bundle (a JSON object with \"objects\"), found {Kind(reader.TokenType)}");
                return Stop();

            case Mode.Bundle:
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    _property = Text(ref reader) ?? "";
                    _mode = Mode.BundleValue;
                }
                else
                {
                    _mode = Mode.End;
                }

                return true;

            case Mode.BundleValue:
                return BundleValue(ref reader, before, beforeIndex, start);

            case Mode.Objects:
                return Element(ref reader, before, beforeIndex, start);

            case Mode.Element:
                return InElement(ref reader);

            default:
                return true;
        }
    }

    private bool BundleValue(ref Utf8JsonReader reader, JsonReaderState before, int beforeIndex, int start)
    {
        _mode = Mode.Bundle;
        var type = reader.TokenType;
        if (_placeholder && type == JsonTokenType.Null)
        {
            _placeholder = false;
            return true;
        }

        var container = type is JsonTokenType.StartObject or JsonTokenType.StartArray;
        if (_property == "objects")
        {
            if (type == JsonTokenType.StartArray)
            {
                _mode = Mode.Objects;
                _arrayDepth = reader.CurrentDepth;
                return true;
            }

            Problem($"objects (line {LineAt(start)})", $"expected an array of STIX objects, found {Kind(type)}");
        }
        else if (type == JsonTokenType.String && _property is "type" or "spec_version")
        {
            var value = Text(ref reader) ?? "";
            if (_property == "spec_version")
            {
                SpecVersion = value;
            }
            else if (value != "bundle")
            {
                Problem($"type (line {LineAt(start)})", $"expected \"bundle\", found {StixObjectReader.Quote(value)}");
            }
        }

        return !container || BeginSkip(start, Separators(beforeIndex, start), LineAt(beforeIndex), before, Mode.BundleValue, null, null, $"the bundle's \"{_property}\" value");
    }

    private bool Element(ref Utf8JsonReader reader, JsonReaderState before, int beforeIndex, int start)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                _mode = _arrayDepth == 0 ? Mode.End : Mode.Bundle;
                return true;
            case JsonTokenType.StartObject:
                _elementStart = start;
                _elementState = before;
                _elementDepth = reader.CurrentDepth;
                _elementBeforeLine = LineAt(beforeIndex);
                _elementLine = LineAt(start);
                _elementPrefix = Separators(beforeIndex, start);
                _mode = Mode.Element;
                return true;
            case JsonTokenType.Null when _placeholder:
                _placeholder = false;
                Objects++;
                return true;
            case JsonTokenType.StartArray:
                return BeginSkip(start, Separators(beforeIndex, start), LineAt(beforeIndex), before, Mode.Objects, ElementWhere(LineAt(start)), "expected a STIX object, found an array", "this array");
            default:
                Problem(ElementWhere(LineAt(start)), $"expected a STIX object, found {Kind(reader.TokenType)}");
                Objects++;
                return true;
        }
    }

    private bool InElement(ref Utf8JsonReader reader)
    {
        var type = reader.TokenType;
        if (type is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth - _elementDepth + 1 > _maxDepth)
        {
            return SkipElement($"nested deeper than {_maxDepth} levels of arrays and objects; skipped");
        }

        var end = _pos + (int)reader.BytesConsumed;
        if (end - _elementStart > _maxObject)
        {
            return SkipElement(TooLarge);
        }

        if (type == JsonTokenType.EndObject && reader.CurrentDepth == _elementDepth)
        {
            _mode = Mode.Objects;
            _element(_buffer.AsMemory(_elementStart, end - _elementStart), Objects, _elementLine);
            Objects++;
        }

        return true;
    }

    private string TooLarge => string.Create(CultureInfo.InvariantCulture, $"larger than {_maxObject} bytes, the most one object may take; skipped");

    private bool SkipElement(string message) =>
        BeginSkip(_elementStart, _elementPrefix, _elementBeforeLine, _elementState, Mode.Objects, ElementWhere(_elementLine), message, "this object");

    /// <summary>The reader failed: step over the broken element, or stop when the bundle itself is broken.</summary>
    private Step Broken(JsonException ex, JsonReaderState before, int beforeIndex)
    {
        var reason = ReaderMessage(ex);
        if (_mode == Mode.Element)
        {
            SkipElement($"not valid JSON: {reason}; skipped");
            return Step.Continue;
        }

        if (_mode == Mode.Start && _eof && _buffer.AsSpan(_pos, _length - _pos).Trim(" \t\r\n"u8).IsEmpty)
        {
            Problem("", "the file is empty: expected a STIX bundle");
        }
        else if (_eof && IsTruncation(before, beforeIndex))
        {
            Problem(Located(_length), $"the file ends before the bundle is closed: truncated at byte {OffsetAt(_length)}; the {Objects} objects before it were read");
        }
        else
        {
            var at = beforeIndex;
            while (at < _length - 1 && _buffer[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                at++;
            }

            Problem(Located(at), $"not valid JSON: {reason}; reading stopped here, the {Objects} objects before it were read");
        }

        Complete = false;
        Stop();
        return Step.Done;
    }

    /// <summary>True when the bytes after the last good token are only an unfinished value, not an error.</summary>
    private bool IsTruncation(JsonReaderState before, int beforeIndex)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(beforeIndex, _length - beforeIndex), isFinalBlock: false, before);
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Starts stepping over the value at <paramref name="start"/> with the byte scanner.</summary>
    /// <param name="prefix">The separators (',' or ':') between the reader's position before the value and the value.</param>
    /// <param name="resumeLine">The line of the reader's position before the value, with <paramref name="state"/>.</param>
    /// <param name="where">Location for the problem; null skips silently.</param>
    /// <param name="what">What ends unfinished if the file ends inside the value ("this object").</param>
    private bool BeginSkip(int start, byte[] prefix, long resumeLine, JsonReaderState state, Mode resumeMode, string? where, string? message, string what)
    {
        _scanLine = resumeLine;
        _scanPrefix = prefix;
        _scanState = state;
        _scanResume = resumeMode;
        _scanWhere = where;
        _scanMessage = message;
        _scanEnd = what;
        _scanPos = start;
        _scanStarted = false;
        _scanDepth = 0;
        _scanInString = false;
        _scanEscape = false;
        _scanScalar = false;
        _mode = Mode.RawSkip;
        return false;
    }

    /// <summary>Scans to the end of the value being skipped: brackets counted outside strings, escapes honoured.</summary>
    private Step Scan()
    {
        var span = _buffer.AsSpan(0, _length);
        for (; _scanPos < span.Length; _scanPos++)
        {
            var b = span[_scanPos];
            if (!_scanStarted)
            {
                _scanStarted = true;
                switch (b)
                {
                    case (byte)'{' or (byte)'[':
                        _scanDepth = 1;
                        break;
                    case (byte)'"':
                        _scanInString = true;
                        break;
                    default:
                        _scanScalar = true;
                        break;
                }

                continue;
            }

            if (_scanScalar)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)']' or (byte)'}' or (byte)':')
                {
                    return Splice(_scanPos);
                }

                continue;
            }

            if (_scanInString)
            {
                if (_scanEscape)
                {
                    _scanEscape = false;
                }
                else if (b == (byte)'\\')
                {
                    _scanEscape = true;
                }
                else if (b == (byte)'"')
                {
                    _scanInString = false;
                    if (_scanDepth == 0)
                    {
                        return Splice(_scanPos + 1);
                    }
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    _scanInString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _scanDepth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--_scanDepth == 0)
                    {
                        return Splice(_scanPos + 1);
                    }

                    break;
            }
        }

        if (!_eof)
        {
            return Step.NeedData;
        }

        if (_scanScalar)
        {
            return Splice(_length);
        }

        var where = _scanWhere ?? Located(_length);
        Problem(where, $"the file ends inside {_scanEnd}: truncated at byte {OffsetAt(_length)}; the {Objects} objects before it were read");
        Complete = false;
        Stop();
        return Step.Done;
    }

    /// <summary>Replaces the scanned value (up to <paramref name="end"/>) by <c>null</c> and hands back to the reader.</summary>
    private Step Splice(int end)
    {
        if (_scanMessage is not null && _scanWhere is not null)
        {
            Problem(_scanWhere, _scanMessage);
        }

        var head = new byte[_scanPrefix.Length + Null.Length];
        _scanPrefix.CopyTo(head, 0);
        Null.CopyTo(head, _scanPrefix.Length);
        Replace(end, head, _scanLine);
        _state = _scanState;
        _mode = _scanResume;
        _placeholder = true;
        return Step.Continue;
    }

    /// <summary>Makes the buffer <paramref name="head"/> followed by the bytes from <paramref name="end"/>; the reader resumes at its start.</summary>
    private void Replace(int end, byte[] head, long lineAtResume)
    {
        var lineAtEnd = LineAt(end);
        _lineDrift += lineAtEnd - lineAtResume;
        var endOffset = _bufferStart + end;
        var tail = _length - end;
        if (head.Length + tail > _buffer.Length)
        {
            var bigger = new byte[head.Length + tail + 256];
            _buffer.AsSpan(end, tail).CopyTo(bigger.AsSpan(head.Length));
            _buffer = bigger;
        }
        else
        {
            _buffer.AsSpan(end, tail).CopyTo(_buffer.AsSpan(head.Length));
        }

        head.CopyTo(_buffer, 0);
        _length = head.Length + tail;
        _bufferStart = endOffset - head.Length;
        _synthetic = head.Length;
        _pos = 0;
        _lineCursor = head.Length;
        _line = lineAtEnd;
    }

    /// <summary>Makes room before reading more; false when it changed course instead (skip began, reading stopped).</summary>
    private bool PrepareFill()
    {
        if (_mode == Mode.Element && _length - _elementStart > _maxObject)
        {
            SkipElement(TooLarge);
            return false;
        }

        if (_mode is not (Mode.Element or Mode.RawSkip) && _length - _pos > _maxObject)
        {
            Stuck();
            return false;
        }

        var keep = _mode switch
        {
            Mode.Element => _elementStart,
            Mode.RawSkip => _scanPos,
            _ => _pos,
        };
        Compact(keep);
        if (_length == _buffer.Length)
        {
            var size = Math.Min(_buffer.Length * 2L, _bufferLimit);
            if (size <= _buffer.Length)
            {
                // Cannot happen with the limits above; stop rather than loop.
                Problem(Located(_pos), "internal limit reached while reading; reading stopped");
                Complete = false;
                Stop();
                return false;
            }

            Array.Resize(ref _buffer, (int)size);
        }

        return true;
    }

    /// <summary>More than the size limit is waiting for one token outside any object: whitespace is dropped, a huge value skipped.</summary>
    private void Stuck()
    {
        var i = _pos;
        while (i < _length && _buffer[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)':')
        {
            i++;
        }

        if (i == _length)
        {
            Replace(_length, Separators(_pos, _length), LineAt(_pos));
            return;
        }

        var first = _buffer[i];
        var scalar = first == (byte)'"' || first == (byte)'-' || char.IsAsciiDigit((char)first);
        if (scalar && _mode == Mode.Objects)
        {
            BeginSkip(i, Separators(_pos, i), LineAt(_pos), _state, Mode.Objects, ElementWhere(LineAt(i)), $"expected a STIX object, found a value longer than {_maxObject} bytes; skipped", "this value");
            return;
        }

        if (scalar && _mode == Mode.BundleValue)
        {
            var objects = _property == "objects";
            BeginSkip(
                i,
                Separators(_pos, i),
                LineAt(_pos),
                _state,
                Mode.BundleValue,
                objects ? $"objects (line {LineAt(i)})" : null,
                objects ? $"expected an array of STIX objects, found a value longer than {_maxObject} bytes" : null,
                $"the bundle's \"{_property}\" value");
            return;
        }

        Problem(Located(i), $"a single JSON token longer than {_maxObject} bytes; reading stopped, the {Objects} objects before it were read");
        Complete = false;
        Stop();
    }

    private void Compact(int keep)
    {
        if (keep == 0)
        {
            return;
        }

        LineAt(keep);
        _buffer.AsSpan(keep, _length - keep).CopyTo(_buffer);
        _length -= keep;
        _pos -= keep;
        _lineCursor -= keep;
        _bufferStart += keep;
        _synthetic = Math.Max(0, _synthetic - keep);
        _elementStart -= keep;
        _scanPos -= keep;
    }

    /// <summary>The bytes other than whitespace between two buffer indexes: the ',' or ':' a replacement must keep.</summary>
    private byte[] Separators(int from, int to)
    {
        var span = _buffer.AsSpan(from, to - from);
        var count = span.Length - span.Count((byte)' ') - span.Count((byte)'\t') - span.Count((byte)'\r') - span.Count((byte)'\n');
        if (count == 0)
        {
            return [];
        }

        var separators = new byte[count];
        var n = 0;
        foreach (var b in span)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                separators[n++] = b;
            }
        }

        return separators;
    }

    /// <summary>The 1-based line of buffer index <paramref name="index"/>, counting newlines as the cursor moves.</summary>
    private long LineAt(int index)
    {
        if (index >= _lineCursor)
        {
            _line += _buffer.AsSpan(_lineCursor, index - _lineCursor).Count((byte)'\n');
            _lineCursor = index;
            return _line;
        }

        return _line - _buffer.AsSpan(index, _lineCursor - index).Count((byte)'\n');
    }

    private long OffsetAt(int index) => _bufferStart + Math.Max(index, _synthetic);

    private string Located(int index) => string.Create(CultureInfo.InvariantCulture, $"line {LineAt(index)}, byte {OffsetAt(index)}");

    private string ElementWhere(long line) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(_arrayName.Length == 0 ? "" : _arrayName)}[{Objects}] (object at line {line})");

    private string ReaderMessage(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut].TrimEnd();
        }

        return ex.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (line {line + 1 + _lineDrift}, byte {ex.BytePositionInLine + 1} of the line)")
            : message;
    }

    private static string Kind(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void Problem(string where, string message) => _context.Problem(where, message);

    private bool Stop()
    {
        _mode = Mode.Stopped;
        return false;
    }
}
