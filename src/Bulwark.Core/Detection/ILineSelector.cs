using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Detection;

/// <summary>
/// Selects lines by their fields' raw bytes, for detectors that must see lines no literal can pick (every line
/// whose client address or user agent is in an intel set). Asked again whenever a file's columns change.
/// </summary>
public interface ILineSelector
{
    /// <summary>A probe for lines of <paramref name="schema"/>, or null when none of its columns matter.</summary>
    LineScanner.LineProbe? ForSchema(LogSchema schema, LogFormat format);
}
