using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Membership;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Storage;
using Bulwark.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>
/// An organisation sees a person's personal-account findings only with that person's live consent, in the API as in
/// the portal: never inside an incident of its own, never as an incident of their own. Staff see everything.
/// </summary>
public abstract class IncidentVisibilityTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    [Fact]
    public async Task Personal_findings_reach_the_organisation_only_with_consent()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync("Visibility org");
        var now = TimeProvider.System.GetUtcNow();
        Guid Id() => Guid.CreateVersion7(now);
        var privatePerson = Id();
        var sharingPerson = Id();
        var account = Id();
        var (orgIncident, privateIncident, sharedIncident) = (Id(), Id(), Id());
        var (orgFinding, privateFinding, sharedFinding, privateAlone, sharedAlone) = ("f-org", "f-private", "f-shared", "f-private-alone", "f-shared-alone");

        await using (var scope = server.Services.CreateAsyncScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<TenantDatabase>().Open(member.Id))
        {
            foreach (var (id, name) in new[] { (privatePerson, "Private Person"), (sharingPerson, "Sharing Person") })
            {
                db.People.Add(new Person { Id = id, OrganisationId = member.Id, DisplayName = name, WorkEmail = $"{id:N}@example.org", CreatedAt = now });
            }

            db.PersonalAccounts.Add(new PersonalAccount
            {
                Id = account,
                OrganisationId = member.Id,
                PersonId = sharingPerson,
                EncryptedAddress = [1],
                AddressLookup = [2],
                VerifiedAt = now,
                OrganisationMayView = true,
                CreatedAt = now,
            });
            db.Consents.Add(new ConsentRecord { Id = Id(), OrganisationId = member.Id, PersonId = sharingPerson, Scope = Consents.OrganisationView(account), Statement = Consents.OrganisationViewStatement, GrantedAt = now });
            db.Incidents.AddRange(
                Incident(orgIncident, member.Id, null, "infrastructure", "198.51.100.7", now),
                Incident(privateIncident, member.Id, privatePerson, "identity", "private", now),
                Incident(sharedIncident, member.Id, sharingPerson, "identity", "shared", now));
            db.Findings.AddRange(
                Finding(member.Id, orgIncident, null, orgFinding, now),
                Finding(member.Id, orgIncident, privatePerson, privateFinding, now),
                Finding(member.Id, orgIncident, sharingPerson, sharedFinding, now),
                Finding(member.Id, privateIncident, privatePerson, privateAlone, now),
                Finding(member.Id, sharedIncident, sharingPerson, sharedAlone, now));
            await db.SaveChangesAsync(ct);
        }

        var admin = server.As(member.AdminToken);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents?pageSize=200", BulwarkServer.Json, ct);
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{orgIncident}", BulwarkServer.Json, ct);
        var hidden = await admin.GetAsync($"/api/v1/incidents/{privateIncident}", ct);
        var staff = await server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{orgIncident}", BulwarkServer.Json, ct);

        Assert.Equal(
            new[] { orgIncident, sharedIncident }.Order(),
            list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Order());
        Assert.Equal(
            new[] { orgFinding, sharedFinding }.Order(StringComparer.Ordinal),
            detail.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("findingId").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(3, staff.GetProperty("findings").GetArrayLength());
    }

    private static Incident Incident(Guid id, Guid org, Guid? person, string family, string key, DateTimeOffset now) => new()
    {
        Id = id,
        OrganisationId = org,
        PersonId = person,
        Family = family,
        GroupKey = key,
        Title = "Suspicious sign-in",
        Severity = Severity.High,
        Confidence = Confidence.High,
        Status = IncidentStatus.Unconfirmed,
        FirstSeen = now,
        LastSeen = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static FindingRecord Finding(Guid org, Guid incident, Guid? person, string findingId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrganisationId = org,
        IncidentId = incident,
        PersonId = person,
        FindingId = findingId,
        DetectionId = "identity.sign-in.suspicious",
        Title = "Suspicious sign-in",
        Severity = Severity.High,
        Confidence = Confidence.High,
        FirstSeen = now,
        LastSeen = now,
        Subject = "198.51.100.7",
        EvidenceJson = "[]",
        Remediation = "Change the password.",
        Source = "test",
        ReceivedAt = now,
    };
}

public sealed class IncidentVisibilitySqliteTests(SqliteServer server) : IncidentVisibilityTests<SqliteServer>(server);

public sealed class IncidentVisibilityPostgresTests(PostgresServer server) : IncidentVisibilityTests<PostgresServer>(server);
