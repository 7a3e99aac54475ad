using Npgsql;

namespace Bulwark.Cli.Tests;

public sealed class MigrateCommandTests
{
    /// <summary>The provider's migrations as the repository holds them, oldest first (e.g. 20261128025536_Initial).</summary>
    private static List<string> Migrations(string provider) =>
        [.. Directory.GetFiles(Path.Combine(Cli.RepositoryRoot(), "src", $"Bulwark.Data.{provider}", "Migrations"), "*_*.cs")
            .Where(f => !f.EndsWith(".Designer.cs", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .Cast<string>()];

    [Fact]
    public void Migrate_creates_the_sqlite_database_then_reports_it_up_to_date()
    {
        using var dir = new TempDir();
        var data = Path.Combine(dir.Root, "data");

        var first = Cli.Run("migrate", "--provider", "Sqlite", "--data-directory", data);
        var second = Cli.Run("migrate", "--provider", "Sqlite", "--data-directory", data);
        var list = Cli.Run("migrate", "--provider", "Sqlite", "--data-directory", data, "--list");

        var migrations = Migrations("Sqlite");
        Assert.Equal(ExitCodes.Clean, first.Exit);
        Assert.StartsWith($"bulwark migrate: applied {migrations.Count} migration(s) to the Sqlite database: ", first.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "bulwark.db")));
        Assert.Equal($"bulwark migrate: Sqlite database is up to date ({migrations.Count} migrations)\n", second.Error.ReplaceLineEndings("\n"));
        Assert.Equal(string.Concat(migrations.Select(m => $"applied  {m}\n")), list.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Migrate_postgres_when_a_server_is_available()
    {
        var admin = Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(admin))
        {
            Assert.Skip("needs BULWARK_TEST_POSTGRES (./test.sh starts PostgreSQL and sets it)");
        }

        var database = "bulwark_cli_" + Guid.NewGuid().ToString("N");
        using (var c = new NpgsqlConnection(admin))
        {
            c.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {database}", c);
            create.ExecuteNonQuery();
        }

        try
        {
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            var result = Cli.Run("migrate", "--provider", "Postgres", "--connection-string", cs);

            Assert.Equal(ExitCodes.Clean, result.Exit);
            Assert.StartsWith($"bulwark migrate: applied {Migrations("Postgres").Count} migration(s) to the Postgres database: ", result.Error, StringComparison.Ordinal);
            Assert.Contains("_RowLevelSecurity", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            using var c = new NpgsqlConnection(admin);
            c.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", c);
            drop.ExecuteNonQuery();
        }
    }

    [Fact]
    public void Unreachable_postgres_is_reported_without_the_connection_string()
    {
        var result = Cli.Run("migrate", "--provider", "Postgres", "--connection-string", "Host=127.0.0.1;Port=1;Username=u;Password=s3cret-value;Timeout=2");

        Assert.Equal(ExitCodes.UsageError, result.Exit);
        Assert.StartsWith("bulwark migrate: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", result.Error, StringComparison.Ordinal);
    }
}
