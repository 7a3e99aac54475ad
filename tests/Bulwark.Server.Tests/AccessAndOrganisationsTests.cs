using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Server.Tests.Support;

namespace Bulwark.Server.Tests;

public abstract class AccessAndOrganisationsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    [Fact]
    public async Task Health_and_openapi_answer()
    {
        var client = server.As(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready", TestContext.Current.CancellationToken));
        using var openapi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        Assert.True(openapi.RootElement.GetProperty("paths").TryGetProperty("/api/v1/organisations/applications", out _));
    }

    [Fact]
    public async Task Anonymous_and_unknown_keys_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(null).GetAsync("/api/v1/organisations", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As("bwk_000000000000_nope").GetAsync("/api/v1/organisations", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As("not-even-a-key").GetAsync("/api/v1/keys", ct)).StatusCode);
    }

    [Fact]
    public async Task Organisation_keys_see_only_their_organisation()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await server.CreateMemberAsync("Org A");
        var b = await server.CreateMemberAsync("Org B");
        var asA = server.As(a.AdminToken);

        var list = await asA.GetFromJsonAsync<JsonElement>("/api/v1/organisations", Json, ct);
        Assert.Equal([a.Id], list.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.OK, (await asA.GetAsync($"/api/v1/organisations/{a.Id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.GetAsync($"/api/v1/organisations/{b.Id}", ct)).StatusCode);

        // Ingest keys cannot read, and nobody but the operator manages keys.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.As(a.IngestToken).GetAsync("/api/v1/organisations", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asA.GetAsync("/api/v1/keys", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asA.PostAsJsonAsync($"/api/v1/organisations/{a.Id}/admit", new { }, Json, ct)).StatusCode);
    }

    [Fact]
    public async Task Org_admin_creates_ingest_keys_for_its_own_organisation_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await server.CreateMemberAsync("Org C");
        var b = await server.CreateMemberAsync("Org D");
        var asA = server.As(a.AdminToken);

        var own = await asA.PostAsJsonAsync($"/api/v1/organisations/{a.Id}/keys", new { name = "mail server", scope = "OrganisationIngest" }, Json, ct);
        var other = await asA.PostAsJsonAsync($"/api/v1/organisations/{b.Id}/keys", new { name = "sneaky", scope = "OrganisationIngest" }, Json, ct);
        var admin = await asA.PostAsJsonAsync($"/api/v1/organisations/{a.Id}/keys", new { name = "escalate", scope = "OrganisationAdmin" }, Json, ct);

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.StartsWith("bwk_", (await own.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
    }

    [Fact]
    public async Task Revoked_keys_stop_working()
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await server.Operator.PostAsJsonAsync("/api/v1/keys", new { name = "temp analyst", scope = "Analyst" }, Json, ct);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("key").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await server.As(token).GetAsync("/api/v1/organisations", ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Operator.DeleteAsync($"/api/v1/keys/{id}", ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.As(token).GetAsync("/api/v1/organisations", ct)).StatusCode);
    }

    [Fact]
    public async Task A_keys_last_use_is_recorded_and_listed()
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await server.Operator.PostAsJsonAsync("/api/v1/keys", new { name = "used analyst", scope = "Analyst" }, Json, ct);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        var id = created.GetProperty("key").GetProperty("id").GetGuid();
        Assert.Equal(JsonValueKind.Null, created.GetProperty("key").GetProperty("lastUsedAt").ValueKind);
        var before = TimeProvider.System.GetUtcNow();

        Assert.Equal(HttpStatusCode.OK, (await server.As(created.GetProperty("token").GetString()).GetAsync("/api/v1/organisations", ct)).StatusCode);

        var keys = await server.Operator.GetFromJsonAsync<JsonElement>("/api/v1/keys", Json, ct);
        var used = keys.EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id).GetProperty("lastUsedAt").GetDateTimeOffset();
        Assert.InRange(used, before.AddSeconds(-1), TimeProvider.System.GetUtcNow().AddSeconds(1));
    }

    [Theory]
    [InlineData("{\"name\":\"X\",\"sector\":\"Bakery\",\"country\":\"FR\"}", "$.sector")]
    [InlineData("{\"name\":\"X\",\"sector\":\"Ngo\",", "LineNumber: 0")]
    [InlineData("[1,2,3]", "could not be converted")]
    public async Task Malformed_applications_get_problem_details_naming_the_fault(string body, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await server.As(null).PostAsync("/api/v1/organisations/applications", new StringContent(body, Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ineligible_country_is_refused_with_the_field_named()
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await server.As(null).PostAsJsonAsync("/api/v1/organisations/applications", new { name = "Y", sector = "Ngo", country = "ZZ" }, Json, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        Assert.Equal(
            "country 'ZZ' is not eligible on this instance (ISO 3166-1 alpha-2 codes; see GET /api/v1/eligibility)",
            problem.GetProperty("errors").GetProperty("country")[0].GetString());
    }

    [Fact]
    public async Task Admitting_twice_is_a_conflict_and_decisions_are_audited_in_an_intact_chain()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await server.CreateMemberAsync("Org E");

        var again = await server.Operator.PostAsJsonAsync($"/api/v1/organisations/{member.Id}/admit", new { }, Json, ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var audit = await server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}", Json, ct);
        Assert.True(audit.GetProperty("chainIntact").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("organisation.admit", actions);
        Assert.Equal(2, actions.Count(a => a == "key.create"));
    }
}

public sealed class AccessAndOrganisationsSqliteTests(SqliteServer server) : AccessAndOrganisationsTests<SqliteServer>(server);

public sealed class AccessAndOrganisationsPostgresTests(PostgresServer server) : AccessAndOrganisationsTests<PostgresServer>(server);
