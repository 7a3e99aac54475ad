using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Membership;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bulwark.Server.Tests;

/// <summary>
/// PostgreSQL row-level security, the second wall: with the EF Core tenant filter switched off, a connection
/// working for organisation A (as the server's interceptor sets it) still reads only A's rows.
/// </summary>
public sealed class RowLevelSecurityTests : IAsyncLifetime
{
    private readonly string? _admin = Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES");
    private readonly string _database = "bulwark_rls_" + Guid.NewGuid().ToString("N");
    private readonly string _role = "bulwark_app_" + Guid.NewGuid().ToString("N")[..12];
    private readonly Guid _orgA = Guid.CreateVersion7();
    private readonly Guid _orgB = Guid.CreateVersion7();

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrEmpty(_admin))
        {
            return;
        }

        await Execute(_admin, $"CREATE DATABASE {_database}");
        await Execute(_admin, $"CREATE ROLE {_role} LOGIN NOSUPERUSER");
        await using var db = Context(Owner, FixedTenant.InstanceWide);
        await db.Database.MigrateAsync();
        foreach (var (org, name) in new[] { (_orgA, "A"), (_orgB, "B") })
        {
            db.Organisations.Add(new Organisation { Id = org, Name = name, Country = "FR", CreatedAt = DateTimeOffset.UnixEpoch });
            db.Incidents.Add(new Incident
            {
                Id = Guid.CreateVersion7(),
                OrganisationId = org,
                Family = "exchange.proxylogon",
                GroupKey = "192.0.2.1",
                Title = "t",
                Severity = Severity.Critical,
                CreatedAt = DateTimeOffset.UnixEpoch,
                UpdatedAt = DateTimeOffset.UnixEpoch,
            });
        }

        await db.SaveChangesAsync();
        await Execute(Owner, $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {_role}");
    }

    public async ValueTask DisposeAsync()
    {
        if (string.IsNullOrEmpty(_admin))
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await Execute(_admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        await Execute(_admin, $"DROP ROLE IF EXISTS {_role}");
    }

    private string Owner => new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;

    private string App => new NpgsqlConnectionStringBuilder(_admin) { Database = _database, Username = _role }.ConnectionString;

    [Fact]
    public async Task Organisation_connection_reads_only_its_rows_even_without_the_query_filter()
    {
        Skip();
        await using var asA = Context(App, new FixedTenant(_orgA));

        var incidents = await asA.Incidents.IgnoreQueryFilters().Select(i => i.OrganisationId).ToListAsync(TestContext.Current.CancellationToken);
        var orgs = await asA.Organisations.IgnoreQueryFilters().Select(o => o.Id).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([_orgA], incidents);
        Assert.Equal([_orgA], orgs);
    }

    [Fact]
    public async Task Organisation_connection_cannot_write_into_another_organisation()
    {
        Skip();
        await using var asA = Context(App, new FixedTenant(_orgA));
        asA.Incidents.Add(new Incident
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = _orgB,
            Family = "x",
            GroupKey = "y",
            Title = "planted",
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => asA.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Contains("row-level security", error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_wide_connection_reads_every_organisation()
    {
        Skip();
        await using var staff = Context(App, FixedTenant.InstanceWide);

        var count = await staff.Incidents.CountAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, count);
    }

    private void Skip()
    {
        if (string.IsNullOrEmpty(_admin))
        {
            Assert.Skip("needs BULWARK_TEST_POSTGRES (./test.sh starts PostgreSQL and sets it)");
        }
    }

    private static BulwarkDbContext Context(string connectionString, ITenantContext tenant)
    {
        var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
        BulwarkDatabase.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }, ".");
        builder.AddInterceptors(new TenantSessionInterceptor(tenant));
        return new BulwarkDbContext(builder.Options, tenant);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
