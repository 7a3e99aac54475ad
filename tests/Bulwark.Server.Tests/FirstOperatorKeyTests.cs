using Bulwark.Data;
using Bulwark.Data.Access;
using Bulwark.Server.Access;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>A new instance started with no configuration gets one operator key, shown once.</summary>
public sealed class FirstOperatorKeyTests
{
    [Fact]
    public async Task First_start_creates_one_operator_key_and_never_a_second()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-first-key-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
            BulwarkDatabase.Configure(builder, new DatabaseOptions(), dir);
            await using var db = new BulwarkDbContext(builder.Options, FixedTenant.InstanceWide);
            await db.Database.MigrateAsync(ct);
            var keys = new ApiKeys(db, TimeProvider.System);

            var token = await keys.CreateFirstOperatorAsync(ct);
            var again = await keys.CreateFirstOperatorAsync(ct);

            Assert.NotNull(token);
            Assert.Null(again);
            var key = await keys.AuthenticateAsync(token, ct);
            Assert.Equal(ApiKeyScope.Operator, key?.Scope);
            Assert.Equal(1, await db.ApiKeys.CountAsync(ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
