using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Data;
using Bulwark.Data.Audit;
using Bulwark.Server.Access;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Audit;

/// <summary>
/// Appends to the hash-chained audit log. Each entry's hash covers the previous entry's hash and its own
/// fields; <see cref="VerifyAsync"/> walks the chain and reports the first entry that does not match.
/// </summary>
public sealed class AuditLog(BulwarkDbContext db, Caller caller, TimeProvider time)
{
    private static readonly SemaphoreSlim AppendLock = new(1, 1);

    /// <summary>Records an action by the current caller (call it for operator and analyst access to member data).</summary>
    public Task RecordAsync(string action, string target, Guid? organisationId, CancellationToken ct) =>
        AppendAsync(caller.KeyId ?? caller.UserId ?? caller.PersonId, caller.Scope?.ToString() ?? (caller.PersonId is null ? "system" : "Person"), action, target, organisationId, ct);

    /// <summary>Records a read of member data when the caller acts across members (operator, analyst).</summary>
    public Task RecordStaffReadAsync(string action, string target, Guid? organisationId, CancellationToken ct) =>
        caller.IsInstanceWide ? RecordAsync(action, target, organisationId, ct) : Task.CompletedTask;

    public async Task AppendAsync(Guid? actor, string scope, string action, string target, Guid? organisationId, CancellationToken ct)
    {
        await AppendLock.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var last = await db.Audit.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
                var entry = new AuditEntry
                {
                    Sequence = (last?.Sequence ?? 0) + 1,
                    At = Millisecond(time.GetUtcNow()),
                    ActorId = actor,
                    ActorScope = scope,
                    Action = action,
                    Target = target,
                    OrganisationId = organisationId,
                    PreviousHash = last?.Hash ?? new byte[32],
                    Hash = [],
                };
                entry.Hash = Hash(entry);
                db.Audit.Add(entry);
                try
                {
                    await db.SaveChangesAsync(ct);
                    return;
                }
                catch (DbUpdateException) when (attempt < 5)
                {
                    // Another instance appended the same sequence number first: chain onto its entry.
                    db.Entry(entry).State = EntityState.Detached;
                }
            }
        }
        finally
        {
            AppendLock.Release();
        }
    }

    /// <summary>The sequence number of the first entry whose hash or link is wrong, or null when the chain holds.</summary>
    public async Task<long?> VerifyAsync(CancellationToken ct)
    {
        var previous = new byte[32];
        await foreach (var entry in db.Audit.AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous) || !entry.Hash.AsSpan().SequenceEqual(Hash(entry)))
            {
                return entry.Sequence;
            }

            previous = entry.Hash;
        }

        return null;
    }

    /// <summary>Both databases keep at least millisecond precision; hashing a finer instant would not survive the round trip.</summary>
    private static DateTimeOffset Millisecond(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    internal static byte[] Hash(AuditEntry e)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(e.PreviousHash);
        BinaryPrimitives.WriteInt64BigEndian(number, e.Sequence);
        hash.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, e.At.UtcTicks);
        hash.AppendData(number);
        foreach (var field in new[] { e.ActorId?.ToString() ?? "", e.ActorScope, e.Action, e.Target, e.OrganisationId?.ToString() ?? "" })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt64BigEndian(number, bytes.Length);
            hash.AppendData(number);
            hash.AppendData(bytes);
        }

        return hash.GetHashAndReset();
    }
}
