using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Data;
using Bulwark.Data.Taxii;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Taxii;

/// <summary>
/// Stores the valid objects of one "add objects" request and its status resource in one transaction. Each new
/// version gets its own <c>date_added</c>, a microsecond after the latest the collection ever gave (or now, when
/// later; kept on the collection row, so deleting objects or a clock stepping back never reuses an instant), so
/// <c>date_added</c> is strictly increasing per collection and an <c>added_after</c> checkpoint is exact. A version
/// already there (same id and <c>modified</c>) is a success that stores nothing. Writers to one collection take
/// turns: a semaphore in this process and, on PostgreSQL, a transaction-scoped advisory lock across instances;
/// the unique (collection, date_added) index is the last guard.
/// </summary>
public sealed class TaxiiIntake(BulwarkDbContext db, TimeProvider time)
{
    private static readonly ConcurrentDictionary<Guid, SemaphoreSlim> Locks = new();

    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    public async Task<TaxiiStatus> AddAsync(
        TaxiiCollection collection, Guid keyId, int total, IReadOnlyList<TaxiiCandidate> candidates, IReadOnlyList<(int Index, TaxiiStatusDetail Detail)> refusals, CancellationToken ct)
    {
        var semaphore = Locks.GetOrAdd(collection.Id, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await AddOnceAsync(collection, keyId, total, candidates, refusals, ct);
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    // Another instance wrote to the collection at the same instant: start again from its latest.
                    db.ChangeTracker.Clear();
                }
            }
        }
        finally
        {
            semaphore.Release();
        }
    }

    private async Task<TaxiiStatus> AddOnceAsync(
        TaxiiCollection collection, Guid keyId, int total, IReadOnlyList<TaxiiCandidate> candidates, IReadOnlyList<(int Index, TaxiiStatusDetail Detail)> refusals, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            var key = AdvisoryKey(collection.Id);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }

        var now = TaxiiTime.ToMicroseconds(time.GetUtcNow());
        var tracked = await db.TaxiiCollections.FirstOrDefaultAsync(c => c.Id == collection.Id, ct)
            ?? throw new InvalidOperationException($"collection {collection.Id} was deleted while objects were being added");
        var next = tracked.LastDateAdded is { } l && l >= now ? l + Microsecond : now;

        var ids = candidates.Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
        var stored = ids.Count == 0
            ? []
            : await db.TaxiiObjects.Where(o => o.CollectionId == collection.Id && ids.Contains(o.StixId))
                .Select(o => new { o.StixId, o.Version }).ToListAsync(ct);
        var versions = stored.Select(s => (s.StixId, s.Version)).ToHashSet();
        var present = stored.Select(s => s.StixId).ToHashSet(StringComparer.Ordinal);

        var outcomes = new List<(int Index, bool Success, TaxiiStatusDetail Detail)>(total);
        outcomes.AddRange(refusals.Select(r => (r.Index, false, r.Detail)));
        foreach (var c in candidates)
        {
            // Objects without created/modified (cyber-observables) are immutable: their id is their only version.
            var known = c.Version is { } v ? versions.Contains((c.Id, v)) : present.Contains(c.Id);
            if (known)
            {
                outcomes.Add((c.Index, true, new TaxiiStatusDetail(c.Id, c.VersionText, "this version is already in the collection")));
                continue;
            }

            var dateAdded = next;
            next += Microsecond;
            tracked.LastDateAdded = dateAdded;
            var version = c.Version ?? dateAdded;
            db.TaxiiObjects.Add(new TaxiiObject
            {
                CollectionId = collection.Id,
                StixId = c.Id,
                Type = c.Type,
                SpecVersion = c.SpecVersion,
                Version = version,
                DateAdded = dateAdded,
                Json = c.Json,
            });
            versions.Add((c.Id, version));
            present.Add(c.Id);
            outcomes.Add((c.Index, true, new TaxiiStatusDetail(c.Id, c.Version is null ? TaxiiTime.FormatVersion(version) : c.VersionText, null)));
        }

        outcomes.Sort((a, b) => a.Index.CompareTo(b.Index));
        var status = new TaxiiStatus
        {
            Id = Guid.CreateVersion7(now),
            CollectionId = collection.Id,
            KeyId = keyId,
            RequestTimestamp = now,
            TotalCount = total,
            SuccessCount = outcomes.Count(o => o.Success),
            FailureCount = outcomes.Count(o => !o.Success),
            PendingCount = 0,
            Details = Details(outcomes),
        };
        db.TaxiiStatuses.Add(status);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return status;
    }

    private static string Details(List<(int Index, bool Success, TaxiiStatusDetail Detail)> outcomes)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, TaxiiResults.Writer))
        {
            w.WriteStartObject();
            Write(w, "successes", outcomes.Where(o => o.Success));
            Write(w, "failures", outcomes.Where(o => !o.Success));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);

        static void Write(Utf8JsonWriter w, string name, IEnumerable<(int Index, bool Success, TaxiiStatusDetail Detail)> list)
        {
            w.WriteStartArray(name);
            foreach (var (_, _, d) in list)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("version", d.Version);
                if (d.Message is not null)
                {
                    w.WriteString("message", d.Message);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
    }

    /// <summary>The collection's advisory lock key on PostgreSQL: 8 bytes of SHA-256 over a Bulwark-specific prefix and the id.</summary>
    private static long AdvisoryKey(Guid collectionId) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("bulwark.taxii-collection:" + collectionId.ToString("D"))));
}
