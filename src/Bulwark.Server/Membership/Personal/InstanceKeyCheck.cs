using Bulwark.Data;
using Bulwark.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// At start, refuses to run with a missing personal-data key file while person keys exist in the database:
/// creating a fresh key would silently make every opted-in address unreadable.
/// </summary>
public sealed class InstanceKeyCheck(InstanceKeys keys, TenantDatabase databases) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(keys.KeyFile))
        {
            await using var db = databases.OpenInstanceWide();
            var wrapped = await db.PersonKeys.CountAsync(cancellationToken);
            if (wrapped > 0)
            {
                throw new InvalidOperationException(
                    $"The personal-data key file {keys.KeyFile} is missing but {wrapped} person keys need it: restore the file from its backup (Membership:KeyFile). Starting with a new key would make every opted-in address unreadable.");
            }
        }

        keys.Load();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
