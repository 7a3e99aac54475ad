using System.IO.Compression;
using Bulwark.Core.Findings;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Storage;
using Bulwark.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Portal.Tests.Support;

/// <summary>
/// Portal accounts and data made straight in the service. Accounts are made by the server tests' <see cref="PortalUsers"/>
/// (linked into this project), the one seeding path both test projects share; what only the browser journey needs
/// (the samples as a zip, a finding about a person) is here.
/// </summary>
public static class Seed
{
    public const string Password = PortalUsers.Password;

    /// <summary>An operator or analyst account, ready to use (no one-time password).</summary>
    public static Task<PortalUser> StaffAsync(BulwarkServer server, string userName, string role) =>
        PortalUsers.CreateStaffAsync(server, userName, role);

    /// <summary>A person of <paramref name="organisationId"/> with a portal account named after their work address.</summary>
    public static Task<(Person Person, PortalUser User)> PersonAsync(BulwarkServer server, Guid organisationId, string workEmail, PersonRole role, string displayName) =>
        PortalUsers.CreatePersonAsync(server, organisationId, workEmail, role, displayName);

    /// <summary>Turns on TOTP for the user and returns its secret (base32), as an authenticator app would hold it.</summary>
    public static Task<string> TotpAsync(BulwarkServer server, PortalUser user) => PortalUsers.EnableTotpAsync(server, user);

    public static string TotpCode(string base32Secret) => PortalUsers.TotpCode(base32Secret);

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
