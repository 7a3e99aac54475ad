using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Detection;

/// <summary>
/// Selects lines by their fields' raw bytes, for detectors that must see lines no literal can pick (every line
/// whose client address or user agent is in an intel set). Asked again whenever a file's columns change.
/// </summary>
public interface ILineSelector
{
    /// <summary>The columns to read and the test over them for lines of <paramref name="schema"/>, or null when none of its columns matter.</summary>
    ColumnProbe? ForSchema(LogSchema schema, LogFormat format);
}

/// <summary>
/// A line test over some of its columns. The scanner splits each line once for every probe of its file
/// (<see cref="FieldSplitter"/>) and passes the ranges of <see cref="Columns"/>, in that order.
/// </summary>
/// <param name="Columns">0-based column positions, ascending.</param>
/// <param name="Test">True when the line is wanted; gets the line and one range per column (empty when absent).</param>
public sealed record ColumnProbe(int[] Columns, ColumnProbe.LineTest Test)
{
    public delegate bool LineTest(ReadOnlySpan<byte> line, ReadOnlySpan<Range> fields);
}
