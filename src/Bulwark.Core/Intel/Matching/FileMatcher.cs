using Bulwark.Core.Detection.Files;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Looks up one file in an intel set — its digests, its name and its path (from each folder down as if that folder
/// were <c>C:\</c>, and under a web root by its site path) — for the scan's file detector and for the retro-hunt over
/// kept file evidence alike.
/// </summary>
internal sealed class FileMatcher(IntelSet intel)
{
    private readonly bool _paths = intel.Index.CountOf(IocKind.FilePath) + intel.Index.CountOf(IocKind.FileName) > 0;

    /// <param name="path">Relative path with '/' separators.</param>
    public void Match(string path, string? sha256, string? md5, string? sha1, List<IntelHit> hits)
    {
        var index = intel.Index;
        foreach (var (digest, field) in (ReadOnlySpan<(string?, string)>)[(sha256, "file sha256"), (md5, "file md5"), (sha1, "file sha1")])
        {
            if (digest is { Length: > 0 })
            {
                Add(index.MatchHash(digest), field, digest, hits);
            }
        }

        if (!_paths || path.Length == 0)
        {
            return;
        }

        Add(index.MatchFileName(path), "file name", path, hits);
        if (index.CountOf(IocKind.FilePath) == 0)
        {
            return;
        }

        if (WebPath.TryParse(path, out var web))
        {
            foreach (var id in intel.MatchWebPath("/" + web.Relative))
            {
                hits.Add(new IntelHit(id, "file path", path));
            }
        }

        // From each folder down: "host1/C/Program Files/…/x.aspx" hits "C:\Program Files\…\x.aspx".
        for (var start = 0; start < path.Length;)
        {
            Add(index.MatchFilePath(string.Concat("C:/", path.AsSpan(start))), "file path", path, hits);
            var slash = path.IndexOf('/', start);
            if (slash < 0)
            {
                break;
            }

            start = slash + 1;
        }
    }

    private static void Add(IocMatches matches, string field, string value, List<IntelHit> hits)
    {
        foreach (var id in matches)
        {
            hits.Add(new IntelHit(id, field, value));
        }
    }
}
