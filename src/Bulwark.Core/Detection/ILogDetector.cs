using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection;

/// <summary>A detection over parsed log lines.</summary>
public interface ILogDetector
{
    /// <summary>The log formats this detector reads.</summary>
    IReadOnlyCollection<LogKind> Kinds { get; }

    /// <summary>
    /// Literals (compared case-insensitively) of which every line this detector can fire on contains at
    /// least one. The scanner parses only lines holding a literal of some detector of the file's kind.
    /// </summary>
    IReadOnlyCollection<string> Prefilter { get; }

    /// <summary>
    /// Client addresses that select a line whatever else it holds; matched on the format's client-address
    /// column (<see cref="Sources.Text.ClientAddressProbe"/>) rather than by literal search.
    /// </summary>
    IReadOnlyCollection<string> ClientAddresses => [];

    /// <summary>Selects lines by their fields, in addition to <see cref="Prefilter"/> and <see cref="ClientAddresses"/>.</summary>
    ILineSelector? Selector => null;

    /// <summary>Every detection this detector can report (for documentation and listings).</summary>
    IReadOnlyList<Findings.Detection> Detections { get; }

    void Inspect(LogEvent e, FindingCollector findings);
}
