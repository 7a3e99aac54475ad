using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Matches the files of the scanned tree against an intel set: SHA-256 (and MD5/SHA-1 when the scanner computed
/// them), the path (a file-path indicator matches wherever the tree was collected from: the path is compared from
/// each folder down, as if that folder were <c>C:\</c>, and under a web root by its site path), and the file name.
/// </summary>
public sealed class IntelFileDetector : IFileDetector
{
    private readonly IntelSet _intel;
    private readonly bool _hashes;
    private readonly bool _paths;

    public IntelFileDetector(IntelSet intel)
    {
        _intel = intel;
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
        var index = _intel.Index;
        foreach (var (digest, field) in (ReadOnlySpan<(string?, string)>)[(file.Sha256, "file sha256"), (file.Md5, "file md5"), (file.Sha1, "file sha1")])
        {
            if (digest is not null)
            {
                foreach (var id in index.MatchHash(digest))
                {
                    hits.Add(new IntelHit(id, field, digest));
                }
            }
        }

        if (_paths)
        {
            MatchPath(file.Path, hits);
        }

        foreach (var group in hits
            .DistinctBy(h => h.EntryId)
            .Where(h => _intel.Applies(h.EntryId, file.LastWriteTime))
            .GroupBy(h => index.GetEntry(h.EntryId).Value, StringComparer.Ordinal))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = file.Path };
            if (file.Sha256 is not null)
            {
                fields["sha256"] = file.Sha256;
            }

            IntelEvidence.Describe(fields, [.. group], _intel, file.LastWriteTime);
            findings.Add(IntelDetections.IndicatorMatch, group.Key, new Evidence(file.Path, 0, file.LastWriteTime, fields));
        }
    }

    private void MatchPath(string path, List<IntelHit> hits)
    {
        var index = _intel.Index;
        foreach (var id in index.MatchFileName(path))
        {
            hits.Add(new IntelHit(id, "file name", path));
        }

        if (index.CountOf(IocKind.FilePath) == 0)
        {
            return;
        }

        if (WebPath.TryParse(path, out var web))
        {
            foreach (var id in _intel.MatchWebPath("/" + web.Relative))
            {
                hits.Add(new IntelHit(id, "file path", path));
            }
        }

        // From each folder down: "host1/C/Program Files/…/x.aspx" hits "C:\Program Files\…\x.aspx".
        for (var start = 0; start < path.Length;)
        {
            foreach (var id in index.MatchFilePath(string.Concat("C:/", path.AsSpan(start))))
            {
                hits.Add(new IntelHit(id, "file path", path));
            }

            var slash = path.IndexOf('/', start);
            if (slash < 0)
            {
                break;
            }

            start = slash + 1;
        }
    }
}
