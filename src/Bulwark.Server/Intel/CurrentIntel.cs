using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Starter;
using Bulwark.Data.Intel;
using Bulwark.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Intel;

/// <summary>
/// The one intel set of this process: the starter intelligence and every enabled source's stored content, rebuilt from
/// the database after any change and swapped atomically, so a scan keeps the set it started with. Rebuilds are
/// serialised; reading <see cref="Snapshot"/> never waits.
/// </summary>
public sealed partial class CurrentIntel(TenantDatabase databases, IOptions<IntelOptions> options, TimeProvider time, ILogger<CurrentIntel> logger)
{
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile IntelSnapshot? _snapshot;

    /// <summary>The last retro-hunt this process ran, or null.</summary>
    public RetroHuntOutcome? LastRetroHunt { get; set; }

    /// <summary>The latest build, or null before the first.</summary>
    public IntelSnapshot? Snapshot => _snapshot;

    /// <summary>The latest build; builds it first when there is none yet.</summary>
    public async Task<IntelSnapshot> GetAsync(CancellationToken ct) => _snapshot ?? await RebuildAsync(ct);

    /// <summary>Builds the set from the database now and makes it current.</summary>
    public async Task<IntelSnapshot> RebuildAsync(CancellationToken ct)
    {
        await _building.WaitAsync(ct);
        try
        {
            var started = time.GetTimestamp();
            await using var db = databases.OpenInstanceWide();
            var sources = await db.IntelSources.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
            var fingerprint = Fingerprint(sources);
            var enabled = sources.Where(s => s.Enabled).ToDictionary(s => s.Id);
            var ids = enabled.Keys.ToList();
            var rows = ids.Count == 0 ? [] : await db.IntelContents.AsNoTracking()
                .Where(c => ids.Contains(c.SourceId))
                .OrderBy(c => c.Id)
                .ToListAsync(ct);

            var catalog = new IntelCatalog();
            if (options.Value.Starter)
            {
                StarterIntel.Load(catalog);
            }

            var items = new List<StoredIntel.Item>();
            var counts = rows.GroupBy(r => r.SourceId).ToDictionary(g => g.Key, g => g.Count());
            foreach (var row in rows)
            {
                var source = enabled[row.SourceId];
                var label = StoredIntel.SourceId(source, row.Name);
                switch (row.Kind)
                {
                    case IntelContentKind.File:
                        if (StoredIntel.Detect(row.Data, row.Name, out var reason) is { } format)
                        {
                            items.Add(new StoredIntel.Item(source, row.Kind, row.Name, row.Data, format));
                        }
                        else
                        {
                            catalog.Problem(label, "", reason!);
                        }

                        break;
                    case IntelContentKind.StixObject:
                        items.Add(new StoredIntel.Item(source, row.Kind, row.Name, row.Data, IntelFormat.Taxii));
                        break;
                    default:
                        items.Add(new StoredIntel.Item(source, row.Kind, row.Name, row.Data, IntelFormat.MispEvent));
                        break;
                }
            }

            StoredIntel.Read(items, catalog);
            var set = IntelLoader.Build(catalog);
            var problems = catalog.Problems.Concat(set.Rejected).ToList();
            var snapshot = new IntelSnapshot(set, time.GetUtcNow(), time.GetElapsedTime(started), problems, Tally(sources, counts, catalog, problems), fingerprint);
            _snapshot = snapshot;
            LogBuilt(logger, set.Index.Count, snapshot.Indicators, set.Actors.All.Count, enabled.Count, problems.Count, (long)snapshot.Took.TotalMilliseconds);
            return snapshot;
        }
        finally
        {
            _building.Release();
        }
    }

    /// <summary>Rebuilds when the stored sources changed since the current build (another instance's upload or poll); true when it did.</summary>
    public async Task<bool> RebuildIfChangedAsync(CancellationToken ct)
    {
        await using (var db = databases.OpenInstanceWide())
        {
            var sources = await db.IntelSources.AsNoTracking().ToListAsync(ct);
            if (_snapshot is { } current && current.Fingerprint == Fingerprint(sources))
            {
                return false;
            }
        }

        await RebuildAsync(ct);
        return true;
    }

    /// <summary>Every source's id, state and last change, hashed: any edit, upload, poll with content or deletion changes it.</summary>
    private string Fingerprint(List<IntelSourceRecord> sources)
    {
        var text = new StringBuilder(options.Value.Starter ? "starter\n" : "\n");
        foreach (var s in sources.OrderBy(s => s.Id))
        {
            text.Append(s.Id).Append(' ').Append(s.Enabled).Append(' ').Append(s.ChangedAt.UtcTicks).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static List<SourceTally> Tally(List<IntelSourceRecord> sources, Dictionary<Guid, int> items, IntelCatalog catalog, List<IntelProblem> problems)
    {
        // Catalog source ids are the source's name, or name/file for uploads: add a source's files up.
        static string Owner(string id)
        {
            var slash = id.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? id : id[..slash];
        }

        static Dictionary<string, int> Count(IEnumerable<string> ids) =>
            ids.GroupBy(Owner, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var indicators = Count(catalog.Indicators.Select(i => i.Source).Concat(catalog.Values.Select(v => v.Source)));
        var objects = Count(catalog.Objects.Select(o => o.Source));
        var relationships = Count(catalog.Relationships.Select(r => r.Source));
        var lists = Count(catalog.Warninglists.Select(w => w.Source));
        var problemCounts = problems
            .Select(p => p.File)
            .Select(f => f.IndexOfAny(['/', ':']) is var at and > 0 ? f[..at] : f)
            .GroupBy(f => f, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. sources.Select(s => new SourceTally(
            s.Id, s.Name, s.Kind, s.Enabled, items.GetValueOrDefault(s.Id),
            indicators.GetValueOrDefault(s.Name), objects.GetValueOrDefault(s.Name), relationships.GetValueOrDefault(s.Name),
            lists.GetValueOrDefault(s.Name), s.Enabled ? problemCounts.GetValueOrDefault(s.Name) : 0))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intel set built: {Values} indexed values from {Indicators} indicators, {Actors} actors, {Sources} enabled sources, {Problems} problems, in {Milliseconds} ms")]
    private static partial void LogBuilt(ILogger logger, int values, int indicators, int actors, int sources, int problems, long milliseconds);
}
