using System.CommandLine;
using Bulwark.Data;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark migrate</c>: brings a server database to the latest schema, for operators who migrate
/// explicitly before starting (or upgrading) the server. Reads the same settings as the server.
/// </summary>
public sealed class MigrateCommand
{
    private readonly CliContext _context;

    private MigrateCommand(CliContext context) => _context = context;

    public static Command Create(CliContext context)
    {
        var provider = new Option<DatabaseProvider>("--provider")
        {
            Description = "Sqlite or Postgres (default: Database__Provider from the environment, else Sqlite).",
            DefaultValueFactory = _ => Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable("Database__Provider"), true, out var p) ? p : DatabaseProvider.Sqlite,
        };
        var connection = new Option<string?>("--connection-string")
        {
            Description = "Database connection string (default: Database__ConnectionString; for SQLite, bulwark.db in the data directory).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Database__ConnectionString"),
        };
        var dataDirectory = new Option<string>("--data-directory")
        {
            Description = "The server's Storage:DataDirectory (default: Storage__DataDirectory, else ./data).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Storage__DataDirectory") ?? "data",
        };
        var list = new Option<bool>("--list") { Description = "List applied and pending migrations; change nothing." };
        var command = new Command("migrate", "Create or upgrade the server database to the latest schema.") { provider, connection, dataDirectory, list };
        var handler = new MigrateCommand(context);
        command.SetAction((parsed, ct) => handler.ExecuteAsync(
            new DatabaseOptions { Provider = parsed.GetValue(provider), ConnectionString = parsed.GetValue(connection) },
            parsed.GetValue(dataDirectory)!,
            parsed.GetValue(list),
            ct));
        return command;
    }

    private async Task<int> ExecuteAsync(DatabaseOptions options, string dataDirectory, bool listOnly, CancellationToken ct)
    {
        try
        {
            if (options.Provider == DatabaseProvider.Sqlite)
            {
                Directory.CreateDirectory(dataDirectory);
            }

            var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
            BulwarkDatabase.Configure(builder, options, dataDirectory);
            await using var db = new BulwarkDbContext(builder.Options, FixedTenant.InstanceWide);
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (listOnly)
            {
                applied.ForEach(m => _context.Out.WriteLine($"applied  {m}"));
                pending.ForEach(m => _context.Out.WriteLine($"pending  {m}"));
                return ExitCodes.Clean;
            }

            await db.Database.MigrateAsync(ct);
            _context.Error.WriteLine(pending.Count == 0
                ? $"bulwark migrate: {options.Provider} database is up to date ({applied.Count} migrations)"
                : $"bulwark migrate: applied {pending.Count} migration(s) to the {options.Provider} database: {string.Join(", ", pending)}");
            return ExitCodes.Clean;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or IOException or ArgumentException)
        {
            // The connection string may hold a password: report the failure, not the settings.
            _context.Error.WriteLine($"bulwark migrate: {ex.Message}");
            return ExitCodes.UsageError;
        }
    }
}
