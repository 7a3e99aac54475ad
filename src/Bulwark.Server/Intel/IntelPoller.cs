using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data;
using Bulwark.Data.Intel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Intel;

/// <summary>
/// Polls one TAXII collection or MISP feed and stores what is new: TAXII objects page by page, each page's objects
/// and the checkpoint after it committed together (so a stop between pages loses nothing and repeats nothing); a
/// feed's new and changed events with its per-event checkpoint in one commit. Only the latest version of an object or
/// event is kept. The caller rebuilds the intel set when <see cref="PollOutcome.Changed"/>.
/// </summary>
public sealed partial class IntelPoller(
    BulwarkDbContext db, IntelSecrets secrets, IHttpClientFactory clients, IOptions<IntelOptions> options, TimeProvider time, ILogger<IntelPoller> logger)
{
    public const string HttpClientName = "intel";

    private const int Chunk = 500;
    private const int MaxProblems = 200;

    /// <summary>One poll per source at a time in this process (the scheduled round and "poll now" may meet).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SemaphoreSlim> Polling = new();

    public async Task<PollOutcome> PollAsync(IntelSourceRecord source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var gate = Polling.GetOrAdd(source.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            // Read again inside the lock: a poll that just finished moved the checkpoint.
            var current = await db.IntelSources.AsNoTracking().FirstAsync(s => s.Id == source.Id, ct);
            return await PollOnceAsync(current, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<PollOutcome> PollOnceAsync(IntelSourceRecord source, CancellationToken ct)
    {
        var problems = new List<IntelProblem>();
        int stored = 0, removed = 0;
        string? error = null;
        try
        {
            if (source.Kind == IntelSourceKind.Taxii)
            {
                stored = await PollTaxiiAsync(source, problems, ct);
            }
            else if (source.Kind == IntelSourceKind.MispFeed)
            {
                (stored, removed, error) = await PollFeedAsync(source, problems, ct);
            }
            else
            {
                error = "an upload source is not polled";
            }
        }
        catch (TaxiiException ex)
        {
            error = ex.Message;
        }
        catch (FormatException ex)
        {
            error = $"the stored checkpoint is unusable ({ex.Message}); reset it by changing the source's URL or collection";
        }
        catch (CryptographicException)
        {
            error = "the source's secret cannot be decrypted (the instance's data-protection keys changed): set it again";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or UriFormatException)
        {
            error = ex.Message;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {options.Value.FetchTimeout.TotalSeconds:0} s";
        }
        catch (DbUpdateException)
        {
            // Another instance stored the same objects at the same moment: what it stored stays, the next poll goes on.
            error = "another poll of this source stored the same content at the same time; poll again";
        }

        // What was stored page by page stays stored; the outcome is recorded on the source.
        db.ChangeTracker.Clear();
        var row = await db.IntelSources.FirstAsync(s => s.Id == source.Id, ct);
        var now = time.GetUtcNow();
        row.LastPolledAt = now;
        row.LastError = error is null ? null : Truncate(error);
        if (error is null)
        {
            row.LastSuccessAt = now;
        }

        if (stored + removed > 0)
        {
            row.ChangedAt = now;
        }

        await db.SaveChangesAsync(ct);
        if (error is null)
        {
            LogPolled(logger, source.Id, stored, removed, problems.Count);
        }
        else
        {
            LogPollFailed(logger, source.Id, error);
        }

        var checkpoint = row.Kind == IntelSourceKind.Taxii ? row.Checkpoint : null;
        return new PollOutcome(row.Id, row.Name, error is null, stored, removed, checkpoint, row.LastError, problems.Take(MaxProblems).ToList());
    }

    private async Task<int> PollTaxiiAsync(IntelSourceRecord source, List<IntelProblem> problems, CancellationToken ct)
    {
        var http = clients.CreateClient(HttpClientName);
        var client = new TaxiiClient(http, secrets.TaxiiCredentialsOf(source)) { MaxResponseBytes = options.Value.MaxResponseBytes };
        var url = new Uri(source.Url!);
        var apiRoot = url;
        if (url.AbsolutePath.TrimEnd('/').EndsWith("/taxii2", StringComparison.OrdinalIgnoreCase))
        {
            var discovery = await client.DiscoverAsync(url, ct);
            apiRoot = discovery.Default ?? (discovery.ApiRoots.Count == 1
                ? discovery.ApiRoots[0]
                : throw new TaxiiException($"{url} lists {discovery.ApiRoots.Count} API roots and no default: give the source the API root's URL"));
        }

        var checkpoint = source.Checkpoint is { } text ? TaxiiCheckpoint.Parse(text) : null;
        var file = $"{source.Name} (TAXII)";
        var stored = 0;
        var page = 0;
        await foreach (var taken in client.ReadAllAsync(apiRoot, source.CollectionId!, checkpoint, options.Value.TaxiiPageSize, ct))
        {
            page++;
            var latest = new Dictionary<string, (string Version, byte[] Json)>(StringComparer.Ordinal);
            for (var i = 0; i < taken.Objects.Count; i++)
            {
                var o = taken.Objects[i];
                var where = $"page {page} objects[{i}]";
                if (!o.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 and <= 300 } id
                    || !o.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                {
                    problems.Add(new IntelProblem(file, where, "not stored: a STIX object needs a string 'type' and an 'id' of at most 300 characters"));
                    continue;
                }

                var version = VersionOf(o);
                if (!latest.TryGetValue(id, out var held) || Newer(version, held.Version))
                {
                    latest[id] = (version, JsonSerializer.SerializeToUtf8Bytes(o));
                }
            }

            stored += await StoreAsync(source.Id, IntelContentKind.StixObject, latest, ct);
            if (taken.Checkpoint is { } next)
            {
                var row = await db.IntelSources.FirstAsync(s => s.Id == source.Id, ct);
                row.Checkpoint = next.Text;
            }

            // This page's objects and the checkpoint after them commit together.
            await db.SaveChangesAsync(ct);
        }

        return stored;
    }

    private async Task<(int Stored, int Removed, string? Error)> PollFeedAsync(IntelSourceRecord source, List<IntelProblem> problems, CancellationToken ct)
    {
        var http = clients.CreateClient(HttpClientName);
        var header = secrets.HeaderOf(source);
        var root = new Uri(source.Url!.EndsWith('/') ? source.Url : source.Url + "/");
        var max = options.Value.MaxResponseBytes;
        var fetched = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var feed = new MispFeed(root.AbsoluteUri, async (name, token) =>
        {
            var url = new Uri(root, name);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = header;
            HttpResponseMessage answer;
            try
            {
                answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }
            catch (TaskCanceledException timeout) when (!token.IsCancellationRequested)
            {
                throw new IOException($"{url}: no answer within {http.Timeout.TotalSeconds:0} s", timeout);
            }

            using var response = answer;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new FileNotFoundException($"{url} answered 404 Not Found", url.AbsoluteUri);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }

            var bytes = await ReadLimitedAsync(response.Content, max, url, token);
            fetched[name] = bytes;
            return new MemoryStream(bytes, writable: false);
        });

        var checkpoint = Checkpoint(source.Checkpoint);
        var sync = await feed.SyncAsync(new IntelCatalog(), StoredIntel.CatalogSource(source, IntelFormat.MispFeed), checkpoint, ct);
        problems.AddRange(sync.Result.Problems);
        if (sync.Manifest.Events.Count == 0 && sync.Manifest.Problems.Count > 0)
        {
            return (0, 0, sync.Manifest.Problems[0].ToString());
        }

        var failed = sync.Failed.ToHashSet(StringComparer.Ordinal);
        var latest = new Dictionary<string, (string Version, byte[] Json)>(StringComparer.Ordinal);
        foreach (var uuid in sync.Changed.Where(u => !failed.Contains(u)))
        {
            if (fetched.TryGetValue(uuid + ".json", out var bytes) && sync.Checkpoint.TryGetValue(uuid, out var timestamp))
            {
                latest[uuid] = (timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), bytes);
            }
        }

        var stored = await StoreAsync(source.Id, IntelContentKind.MispEvent, latest, ct, replaceOlder: true);
        var removed = 0;
        foreach (var chunk in sync.Removed.Chunk(Chunk))
        {
            var gone = await db.IntelContents.Where(c => c.SourceId == source.Id && c.Kind == IntelContentKind.MispEvent && chunk.Contains(c.Name)).ToListAsync(ct);
            db.IntelContents.RemoveRange(gone);
            removed += gone.Count;
        }

        var row = await db.IntelSources.FirstAsync(s => s.Id == source.Id, ct);
        row.Checkpoint = JsonSerializer.Serialize(sync.Checkpoint.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value));

        // The events and the checkpoint that says they were taken commit together.
        await db.SaveChangesAsync(ct);
        return (stored, removed, null);
    }

    /// <summary>
    /// Adds or replaces stored items, keeping the newest version of each; returns how many changed. TAXII versions
    /// are compared as STIX timestamps; MISP events are replaced by whatever the manifest now says (<paramref name="replaceOlder"/>).
    /// </summary>
    private async Task<int> StoreAsync(Guid sourceId, IntelContentKind kind, Dictionary<string, (string Version, byte[] Json)> items, CancellationToken ct, bool replaceOlder = false)
    {
        var changed = 0;
        var now = time.GetUtcNow();
        foreach (var chunk in items.Keys.Chunk(Chunk))
        {
            var held = await db.IntelContents.Where(c => c.SourceId == sourceId && c.Kind == kind && chunk.Contains(c.Name)).ToDictionaryAsync(c => c.Name, StringComparer.Ordinal, ct);
            foreach (var name in chunk)
            {
                var (version, json) = items[name];
                if (held.TryGetValue(name, out var row))
                {
                    if (replaceOlder ? row.Version == version : !Newer(version, row.Version))
                    {
                        continue;
                    }

                    row.Version = version;
                    row.Data = json;
                    row.AddedAt = now;
                }
                else
                {
                    db.IntelContents.Add(new IntelContent { SourceId = sourceId, Kind = kind, Name = name, Version = version, Data = json, AddedAt = now });
                }

                changed++;
            }
        }

        return changed;
    }

    /// <summary>A STIX object's version: <c>modified</c>, else <c>created</c>, else empty (an SCO: one version only).</summary>
    private static string VersionOf(JsonElement o)
    {
        foreach (var name in (ReadOnlySpan<string>)["modified", "created"])
        {
            if (o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: <= 64 } text)
            {
                return text;
            }
        }

        return "";
    }

    /// <summary>True when <paramref name="candidate"/> is a later STIX timestamp than <paramref name="held"/> (an unreadable one never replaces).</summary>
    private static bool Newer(string candidate, string held) =>
        TaxiiTime.TryParse(candidate, out var c) && (!TaxiiTime.TryParse(held, out var h) || c > h);

    private static Dictionary<string, long> Checkpoint(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        }

        var read = JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
        return new Dictionary<string, long>(read, StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, long max, Uri url, CancellationToken ct)
    {
        if (content.Headers.ContentLength > max)
        {
            throw new IOException($"{url} is larger than {max} bytes (Intel:MaxResponseBytes)");
        }

        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new IOException($"{url} is larger than {max} bytes (Intel:MaxResponseBytes)");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..1999] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled intel source {SourceId}: {Stored} stored, {Removed} removed, {Problems} problems")]
    private static partial void LogPolled(ILogger logger, Guid sourceId, int stored, int removed, int problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling intel source {SourceId} failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, Guid sourceId, string error);
}
