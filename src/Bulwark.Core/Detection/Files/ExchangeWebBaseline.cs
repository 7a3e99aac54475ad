using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;

namespace Bulwark.Core.Detection.Files;

/// <summary>
/// Known-good SHA-256 of the web files of the Exchange builds a server runs, read at run time from a
/// <c>path,sha256,builds</c> CSV (the format of microsoft/CSS-Exchange's baselines as published in
/// <c>exchange-baselines/web-files.csv</c>; the data is not shipped with Bulwark). A covered file under
/// <c>FrontEnd/HttpProxy</c> or <c>ClientAccess</c> that none of the builds lists, or lists with another hash,
/// is a web-shell candidate.
/// </summary>
public sealed class ExchangeWebBaseline
{
    /// <summary>Extensions the baselines cover; every other file (notably <c>.js</c>, <c>.css</c>) is not judged.</summary>
    public static readonly IReadOnlyList<string> CoveredExtensions =
        [".aspx", ".ashx", ".asmx", ".asax", ".svc", ".config", ".htm", ".html", ".axd"];

    private const string Header = "path,sha256,builds";
    private const string VersionFolder = "version";
    private const string FrontEndPrefix = "frontend/httpproxy/";
    private const string ClientAccessPrefix = "clientaccess/";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly BuildBaseline[] _builds;

    private ExchangeWebBaseline(string source, BuildBaseline[] builds, IReadOnlyList<string> unknownBuilds)
    {
        Source = source;
        _builds = builds;
        UnknownBuilds = unknownBuilds;
    }

    /// <summary>The file the baselines came from.</summary>
    public string Source { get; }

    /// <summary>The requested builds the file has a baseline for (four-part, normalised, e.g. <c>15.1.2106.2</c>).</summary>
    public IReadOnlyList<string> Builds => [.. _builds.Select(b => b.Build)];

    /// <summary>Requested builds the file has no baseline for; they are not judged.</summary>
    public IReadOnlyList<string> UnknownBuilds { get; }

    /// <summary>Requested builds whose baseline has no front-end rows, so <c>FrontEnd/HttpProxy</c> files cannot be judged against them.</summary>
    public IReadOnlyList<string> BuildsWithoutFrontEnd => [.. _builds.Where(b => !b.HasFrontEnd).Select(b => b.Build)];

    /// <exception cref="InvalidDataException">The file is malformed (the message names the line) or has none of the builds.</exception>
    /// <exception cref="ArgumentException">A build is not a version number.</exception>
    public static ExchangeWebBaseline Load(string csvPath, IEnumerable<string> builds)
    {
        using var reader = new StreamReader(csvPath);
        return Parse(reader, csvPath, builds);
    }

    /// <inheritdoc cref="Load(string, IEnumerable{string})"/>
    public static ExchangeWebBaseline Parse(TextReader csv, string source, IEnumerable<string> builds)
    {
        var wanted = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var build in builds)
        {
            wanted.TryAdd(NormalizeBuild(build), new Dictionary<string, string>(StringComparer.Ordinal));
        }

        if (wanted.Count == 0)
        {
            throw new ArgumentException("at least one Exchange build is needed to compare web files with a baseline", nameof(builds));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = csv.ReadLine();
        if (first is null || !first.TrimEnd('\r').Equals(Header, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{source}:1: expected the header '{Header}'");
        }

        var lineNumber = 1;
        while (csv.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.TrimEnd('\r').Split(',');
            if (fields.Length != 3)
            {
                throw new InvalidDataException($"{source}:{lineNumber}: expected 3 fields (path,sha256,builds), found {fields.Length}");
            }

            var (path, hash, buildList) = (fields[0], fields[1], fields[2]);
            if (!path.StartsWith('\\') || !TryKey(path.Replace('\\', '/').TrimStart('/'), out var key))
            {
                throw new InvalidDataException($"{source}:{lineNumber}: path '{path}' is not under \\FrontEnd\\HttpProxy\\ or \\ClientAccess\\");
            }

            if (hash.Length != 64 || hash.AsSpan().ContainsAnyExcept(HexDigits))
            {
                throw new InvalidDataException($"{source}:{lineNumber}: '{hash}' is not a SHA-256");
            }

            foreach (var build in buildList.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Version.TryParse(build, out _))
                {
                    throw new InvalidDataException($"{source}:{lineNumber}: '{build}' is not a build number");
                }

                var normalized = NormalizeBuild(build);
                seen.Add(normalized);
                if (wanted.TryGetValue(normalized, out var files))
                {
                    files[key] = hash.ToLowerInvariant();
                }
            }
        }

        var known = wanted.Where(w => seen.Contains(w.Key))
            .Select(w => new BuildBaseline(
                w.Key,
                w.Value.ToFrozenDictionary(StringComparer.Ordinal),
                w.Value.Keys.Any(k => k.StartsWith(FrontEndPrefix, StringComparison.Ordinal)),
                w.Value.Keys.Any(k => k.StartsWith(ClientAccessPrefix, StringComparison.Ordinal))))
            .ToArray();
        var unknown = wanted.Keys.Where(b => !seen.Contains(b)).ToArray();
        if (known.Length == 0)
        {
            throw new InvalidDataException($"{source}: no baseline for build {string.Join(", ", unknown)}; the file covers {seen.Count} other builds");
        }

        return new ExchangeWebBaseline(source, known, unknown);
    }

