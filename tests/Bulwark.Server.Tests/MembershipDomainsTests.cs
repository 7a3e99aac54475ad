using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>Domains proved by a TXT record, looked up in a real DNS server (dnsmasq) on loopback.</summary>
public abstract class MembershipDomainsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : MembershipServer
{
    private static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claiming_a_domain_answers_the_TXT_record_to_publish_at_its_apex()
    {
        var member = await server.AdmitAsync("Newsroom A");
        var label = Label();

        var response = await server.As(member.AdminToken).PostAsJsonAsync(Domains(member), new { name = $" {label.ToUpperInvariant()}.Test. " }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var domain = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var name = $"{label}.test";
        Assert.Equal(name, domain.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, domain.GetProperty("verifiedAt").ValueKind);
        var record = domain.GetProperty("record");
        Assert.Equal(name, record.GetProperty("name").GetString());
        Assert.Equal("TXT", record.GetProperty("type").GetString());
        Assert.Matches("^bulwark-verification=[0-9a-f]{32}$", record.GetProperty("value").GetString());

        var listed = await server.As(member.AdminToken).GetFromJsonAsync<JsonElement>(Domains(member), Json, Ct);
        Assert.Equal([name], listed.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Published_record_verifies_the_domain_among_other_TXT_records()
    {
        server.Dns.EnsureAvailable();
        var member = await server.AdmitAsync("Newsroom B");
        var (id, name, value) = await ClaimAsync(member);
        await server.Dns.AddTxtAsync(name, "v=spf1 -all");
        await server.Dns.AddTxtAsync(name, value);

        var response = await server.As(member.AdminToken).PostAsync($"{Domains(member)}/{id}/verify", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var domain = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal(server.Clock.GetUtcNow(), domain.GetProperty("verifiedAt").GetDateTimeOffset());
        var stored = await server.WithDbAsync(db => db.Domains.SingleAsync(d => d.Id == id, Ct));
        Assert.Equal(server.Clock.GetUtcNow(), stored.VerifiedAt);
        var audit = await server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={member.Id}&action=domain.verify", Json, Ct);
        Assert.Equal($"domain/{id}", Assert.Single(audit.GetProperty("entries").EnumerateArray()).GetProperty("target").GetString());
    }

    [Fact]
    public async Task A_record_split_into_several_strings_counts_as_one_value()
    {
        server.Dns.EnsureAvailable();
        var member = await server.AdmitAsync("Newsroom C");
        var (id, name, value) = await ClaimAsync(member);
        await server.Dns.AddTxtAsync(name, "bulwark-verification=", value["bulwark-verification=".Length..]);

        var response = await server.As(member.AdminToken).PostAsync($"{Domains(member)}/{id}/verify", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_token_is_a_conflict_that_shows_what_was_found()
    {
        server.Dns.EnsureAvailable();
        var member = await server.AdmitAsync("Newsroom D");
        var (id, name, value) = await ClaimAsync(member);
        var stale = "bulwark-verification=" + new string('0', 32);
        await server.Dns.AddTxtAsync(name, stale);
        await server.Dns.AddTxtAsync(name, "v=spf1 -all");

        var response = await server.As(member.AdminToken).PostAsync($"{Domains(member)}/{id}/verify", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal("The verification record was not found", problem.GetProperty("title").GetString());
        Assert.Equal(value, problem.GetProperty("expected").GetString());
        Assert.Equal(
            new[] { stale, "v=spf1 -all" }.Order(StringComparer.Ordinal),
            problem.GetProperty("found").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal));
        Assert.StartsWith($"{name} has 2 TXT record(s), none of them {value}; found: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null((await server.WithDbAsync(db => db.Domains.SingleAsync(d => d.Id == id, Ct))).VerifiedAt);
    }

    [Fact]
    public async Task Name_without_TXT_records_is_a_conflict_naming_the_record_to_publish()
    {
        server.Dns.EnsureAvailable();
        var member = await server.AdmitAsync("Newsroom E");
        var (id, name, value) = await ClaimAsync(member);
        await server.Dns.AddHostAsync(name);

        var problem = await VerifyProblemAsync(member, id, HttpStatusCode.Conflict);

        Assert.Equal($"{name} has no TXT record: publish a TXT record at {name} with the value {value}, then verify again", problem.GetProperty("detail").GetString());
        Assert.Equal("NoError", problem.GetProperty("dns").GetString());
        Assert.Empty(problem.GetProperty("found").EnumerateArray());
    }

    [Fact]
    public async Task Domain_that_does_not_exist_is_a_conflict_saying_NXDOMAIN()
    {
        server.Dns.EnsureAvailable();
        var member = await server.AdmitAsync("Newsroom F");
        var (id, name, value) = await ClaimAsync(member);

        var problem = await VerifyProblemAsync(member, id, HttpStatusCode.Conflict);

        Assert.Equal($"{name} does not exist in DNS (NXDOMAIN): publish a TXT record at {name} with the value {value}, then verify again", problem.GetProperty("detail").GetString());
        Assert.Equal("NotExistentDomain", problem.GetProperty("dns").GetString());
    }

    [Fact]
    public async Task Silent_DNS_server_times_out_with_504_and_a_later_try_succeeds()
    {
        server.Dns.EnsureAvailable();
        var member = await server.AdmitAsync("Newsroom G");
        var (id, name, value) = await ClaimAsync(member);
        await server.Dns.AddTxtAsync(name, value);

        server.Dns.Pause();
        JsonElement problem;
        try
        {
            problem = await VerifyProblemAsync(member, id, HttpStatusCode.GatewayTimeout);
        }
        finally
        {
            server.Dns.Resume();
        }

        Assert.Equal($"no DNS server answered for {name} within 2 s; try again later", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.As(member.AdminToken).PostAsync($"{Domains(member)}/{id}/verify", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Names_are_unique_across_members_until_an_unverified_claim_lapses()
    {
        var a = await server.AdmitAsync("Party A");
        var b = await server.AdmitAsync("Party B");
        var (idA, name, _) = await ClaimAsync(a);
        var (verifiedId, verifiedName, _) = await ClaimAsync(a);
        await server.WithDbAsync(db => db.Domains.Where(d => d.Id == verifiedId).ExecuteUpdateAsync(s => s.SetProperty(d => d.VerifiedAt, server.Clock.GetUtcNow()), Ct));

        var taken = await server.As(b.AdminToken).PostAsJsonAsync(Domains(b), new { name }, Json, Ct);
        var again = await server.As(a.AdminToken).PostAsJsonAsync(Domains(a), new { name }, Json, Ct);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal($"{name} is already claimed on this instance; if it is yours, ask the operator", await DetailAsync(taken));
        Assert.Equal($"this organisation already claimed {name} (domain {idA})", await DetailAsync(again));

        server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var lapsed = await server.As(b.AdminToken).PostAsJsonAsync(Domains(b), new { name }, Json, Ct);
        var verified = await server.As(b.AdminToken).PostAsJsonAsync(Domains(b), new { name = verifiedName }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, lapsed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, verified.StatusCode);
        var listA = await server.As(a.AdminToken).GetFromJsonAsync<JsonElement>(Domains(a), Json, Ct);
        Assert.Equal([verifiedName], listA.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Another_members_domains_are_not_found()
    {
        var a = await server.AdmitAsync("Party C");
        var b = await server.AdmitAsync("Party D");
        var (idB, _, _) = await ClaimAsync(b);
        var asA = server.As(a.AdminToken);

        Assert.Equal(HttpStatusCode.NotFound, (await asA.GetAsync(Domains(b), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.PostAsJsonAsync(Domains(b), new { name = $"{Label()}.test" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.PostAsync($"{Domains(b)}/{idB}/verify", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.PostAsync($"{Domains(a)}/{idB}/verify", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.DeleteAsync($"{Domains(a)}/{idB}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asA.DeleteAsync($"{Domains(b)}/{idB}", Ct)).StatusCode);
        Assert.Empty((await asA.GetFromJsonAsync<JsonElement>(Domains(a), Json, Ct)).EnumerateArray());

        // Ingest keys manage nothing; staff read, and the read is audited.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.As(b.IngestToken).GetAsync(Domains(b), Ct)).StatusCode);
        Assert.Single((await server.Operator.GetFromJsonAsync<JsonElement>(Domains(b), Json, Ct)).EnumerateArray());
        var audit = await server.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?organisationId={b.Id}&action=domain.list", Json, Ct);
        Assert.Single(audit.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task Removing_a_domain_frees_its_name()
    {
        var member = await server.AdmitAsync("Party E");
        var (id, name, _) = await ClaimAsync(member);

        Assert.Equal(HttpStatusCode.NoContent, (await server.As(member.AdminToken).DeleteAsync($"{Domains(member)}/{id}", Ct)).StatusCode);

        var other = await server.AdmitAsync("Party F");
        Assert.Equal(HttpStatusCode.Created, (await server.As(other.AdminToken).PostAsJsonAsync(Domains(other), new { name }, Json, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("", "a domain name is required, e.g. example.org")]
    [InlineData("localhost", "'localhost' is not a domain name with at least two labels, e.g. example.org")]
    [InlineData("-bad.test", "the label '-bad' may not start or end with a hyphen")]
    [InlineData("exa mple.test", "the label 'exa mple' may hold only letters, digits and hyphens")]
    [InlineData("a..test", "'a..test' has an empty label")]
    [InlineData("_dmarc.example.test", "the label '_dmarc' may hold only letters, digits and hyphens")]
    [InlineData("example.test/evil", "the label 'test/evil' may hold only letters, digits and hyphens")]
    [InlineData("192.168.1.1", "'192.168.1.1' looks like an IP address, not a domain name")]
    [InlineData("bücher.test", "use the ASCII form of an internationalised domain name (its xn-- labels)")]
    [InlineData("LONG_LABEL", "the label 'aaaaaaaaaaaaaaaaaaaa…' is longer than 63 characters")]
    [InlineData("LONG_NAME", "a domain name has at most 253 characters (this one has 259)")]
    public async Task Bad_domain_names_are_refused_naming_the_fault(string name, string expected)
    {
        var member = await server.AdmitAsync("Party G");
        name = name switch
        {
            "LONG_LABEL" => new string('a', 64) + ".test",
            "LONG_NAME" => string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".test",
            _ => name,
        };

        var response = await server.As(member.AdminToken).PostAsJsonAsync(Domains(member), new { name }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal(expected, problem.GetProperty("errors").GetProperty("name")[0].GetString());
    }

    [Theory]
    [InlineData("{\"name\":42}", "$.name")]
    [InlineData("{\"name\":[\"a.test\"]}", "$.name")]
    [InlineData("{\"name\":\"a.test\"", "LineNumber: 0")]
    [InlineData("\"a.test\"", "could not be converted")]
    public async Task Mistyped_domain_requests_get_problem_details_naming_the_fault(string body, string expected)
    {
        var member = await server.AdmitAsync("Party H");

        var response = await server.As(member.AdminToken).PostAsync(Domains(member), new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await DetailAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dns:Servers:0", "resolver.example:53", "Dns:Servers:0 must be an IP address with an optional port, e.g. 127.0.0.1:53 or [::1]:5353 (is 'resolver.example:53')")]
    [InlineData("Dns:Timeout", "00:05:00", "Dns:Timeout must be between 00:00:00.1 and 00:01:00 (is 00:05:00)")]
    [InlineData("Dns:Retries", "9", "Dns:Retries must be between 0 and 5 (is 9)")]
    [InlineData("Membership:CodeDigits", "4", "CodeDigits")]
    [InlineData("Membership:InvitationLifetime", "365.00:00:00", "InvitationLifetime")]
    public void Bad_settings_stop_the_start_naming_the_key(string key, string value, string expected)
    {
        server.EnsureAvailable();
        using var misconfigured = server.WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());

        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
    }

    private static string Label() => "d" + Guid.NewGuid().ToString("N")[..16];

    private static string Domains(Member member) => $"/api/v1/organisations/{member.Id}/domains";

    private async Task<(Guid Id, string Name, string Value)> ClaimAsync(Member member)
    {
        var response = await server.As(member.AdminToken).PostAsJsonAsync(Domains(member), new { name = $"{Label()}.test" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var domain = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        return (domain.GetProperty("id").GetGuid(), domain.GetProperty("name").GetString()!, domain.GetProperty("record").GetProperty("value").GetString()!);
    }

    private async Task<JsonElement> VerifyProblemAsync(Member member, Guid id, HttpStatusCode expected)
    {
        var response = await server.As(member.AdminToken).PostAsync($"{Domains(member)}/{id}/verify", null, Ct);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("detail").GetString();
}

public sealed class MembershipDomainsSqliteTests(MembershipSqliteServer server) : MembershipDomainsTests<MembershipSqliteServer>(server);

public sealed class MembershipDomainsPostgresTests(MembershipPostgresServer server) : MembershipDomainsTests<MembershipPostgresServer>(server);
