using Bulwark.Core.Detection;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Matches the files of the scanned tree against an intel set: SHA-256 (and MD5/SHA-1 when the scanner computed
/// them), the path (a file-path indicator matches wherever the tree was collected from: the path is compared from
/// each folder down, as if that folder were <c>C:\</c>, and under a web root by its site path), and the file name. An
/// indicator whose pattern is more than its values is confirmed on the file by <paramref name="confirmer"/> first
/// (without one it never matches).
/// </summary>
public sealed class IntelFileDetector : IFileDetector
{
    private readonly IntelSet _intel;
    private readonly FileMatcher _matcher;
    private readonly bool _hashes;
    private readonly bool _paths;
    private readonly PatternConfirmer? _confirmer;

    public IntelFileDetector(IntelSet intel, PatternConfirmer? confirmer = null)
    {
        _intel = intel;
        _confirmer = confirmer;
        _matcher = new FileMatcher(intel);
        var index = intel.Index;
        _hashes = index.CountOf(IocKind.Md5) + index.CountOf(IocKind.Sha1) + index.CountOf(IocKind.Sha256) > 0;
        _paths = index.CountOf(IocKind.FilePath) + index.CountOf(IocKind.FileName) > 0;
    }

    /// <summary>True when MD5 and SHA-1 indicators exist, so the scanner should compute those digests too.</summary>
    public bool WantsLegacyHashes => _intel.Index.CountOf(IocKind.Md5) + _intel.Index.CountOf(IocKind.Sha1) > 0;

    public bool WantsEveryFile => true;

    public FileInterest Interest(string path) => _hashes ? FileInterest.Content : _paths ? FileInterest.PathOnly : FileInterest.None;

    public void Inspect(FileFacts file, FindingCollector findings)
    {
        var hits = new List<IntelHit>();
        _matcher.Match(file.Path, file.Sha256, file.Md5, file.Sha1, hits);
        var applicable = hits.DistinctBy(h => h.EntryId).Where(h => _intel.Applies(h.EntryId, file.LastWriteTime) && Confirmed(h, file));
        IntelEvidence.Report(applicable, _intel, file.LastWriteTime, findings, _ =>
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = file.Path };
            if (file.Sha256 is not null)
            {
                fields["sha256"] = file.Sha256;
            }

            return new Evidence(file.Path, 0, file.LastWriteTime, fields);
        });
    }

    private bool Confirmed(IntelHit hit, FileFacts file) =>
        _intel.IndicatorOf(hit.EntryId) is not { Complex: true } indicator || (_confirmer is not null && _confirmer.Confirm(indicator, file));
}
