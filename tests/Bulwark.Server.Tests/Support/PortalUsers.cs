using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Portal;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// Portal accounts made straight in the database, for tests that start signed in; the portal's browser tests link this
/// file too, so both test projects seed accounts one way.
/// </summary>
public static class PortalUsers
{
    public const string Password = "correct horse battery staple 42";

    /// <summary>An operator or analyst account (no one-time password: ready to use).</summary>
    public static Task<PortalUser> CreateStaffAsync(BulwarkServer server, string userName, string role) =>
        CreateStaffAsync(server.Services, userName, role);

    /// <summary>As <see cref="CreateStaffAsync(BulwarkServer, string, string)"/>, through any host's services (a host with its own clock or SMTP server).</summary>
    public static async Task<PortalUser> CreateStaffAsync(IServiceProvider services, string userName, string role)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<PortalAccounts>();
        var user = await accounts.CreateStaffAsync(userName, null, role, Password, CancellationToken.None)
            ?? throw new InvalidOperationException($"user {userName} exists already");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var stored = await users.FindByIdAsync(user.Id.ToString());
        stored!.MustChangePassword = false;
        await users.UpdateAsync(stored);
        return stored;
    }

    /// <summary>A person of <paramref name="organisationId"/> with a portal account named after their work address.</summary>
    public static Task<(Person Person, PortalUser User)> CreatePersonAsync(
        BulwarkServer server, Guid organisationId, string workEmail, PersonRole role = PersonRole.Staff, string displayName = "Alex Martin", string language = "en") =>
        CreatePersonAsync(server.Services, organisationId, workEmail, role, displayName, language);

    /// <summary>As <see cref="CreatePersonAsync(BulwarkServer, Guid, string, PersonRole, string, string)"/>, through any host's services.</summary>
    public static async Task<(Person Person, PortalUser User)> CreatePersonAsync(
        IServiceProvider services, Guid organisationId, string workEmail, PersonRole role = PersonRole.Staff, string displayName = "Alex Martin", string language = "en")
    {
        await using var scope = services.CreateAsyncScope();
        var now = TimeProvider.System.GetUtcNow();
        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            DisplayName = displayName,
            WorkEmail = workEmail,
            Role = role,
            Language = language,
            CreatedAt = now,
        };
        await using (var db = scope.ServiceProvider.GetRequiredService<TenantDatabase>().Open(organisationId))
        {
            db.People.Add(person);
            await db.SaveChangesAsync();
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(),
            UserName = workEmail,
            Email = workEmail,
            OrganisationId = organisationId,
            PersonId = person.Id,
            Language = language,
            CreatedAt = now,
        };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        return (person, user);
    }

    /// <summary>Turns on TOTP for the user and returns its secret (base32), as an authenticator app would hold it.</summary>
    public static async Task<string> EnableTotpAsync(BulwarkServer server, PortalUser user)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var stored = await users.FindByIdAsync(user.Id.ToString());
        await users.ResetAuthenticatorKeyAsync(stored!);
        var key = await users.GetAuthenticatorKeyAsync(stored!);
        await users.SetTwoFactorEnabledAsync(stored!, true);
        return key!;
    }

    public static string TotpCode(string base32Secret) => new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp();
}
