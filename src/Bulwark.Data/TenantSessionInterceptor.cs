using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Bulwark.Data;

/// <summary>
/// On PostgreSQL, tells the database which organisation the connection works for (<c>bulwark.tenant</c>), so
/// row-level security enforces the same isolation as the EF Core query filter: the second wall.
/// </summary>
public sealed class TenantSessionInterceptor(ITenantContext tenant) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            using var command = Command(npgsql);
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await using var command = Command(npgsql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private NpgsqlCommand Command(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand("SELECT set_config('bulwark.tenant', @tenant, false)", connection);
        command.Parameters.AddWithValue("tenant", tenant.OrganisationId?.ToString() ?? "*");
        return command;
    }
}
