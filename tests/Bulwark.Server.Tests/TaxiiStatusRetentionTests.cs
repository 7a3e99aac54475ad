using System.Net;
using Bulwark.Core.Intel.Taxii;
using Bulwark.Server.Storage;
using Bulwark.Server.Taxii;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.Support.TaxiiStix;

namespace Bulwark.Server.Tests;

/// <summary>Status resources are deleted once their request is older than Taxii:StatusRetentionHours (24); the objects stay.</summary>
public abstract class TaxiiStatusRetentionTests<TServer>(TaxiiHost<TServer> host) : IClassFixture<TaxiiHost<TServer>>
    where TServer : BulwarkServer, new()
{
    [Fact]
    public async Task A_status_older_than_the_retention_is_deleted_and_answers_404_while_a_newer_one_stays()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collection, token) = await host.CollectionWithWriterAsync("Status retention");
        var client = host.Client(token);
        var old = await client.AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator($"indicator--{Uuid(40, 1)}", "old.example")), ct);
        var recent = await client.AddObjectsAsync(host.ApiRoot, collection, Elements(Indicator($"indicator--{Uuid(40, 2)}", "recent.example")), ct);
        var databases = host.Server.Services.GetRequiredService<TenantDatabase>();
        var now = TimeProvider.System.GetUtcNow();
        await using (var db = databases.OpenInstanceWide())
        {
            var oldId = Guid.Parse(old.Id);
            var recentId = Guid.Parse(recent.Id);
            await db.TaxiiStatuses.Where(s => s.Id == oldId).ExecuteUpdateAsync(s => s.SetProperty(x => x.RequestTimestamp, now.AddHours(-25)), ct);
            await db.TaxiiStatuses.Where(s => s.Id == recentId).ExecuteUpdateAsync(s => s.SetProperty(x => x.RequestTimestamp, now.AddHours(-23)), ct);
        }

        var deleted = await host.Server.Services.GetRequiredService<TaxiiStatusRetention>().RunOnceAsync(ct);

        var gone = await Assert.ThrowsAsync<TaxiiException>(() => client.GetStatusAsync(host.ApiRoot, old.Id, ct));
        var kept = await client.GetStatusAsync(host.ApiRoot, recent.Id, ct);
        var objects = await client.GetObjectsAsync(host.ApiRoot, collection, null, ct);
        Assert.Equal(1, deleted);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal($"no status '{old.Id}' for this key", gone.Error!.Description);
        Assert.Equal((recent.Id, 1, 1), (kept.Id, kept.TotalCount, kept.SuccessCount));
        Assert.Equal([$"indicator--{Uuid(40, 1)}", $"indicator--{Uuid(40, 2)}"], objects.Objects.Select(Id));
        Assert.Equal(0, await host.Server.Services.GetRequiredService<TaxiiStatusRetention>().RunOnceAsync(ct));
    }
}

public sealed class TaxiiStatusRetentionSqliteTests(TaxiiHost<SqliteServer> host) : TaxiiStatusRetentionTests<SqliteServer>(host);

public sealed class TaxiiStatusRetentionPostgresTests(TaxiiHost<PostgresServer> host) : TaxiiStatusRetentionTests<PostgresServer>(host);
