using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection;

/// <summary>What a file detector needs of a file, decided from its path alone.</summary>
public enum FileInterest
{
    None = 0,
    PathOnly = 1,
    Content = 2,
}

/// <summary>A detection over the files of the input tree (web shells, dumps, staged archives).</summary>
public interface IFileDetector
{
    /// <param name="path">Path relative to the scanned root, '/' separators, as in evidence.</param>
    FileInterest Interest(string path);

    /// <summary>
    /// True for detectors interested in any file whatever its path (intel hash matching): a file only they want is
    /// first checked for being a log, and read as one if it is.
    /// </summary>
    bool WantsEveryFile => false;

    void Inspect(FileFacts file, FindingCollector findings);
}
