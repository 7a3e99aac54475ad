using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Data;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Serialises the units of work that store an organisation's findings and decide its incidents, so two batches
/// never open the same incident twice or confirm it twice (ADR 7). Two layers: a semaphore per organisation in
/// this process (a singleton), and on PostgreSQL a transaction-scoped advisory lock on a key derived from the
/// organisation id, so server instances sharing one database wait for each other too. SQLite is one instance's
/// file and needs only the first.
/// </summary>
public sealed class OrganisationLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    /// <summary>This process's lock for the organisation; dispose to release.</summary>
    public async Task<IDisposable> AcquireAsync(Guid organisationId, CancellationToken ct)
    {
        var semaphore = _locks.GetOrAdd(organisationId, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(ct);
        return new Release(semaphore);
    }

    /// <summary>
    /// On PostgreSQL, waits for the organisation's advisory lock inside <paramref name="db"/>'s current transaction;
    /// the database releases it at commit or rollback. Take it before reading what the unit of work decides from.
    /// No-op on SQLite.
    /// </summary>
    public static async Task LockInTransactionAsync(BulwarkDbContext db, Guid organisationId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("the organisation's advisory lock is transaction-scoped: begin a transaction first");
        }

        var key = AdvisoryKey(organisationId);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
    }

    /// <summary>
    /// Begins a transaction holding the organisation's advisory lock on PostgreSQL; null on SQLite, where the
    /// unit of work keeps SaveChanges' own transaction.
    /// </summary>
    public static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> BeginLockedAsync(BulwarkDbContext db, Guid organisationId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return null;
        }

        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await LockInTransactionAsync(db, organisationId, ct);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The advisory lock key: the first 8 bytes of SHA-256 over a Bulwark-specific prefix and the id, the same in
    /// every process, and unlikely to meet another application's keys on a shared server.
    /// </summary>
    public static long AdvisoryKey(Guid organisationId) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("bulwark.organisation:" + organisationId.ToString("D"))));

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