    /// <summary>Whether a file's extension is one the baselines cover.</summary>
    internal static bool CoversExtension(ReadOnlySpan<char> extension)
    {
        foreach (var covered in CoveredExtensions)
        {
            if (extension.Equals(covered, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Judges a file by its hash against the baselines of every build that has rows for its root.</summary>
    internal BaselineVerdict Check(WebPath path, string? sha256)
    {
        if (!path.IsExchange || sha256 is null || !CoversExtension(FilePaths.Extension(path.Relative)))
        {
            return BaselineVerdict.NoFinding;
        }

        var key = Key(path);
        var frontEnd = path.Root == WebRoot.ExchangeFrontEnd;
        string? expected = null;
        var judgedBy = new List<string>();
        foreach (var b in _builds)
        {
            if (!(frontEnd ? b.HasFrontEnd : b.HasClientAccess))
            {
                continue;
            }

            judgedBy.Add(b.Build);
            if (b.Files.TryGetValue(key, out var hash))
            {
                if (hash.Equals(sha256, StringComparison.OrdinalIgnoreCase))
                {
                    return BaselineVerdict.NoFinding;
                }

                expected ??= hash;
            }
        }

        if (judgedBy.Count == 0)
        {
            return BaselineVerdict.NoFinding;
        }

        return expected is null
            ? new BaselineVerdict(BaselineOutcome.Absent, judgedBy, null)
            : new BaselineVerdict(BaselineOutcome.HashDiffers, judgedBy, expected);
    }

    private static string NormalizeBuild(string build)
    {
        if (!Version.TryParse(build.Trim(), out var version))
        {
            throw new ArgumentException($"'{build}' is not an Exchange build number such as 15.1.2106.2", nameof(build));
        }

        return version.ToString();
    }

    private static bool TryKey(string relativeToInstall, out string key)
    {
        if (!WebPath.TryParse(relativeToInstall, out var web) || !web.IsExchange)
        {
            key = "";
            return false;
        }

        key = Key(web);
        return true;
    }

    /// <summary>Root prefix + lower-case relative path with build-numbered folders written <c>version</c>, as upstream does.</summary>
    private static string Key(WebPath web)
    {
        var segments = web.Relative.ToLowerInvariant().Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (FilePaths.IsVersionSegment(segments[i]))
            {
                segments[i] = VersionFolder;
            }
        }

        var prefix = web.Root == WebRoot.ExchangeFrontEnd ? FrontEndPrefix : ClientAccessPrefix;
        return prefix + string.Join('/', segments);
    }

    private sealed record BuildBaseline(string Build, FrozenDictionary<string, string> Files, bool HasFrontEnd, bool HasClientAccess);
}

internal enum BaselineOutcome
{
    Genuine = 0,
    Absent = 1,
    HashDiffers = 2,
}

/// <summary>How a file compares with the baselines; <see cref="NoFinding"/> when it matches or cannot be judged.</summary>
internal sealed record BaselineVerdict(BaselineOutcome Outcome, IReadOnlyList<string> Builds, string? ExpectedSha256)
{
    public static readonly BaselineVerdict NoFinding = new(BaselineOutcome.Genuine, [], null);

    public bool IsSuspicious => Outcome != BaselineOutcome.Genuine;

    public string Describe() => Outcome switch
    {
        BaselineOutcome.Absent => string.Create(CultureInfo.InvariantCulture, $"absent from the baseline of {string.Join(", ", Builds)}"),
        BaselineOutcome.HashDiffers => string.Create(CultureInfo.InvariantCulture, $"hash differs from the baseline of {string.Join(", ", Builds)} (expected {ExpectedSha256})"),
        _ => "matches the baseline",
    };
}
