using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Storage;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

public abstract class EvidenceRetentionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    [Fact]
    public async Task Evidence_older_than_the_retention_is_cleared_and_the_finding_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Retention " + Guid.NewGuid().ToString("N")[..6]);
        var databases = server.Services.GetRequiredService<TenantDatabase>();
        var now = TimeProvider.System.GetUtcNow();
        await using (var db = databases.OpenInstanceWide())
        {
            db.Findings.Add(Record(member.Id, "BW-old", now.AddDays(-400)));
            db.Findings.Add(Record(member.Id, "BW-new", now.AddDays(-10)));
            await db.SaveChangesAsync(ct);
        }

        var cleared = await server.Services.GetRequiredService<EvidenceRetention>().RunOnceAsync(ct);

        await using var check = databases.OpenInstanceWide();
        var rows = await check.Findings.Where(f => f.OrganisationId == member.Id).OrderBy(f => f.FindingId).Select(f => new { f.FindingId, f.EvidenceJson, f.EvidenceCount }).ToListAsync(ct);
        Assert.Equal(1, cleared);
        Assert.Equal(("BW-new", "[{\"file\":\"x.log\",\"line\":1}]", 1), (rows[0].FindingId, rows[0].EvidenceJson, rows[0].EvidenceCount));
        Assert.Equal(("BW-old", "[]", 1), (rows[1].FindingId, rows[1].EvidenceJson, rows[1].EvidenceCount));
    }

    private static FindingRecord Record(Guid organisation, string id, DateTimeOffset received) => new()
    {
        Id = Guid.NewGuid(),
        OrganisationId = organisation,
        FindingId = id,
        DetectionId = "exchange.proxylogon.ssrf",
        Title = "t",
        Severity = Severity.Critical,
        Confidence = Confidence.High,
        Subject = "192.0.2.1",
        EvidenceCount = 1,
        EvidenceJson = "[{\"file\":\"x.log\",\"line\":1}]",
        Remediation = "r",
        Source = "s",
        ReceivedAt = received,
    };
}

public sealed class EvidenceRetentionSqliteTests(SqliteServer server) : EvidenceRetentionTests<SqliteServer>(server);

public sealed class EvidenceRetentionPostgresTests(PostgresServer server) : EvidenceRetentionTests<PostgresServer>(server);
