using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Bulwark.Core.Reporting;

/// <summary>
/// <see cref="Utf8JsonWriter"/> writes UTF-8 bytes but reports go to a <see cref="TextWriter"/>: the JSON is
/// written into a small buffer and handed over after every finding, so the buffer holds one finding at most.
/// </summary>
internal sealed class JsonTextSink : IDisposable
{
    // Keeps letters of every script readable, while still escaping control characters and the characters
    // that mean something in HTML (< > & ' " +), so log text cannot become markup if the JSON is pasted
    // into a web page.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly TextWriter _output;
    private char[] _chars = new char[16 * 1024];

    public JsonTextSink(TextWriter output, bool indented)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = Encoder,
            Indented = indented,
            NewLine = "\n",
        });
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>Moves everything written so far to the output.</summary>
    public void Drain()
    {
        Json.Flush();
        var bytes = _buffer.WrittenSpan;
        if (bytes.IsEmpty)
        {
            return;
        }

        // Drained at value boundaries only, so the bytes never end inside a UTF-8 sequence.
        var max = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < max)
        {
            _chars = new char[Math.Max(max, _chars.Length * 2)];
        }

        var count = Encoding.UTF8.GetChars(bytes, _chars);
        _output.Write(_chars, 0, count);
        _buffer.ResetWrittenCount();
    }

    public void Dispose() => Json.Dispose();
}
