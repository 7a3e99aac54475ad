using Bulwark.Core.Findings;

namespace Bulwark.Core.Detection;

/// <summary>
/// A detector that decides some findings only once it has seen every event of a scan (a pattern over several
/// events). The scanner calls <see cref="Complete"/> once per scan, after the last event, with the scan's collector.
/// </summary>
public interface ICompletingDetector
{
    void Complete(FindingCollector findings);
}
