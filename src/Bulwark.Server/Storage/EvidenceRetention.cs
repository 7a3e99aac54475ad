using Bulwark.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Storage;

/// <summary>
/// Least data kept: once a finding is older than <see cref="StorageOptions.EvidenceRetentionDays"/>, its
/// evidence (log lines' fields, file paths) is dropped; the finding's summary, counts and times stay so incidents
/// and notices still read correctly.
/// </summary>
public sealed class EvidenceRetention(TenantDatabase databases, IOptions<StorageOptions> options, TimeProvider time)
{
    public const string Cleared = "[]";

    /// <summary>Clears expired evidence; returns how many findings were cleared.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var days = options.Value.EvidenceRetentionDays;
        if (days == 0)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().AddDays(-days);
        await using var db = databases.OpenInstanceWide();
        return await db.Findings
            .Where(f => f.ReceivedAt < cutoff && f.EvidenceJson != Cleared)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.EvidenceJson, Cleared), ct);
    }
}

/// <summary>Runs <see cref="EvidenceRetention"/> at start and then every six hours.</summary>
public sealed class EvidenceRetentionWorker(EvidenceRetention retention, TimeProvider time, ILogger<EvidenceRetentionWorker> logger)
    : RetentionWorker(time, logger, TimeSpan.FromHours(6))
{
    protected override string Job => "Evidence retention (findings' evidence)";

    protected override Task<int> RunOnceAsync(CancellationToken ct) => retention.RunOnceAsync(ct);
}
