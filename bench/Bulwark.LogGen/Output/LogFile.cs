using System.Text;

namespace Bulwark.LogGen.Output;

/// <summary>
/// One log file being written: buffered, CRLF line ends as on Windows, UTF-8 without BOM (every line is
/// ASCII, so bytes equal characters). Counts its lines so planted lines can be located afterwards.
/// </summary>
public sealed class LogFile : IDisposable
{
    private const int BufferSize = 1 << 16;
    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter _writer;
    private readonly ByteCounter _counter;

    public LogFile(string fullPath, string relativePath, ByteCounter counter)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var stream = new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferSize);
        _writer = new StreamWriter(stream, Utf8NoBom, BufferSize);
        _counter = counter;
        RelativePath = relativePath;
    }

    /// <summary>Path under the output root, '/' separated.</summary>
    public string RelativePath { get; }

    public long Bytes { get; private set; }

    public int Lines { get; private set; }

    /// <summary>Writes one line and returns its 1-based line number.</summary>
    public int WriteLine(ReadOnlySpan<char> line)
    {
        _writer.Write(line);
        _writer.Write("\r\n");
        Bytes += line.Length + 2;
        _counter.Add(line.Length + 2);
        return ++Lines;
    }

    public int WriteLine(LineBuffer line) => WriteLine(line.Span);

    public void Dispose() => _writer.Dispose();
}
