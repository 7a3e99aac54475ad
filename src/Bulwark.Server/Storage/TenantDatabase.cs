using Bulwark.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Storage;

/// <summary>
/// Opens a database context for an explicit tenant, for the steps that cannot run as the caller: background
/// workers (instance-wide), an anonymous application or invitation acceptance (which must write into an
/// organisation), a person token's check before the request has a tenant, and a domain name's uniqueness across
/// members. The tenant is set for both walls: the query filter and PostgreSQL row-level security (ADR 10).
/// </summary>
public sealed class TenantDatabase(IOptions<DatabaseOptions> database, IOptions<StorageOptions> storage)
{
    public BulwarkDbContext Open(Guid organisationId) => Open(new FixedTenant(organisationId));

    public BulwarkDbContext OpenInstanceWide() => Open(FixedTenant.InstanceWide);

    private BulwarkDbContext Open(FixedTenant tenant)
    {
        var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
        BulwarkDatabase.Configure(builder, database.Value, storage.Value.DataDirectory);
        builder.AddInterceptors(new TenantSessionInterceptor(tenant));
        return new BulwarkDbContext(builder.Options, tenant);
    }
}
