using System.Net;
using System.Text;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// A MISP feed (intel.md §3.3): <c>manifest.json</c>, one <c>&lt;event uuid&gt;.json</c> per event and
/// <c>hashes.csv</c>, in a folder or under a base URL. Both are read by the same code through one opener
/// (name → stream), so the sync logic is tested once. A sync reads the manifest, fetches only events new or
/// changed since the caller's checkpoint, and returns the next checkpoint; a listed event whose file is missing
/// is a problem and the others are still read.
/// </summary>
public sealed class MispFeed
{
    public const string ManifestFile = "manifest.json";
    public const string HashesFile = "hashes.csv";

    private readonly Func<string, CancellationToken, Task<Stream>> _open;

    /// <param name="location">Folder or base URL, for messages.</param>
    /// <param name="open">Opens a file of the feed by name; throws <see cref="FileNotFoundException"/> when it does not exist.</param>
    public MispFeed(string location, Func<string, CancellationToken, Task<Stream>> open)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(open);
        Location = location;
        _open = open;
    }

    public string Location { get; }

    public static MispFeed FromDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.GetFullPath(directory);
        return new MispFeed(full, (name, _) => Task.FromResult<Stream>(File.OpenRead(Path.Combine(full, name))));
    }

    /// <summary>A feed served over HTTP(S), e.g. <c>https://www.circl.lu/doc/misp/feed-osint/</c>.</summary>
    public static MispFeed FromUrl(HttpClient http, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new MispFeed(root.AbsoluteUri, async (name, cancellationToken) =>
        {
            var url = new Uri(root, name);
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new FileNotFoundException($"{url} answered 404 Not Found", url.AbsoluteUri);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }

            var body = new MemoryStream();
            await response.Content.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            body.Position = 0;
            return body;
        });
    }

    /// <summary>Where a file of the feed is, for messages.</summary>
    public string PathOf(string name) =>
        Location.Contains("://", StringComparison.Ordinal) ? Location.TrimEnd('/') + "/" + name : Path.Combine(Location, name);

    /// <summary>Parses a manifest; problems go to <paramref name="catalog"/> too when given.</summary>
    public static MispManifest ReadManifest(Stream json, string file, IntelCatalog? catalog = null) =>
        MispManifestParser.Parse(MispJson.ReadAll(json), file, catalog ?? new IntelCatalog());

    public async Task<MispManifest> ReadManifestAsync(IntelCatalog? catalog = null, CancellationToken cancellationToken = default)
    {
        var file = PathOf(ManifestFile);
        catalog ??= new IntelCatalog();
        var (utf8, problem) = await FetchAsync(ManifestFile, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            var problems = new MispProblems(file, catalog);
            problems.Add("", $"{problem}; no event was read");
            return new MispManifest(new Dictionary<string, MispManifestEntry>(), problems.All);
        }

        return MispManifestParser.Parse(utf8!, file, catalog);
    }

    /// <summary>Reads hashes.csv; a feed without one gives an empty set and a problem.</summary>
    public async Task<MispFeedHashes> ReadHashesAsync(IntelCatalog? catalog = null, CancellationToken cancellationToken = default)
    {
        var file = PathOf(HashesFile);
        var (utf8, problem) = await FetchAsync(HashesFile, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            var problems = new MispProblems(file, catalog ?? new IntelCatalog());
            problems.Add("", problem);
            return MispFeedHashes.Unavailable(problems.All);
        }

        using var reader = new StringReader(Encoding.UTF8.GetString(utf8!));
        return MispFeedHashes.Read(reader, file, catalog);
    }

    /// <summary>
    /// Reads the manifest and every event new or changed since <paramref name="checkpoint"/> (event uuid → the
    /// manifest timestamp read last time; null or empty reads everything) into <paramref name="catalog"/>.
    /// </summary>
    public async Task<MispFeedSync> SyncAsync(IntelCatalog catalog, IntelSource source, IReadOnlyDictionary<string, long>? checkpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(source);
        checkpoint ??= new Dictionary<string, long>();
        var manifest = await ReadManifestAsync(catalog, cancellationToken).ConfigureAwait(false);
        var result = new MispReadResult { Problems = manifest.Problems };
        var next = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var changed = new List<string>();
        var failed = new List<string>();
        var reader = new MispEventReader(catalog, source);
        foreach (var entry in manifest.Events.Values.OrderBy(e => e.Uuid, StringComparer.Ordinal))
        {
            if (checkpoint.TryGetValue(entry.Uuid, out var seen) && entry.Timestamp <= seen)
            {
                next[entry.Uuid] = seen;
                continue;
            }

            changed.Add(entry.Uuid);
            var name = entry.Uuid + ".json";
            var file = PathOf(name);
            var (utf8, problem) = await FetchAsync(name, cancellationToken).ConfigureAwait(false);
            MispReadResult read;
            if (problem is not null)
            {
                var problems = new MispProblems(file, catalog);
                problems.Add("", $"listed in {ManifestFile} but {problem}; the other events were still read");
                read = new MispReadResult { Problems = problems.All };
            }
            else
            {
                read = reader.Read(utf8!, file);
            }

            result = result.Plus(read);
            if (read.Events > 0)
            {
                next[entry.Uuid] = entry.Timestamp;
            }
            else
            {
                failed.Add(entry.Uuid);
                if (checkpoint.TryGetValue(entry.Uuid, out var old))
                {
                    next[entry.Uuid] = old;
                }
            }
        }

        var removed = checkpoint.Keys.Where(k => !manifest.Events.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (manifest.Events.Count == 0 && manifest.Problems.Count > 0)
        {
            // An unreadable manifest says nothing about which events went away: keep the checkpoint as it was.
            foreach (var (uuid, timestamp) in checkpoint)
            {
                next[uuid] = timestamp;
            }

            removed = [];
        }

        return new MispFeedSync
        {
            Manifest = manifest,
            Changed = changed,
            Removed = removed,
            Failed = failed,
            Checkpoint = next,
            Result = result,
        };
    }

    /// <summary>The file's bytes, or why it could not be had (missing, refused, unreachable).</summary>
    private async Task<(byte[]? Utf8, string? Problem)> FetchAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await _open(name, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return (await MispJson.ReadAllAsync(stream, cancellationToken).ConfigureAwait(false), null);
            }
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"{name} is missing");
        }
        catch (Exception error) when (error is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{name} could not be read: {error.Message}");
        }
    }
}
