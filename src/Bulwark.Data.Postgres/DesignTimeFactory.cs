using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bulwark.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model (no server needed).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BulwarkDbContext>
{
    public BulwarkDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
        BulwarkDatabase.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=localhost;Database=bulwark_design" }, ".");
        return new BulwarkDbContext(builder.Options, FixedTenant.InstanceWide);
    }
}
