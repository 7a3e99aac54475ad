using System.Net.Http.Json;
using System.Text.Json;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// Creates admitted organisations and keys through the API, whatever host the test runs: it takes the host's
/// way of making a client for a bearer token (null = anonymous).
/// </summary>
public static class Members
{
    /// <summary>An admitted organisation with an admin key and an ingest key.</summary>
    public static async Task<Member> CreateAsync(Func<string?, HttpClient> client, string name, string sector = "PoliticalParty", string country = "FR")
    {
        var applied = await client(null).PostAsJsonAsync("/api/v1/organisations/applications", new { name, sector, country }, BulwarkServer.Json);
        applied.EnsureSuccessStatusCode();
        var org = (await applied.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json)).GetProperty("id").GetGuid();
        (await client(BulwarkServer.BootstrapToken).PostAsJsonAsync($"/api/v1/organisations/{org}/admit", new { reason = "eligible" }, BulwarkServer.Json)).EnsureSuccessStatusCode();
        return new Member(org, await CreateKeyAsync(client, "admin", "OrganisationAdmin", org), await CreateKeyAsync(client, "ingest", "OrganisationIngest", org));
    }

    /// <summary>A key created by the bootstrap operator; returns its token.</summary>
    public static async Task<string> CreateKeyAsync(Func<string?, HttpClient> client, string name, string scope, Guid? organisationId)
    {
        var response = await client(BulwarkServer.BootstrapToken).PostAsJsonAsync("/api/v1/keys", new { name, scope, organisationId }, BulwarkServer.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json)).GetProperty("token").GetString()!;
    }
}
