using System.Collections.Concurrent;

namespace Bulwark.Server.Incidents;

/// <summary>
/// Serialises, within this process, the units of work that store an organisation's findings and decide its
/// incidents, so two batches never open the same incident twice or confirm it twice. (Across instances the
/// unique finding index and the conditional decision update still hold; see ADR 7.)
/// </summary>
public static class OrganisationLocks
{
    private static readonly ConcurrentDictionary<Guid, SemaphoreSlim> Locks = new();

    public static async Task<IDisposable> AcquireAsync(Guid organisationId, CancellationToken ct)
    {
        var semaphore = Locks.GetOrAdd(organisationId, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(ct);
        return new Release(semaphore);
    }

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
