using System.IO.Compression;
using Bulwark.Core.Findings;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Portal;
using Bulwark.Server.Storage;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Bulwark.Portal.Tests.Support;

/// <summary>Portal accounts and data made straight in the service (as the server tests' PortalUsers do).</summary>
public static class Seed
{
    public const string Password = "correct horse battery staple 42";

    /// <summary>An operator or analyst account, ready to use (no one-time password).</summary>
    public static async Task<PortalUser> StaffAsync(BulwarkServer server, string userName, string role)
    {
        await using var scope = server.Services.CreateAsyncScope();
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
    public static async Task<(Person Person, PortalUser User)> PersonAsync(
        BulwarkServer server, Guid organisationId, string workEmail, PersonRole role, string displayName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var now = TimeProvider.System.GetUtcNow();
        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            DisplayName = displayName,
            WorkEmail = workEmail,
            Role = role,
            Language = "en",
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
            Language = "en",
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
    public static async Task<string> TotpAsync(BulwarkServer server, PortalUser user)
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

    /// <summary><c>samples/exchange-server</c> zipped into <paramref name="directory"/>, as a member would zip it.</summary>
    public static string SamplesZip(string directory)
    {
        var zip = Path.Combine(directory, "exchange-server.zip");
        ZipFile.CreateFromDirectory(Path.Combine(Screenshots.RepositoryRoot(), "samples", "exchange-server"), zip, CompressionLevel.Fastest, includeBaseDirectory: false);
        return zip;
    }

    /// <summary>
    /// A finding about <paramref name="personId"/>'s personal mailbox, attached to <paramref name="incidentId"/>.
    /// No detector writes findings about a person yet (personal-account monitoring is to come), so the one way a
    /// person gets a notice of their own is seeded here; confirming the incident then issues it as it will then.
    /// </summary>
    public static async Task PersonalFindingAsync(BulwarkServer server, Guid organisationId, Guid personId, Guid incidentId, DateTimeOffset seen)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<TenantDatabase>().Open(organisationId);
        db.Findings.Add(new FindingRecord
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            PersonId = personId,
            FindingId = Guid.NewGuid().ToString("N"),
            DetectionId = "personal.suspicious-sign-in",
            Title = "Suspicious sign-in to a personal mailbox",
            Severity = Severity.High,
            Confidence = Confidence.High,
            FirstSeen = seen,
            LastSeen = seen,
            Subject = "130.255.189.21",
            EvidenceCount = 1,
            EvidenceJson = "[]",
            Remediation = "Change the mailbox password and sign out of every session.",
            Source = "Bulwark built-in",
            Origin = FindingOrigin.Submitted,
            IncidentId = incidentId,
            ReceivedAt = TimeProvider.System.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }
}
