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

    /// <summary>An operator or analyst account as the operator's staff page lists it.</summary>
    public sealed record StaffAccount(PortalUser User, IReadOnlyList<string> Roles, int Passkeys);

    /// <summary>Why a role change was refused, or null when it was made.</summary>
    public enum RoleChangeRefusal
    {
        UnknownRole,
        AlreadyHeld,
        NotHeld,

        /// <summary>The instance would have no operator left to run it.</summary>
        LastOperator,
    }

    private static readonly SemaphoreSlim RoleLock = new(1, 1);

    /// <summary>Every account holding an instance role (operator or analyst), by user name.</summary>
    public async Task<IReadOnlyList<StaffAccount>> ListStaffAsync(CancellationToken ct)
    {
        var staff = new Dictionary<Guid, PortalUser>();
        foreach (var role in PortalRoles.All)
        {
            foreach (var user in await users.GetUsersInRoleAsync(role))
            {
                staff.TryAdd(user.Id, user);
            }
        }

        var accounts = new List<StaffAccount>();
        foreach (var user in staff.Values.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase))
        {
            ct.ThrowIfCancellationRequested();
            var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
            accounts.Add(new StaffAccount(user, roles, (await users.GetPasskeysAsync(user)).Count));
        }

        return accounts;
    }

    /// <summary>Gives <paramref name="user"/> an instance role.</summary>
    public async Task<RoleChangeRefusal?> AddRoleAsync(PortalUser user, string role)
    {
        if (!PortalRoles.All.Contains(role))
        {
            return RoleChangeRefusal.UnknownRole;
        }

        await EnsureRolesAsync();
        if (await users.IsInRoleAsync(user, role))
        {
            return RoleChangeRefusal.AlreadyHeld;
        }

        Check(await users.AddToRoleAsync(user, role));
        return null;
    }

    /// <summary>Takes an instance role from <paramref name="user"/>; the last operator keeps theirs.</summary>
    public async Task<RoleChangeRefusal?> RemoveRoleAsync(PortalUser user, string role)
    {
        if (!PortalRoles.All.Contains(role))
        {
            return RoleChangeRefusal.UnknownRole;
        }

        // One role change at a time in this process, so two operators cannot remove each other at once.
        await RoleLock.WaitAsync();
        try
        {
            if (!await users.IsInRoleAsync(user, role))
            {
                return RoleChangeRefusal.NotHeld;
            }

            if (role == PortalRoles.Operator && (await users.GetUsersInRoleAsync(PortalRoles.Operator)).Count <= 1)
            {
                return RoleChangeRefusal.LastOperator;
            }

            Check(await users.RemoveFromRoleAsync(user, role));
            return null;
        }
        finally
        {
            RoleLock.Release();
        }
    }

    /// <summary>Ends a lockout and forgets the failed attempts that caused it.</summary>
    public async Task UnlockAsync(PortalUser user)
    {
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
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
