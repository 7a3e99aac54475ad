using Microsoft.EntityFrameworkCore;

namespace Bulwark.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite, defaults to <c>bulwark.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Chooses the provider and its migrations assembly (one per provider, as bitwarden/server does).</summary>
public static class BulwarkDatabase
{
    public const string SqliteMigrations = "Bulwark.Data.Sqlite";
    public const string PostgresMigrations = "Bulwark.Data.Postgres";

    public static string ConnectionString(DatabaseOptions options, string dataDirectory) =>
        options.ConnectionString is { Length: > 0 } cs
            ? cs
            : options.Provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(dataDirectory, "bulwark.db")}"
                : throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is Postgres");

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseOptions options, string dataDirectory)
    {
        var cs = ConnectionString(options, dataDirectory);
        return options.Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(cs, o => o.MigrationsAssembly(SqliteMigrations)),
            DatabaseProvider.Postgres => builder.UseNpgsql(cs, o => o.MigrationsAssembly(PostgresMigrations)),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
    }
}
