using System.Security.Cryptography;
using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal;

/// <summary>Creates portal accounts: the instance's first operator, and staff accounts made by an operator.</summary>
public sealed class PortalAccounts(UserManager<PortalUser> users, RoleManager<IdentityRole<Guid>> roles, TimeProvider time)
{
    public const string FirstOperatorName = "operator";

    /// <summary>
    /// On a new instance (no operator account yet), creates the account <c>operator</c> with a random one-time
    /// password and returns that password (to be shown once); null when an operator exists already.
    /// </summary>
    public async Task<string?> EnsureFirstOperatorAsync(CancellationToken ct)
    {
        await EnsureRolesAsync();
        if ((await users.GetUsersInRoleAsync(PortalRoles.Operator)).Count > 0)
        {
            return null;
        }

        var password = OneTimePassword();
        var user = await CreateStaffAsync(FirstOperatorName, null, PortalRoles.Operator, password, ct);
        return user is null ? null : password;
    }

    /// <summary>Creates an operator or analyst account holding a one-time password that must be replaced at first sign-in.</summary>
    public async Task<PortalUser?> CreateStaffAsync(string userName, string? email, string role, string oneTimePassword, CancellationToken ct)
    {
        await EnsureRolesAsync();
        if (await users.Users.AnyAsync(u => u.NormalizedUserName == users.NormalizeName(userName), ct))
        {
            return null;
        }

        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            UserName = userName,
            Email = email,
            MustChangePassword = true,
            CreatedAt = time.GetUtcNow(),
        };
        Check(await users.CreateAsync(user, oneTimePassword));
        Check(await users.AddToRoleAsync(user, role));
        return user;
    }

    /// <summary>Twenty characters from an alphabet without look-alikes, grouped for reading aloud.</summary>
    public static string OneTimePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return string.Join('-', chars.Chunk(5).Select(c => new string(c)));
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7(time.GetUtcNow()) }));
            }
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("portal account: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
