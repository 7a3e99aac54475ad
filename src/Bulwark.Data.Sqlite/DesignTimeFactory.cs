using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bulwark.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BulwarkDbContext>
{
    public BulwarkDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
        BulwarkDatabase.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=design.db" }, ".");
        return new BulwarkDbContext(builder.Options, FixedTenant.InstanceWide);
    }
}
