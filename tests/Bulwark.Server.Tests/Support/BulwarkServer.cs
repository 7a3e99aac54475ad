using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// The real server (WebApplicationFactory over Program) on a real database in a fresh data directory.
/// Derived fixtures pick the provider; every integration test class runs against both.
/// </summary>
public abstract class BulwarkServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string BootstrapToken = "test-bootstrap-token-0123456789abcdef";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected BulwarkServer()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "bulwark-server-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Why this fixture cannot run here (e.g. no PostgreSQL), or null.</summary>
    public string? Unavailable { get; protected set; }

    protected string? ConnectionString { get; set; }

    /// <summary>Extra configuration a test class needs (SMTP, policies…), applied before the host starts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Skips the calling test when the fixture cannot run on this machine (never on CI).</summary>
    public void EnsureAvailable()
    {
        if (Unavailable is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    public HttpClient As(string? token)
    {
        EnsureAvailable();
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient Operator => As(BootstrapToken);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Operator:BootstrapToken", BootstrapToken);

        // Every test signs in from the same (test server) address; the limit itself is tested on a host of its own.
        builder.UseSetting("Portal:SignInAttemptsPerMinute", "100000");

        // The starter intelligence adds intel findings to every scan of the samples; the tests that are about
        // ingestion, incidents and the portal pin the samples' own 24 findings, and the intel tests turn it on.
        builder.UseSetting("Intel:Starter", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>An admitted organisation with an admin key and an ingest key.</summary>
    public Task<Member> CreateMemberAsync(string name = "Parti Exemple", string country = "FR") => Members.CreateAsync(As, name, country: country);

    public Task<string> CreateKeyAsync(string name, string scope, Guid? organisationId) => Members.CreateKeyAsync(As, name, scope, organisationId);
}

public sealed record Member(Guid Id, string AdminToken, string IngestToken);

public sealed class SqliteServer : BulwarkServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>
/// PostgreSQL from <c>BULWARK_TEST_POSTGRES</c> (a connection string to a server where the user may create
/// databases; <c>test.sh</c> starts one). Each fixture gets its own database.
/// </summary>
public sealed class PostgresServer : BulwarkServer
{
    private string? _database;
    private string? _adminConnection;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async ValueTask InitializeAsync()
    {
        _adminConnection = Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(_adminConnection))
        {
            Unavailable = "PostgreSQL tests need BULWARK_TEST_POSTGRES (./test.sh starts a server and sets it)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException("CI must run the PostgreSQL tests: " + Unavailable);
            }

            return;
        }

        _database = "bulwark_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(_adminConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database }.ConnectionString;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && _adminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
