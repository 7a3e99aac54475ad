using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Cli.Submission;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Tests;

/// <summary>
/// The real Bulwark server on Kestrel (loopback, a free port) over SQLite in a temporary data directory, so
/// <c>bulwark scan --submit</c> talks HTTP to it exactly as it would to a deployed instance.
/// </summary>
public sealed class SubmitServer : WebApplicationFactory<Bulwark.Server.Storage.StorageOptions>
{
    public const string BootstrapToken = "cli-test-bootstrap-token-0123456789abcdef";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "bulwark-cli-server-" + Guid.NewGuid().ToString("N"));

    public SubmitServer()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = addresses.Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))).First();
    }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address { get; }

    public HttpClient As(string? token)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>An admitted organisation's (admin key, ingest key).</summary>
    public async Task<(string Admin, string Ingest)> CreateMemberAsync(string name)
    {
        var applied = await As(null).PostAsJsonAsync("/api/v1/organisations/applications", new { name, sector = "Journalism", country = "DE" }, Json);
        applied.EnsureSuccessStatusCode();
        var org = (await applied.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        (await As(BootstrapToken).PostAsJsonAsync($"/api/v1/organisations/{org}/admit", new { reason = "eligible" }, Json)).EnsureSuccessStatusCode();
        return (await KeyAsync("admin", "OrganisationAdmin", org), await KeyAsync("ingest", "OrganisationIngest", org));
    }

    public async Task<string> KeyAsync(string name, string scope, Guid? organisationId)
    {
        var response = await As(BootstrapToken).PostAsJsonAsync("/api/v1/keys", new { name, scope, organisationId }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("token").GetString()!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", _dataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Operator:BootstrapToken", BootstrapToken);
        builder.UseSetting("Ingestion:WorkerEnabled", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class SubmitTests(SubmitServer server) : IClassFixture<SubmitServer>
{
    [Fact]
    public async Task Scan_submit_sends_the_findings_and_prints_the_servers_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var (admin, ingest) = await server.CreateMemberAsync("Submitting Newsroom");

        var (exit, output, error) = Cli.Run("scan", Cli.Samples, "--format", "jsonl", "--submit", server.Address.ToString(), "--key", ingest);
        var again = Cli.Run("scan", Cli.Samples, "--format", "jsonl", "-q", "--submit", server.Address.ToString().TrimEnd('/'), "--key", ingest);

        Assert.Equal(ExitCodes.Findings, exit);
        Assert.Equal(24, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("bulwark: 24 findings (16 critical, 4 high, 4 medium) in 403 files", lines[^2], StringComparison.Ordinal);
        Assert.Equal($"bulwark: submitted 24 findings to {server.Address}: 24 accepted, 0 already there, 0 rejected", lines[^1]);

        // Quiet and already submitted: nothing to say, the exit code still tells findings.
        Assert.Equal((ExitCodes.Findings, ""), (again.Exit, again.Error));

        // On the server: the scan's findings, grouped into the samples' 16 incidents (ADR 7), under their own ids.
        var page = await server.As(admin).GetFromJsonAsync<JsonElement>("/api/v1/incidents?pageSize=200", SubmitServer.Json, ct);
        Assert.Equal(16, page.GetProperty("total").GetInt32());
        Assert.Equal(24, page.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("findings").GetInt32()));
        var chain = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("groupKey").GetString() == "130.255.189.21");
        var detail = await server.As(admin).GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{chain.GetProperty("id").GetGuid()}", SubmitServer.Json, ct);
        var submitted = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(f => f.GetProperty("subject").GetString() == "130.255.189.21").Select(f => f.GetProperty("id").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(submitted, detail.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("findingId").GetString()).Order(StringComparer.Ordinal));
        Assert.All(detail.GetProperty("findings").EnumerateArray(), f => Assert.Equal("Submitted", f.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task The_key_can_come_from_the_environment()
    {
        var (_, ingest) = await server.CreateMemberAsync("Environment Newsroom");
        var tree = new TempDir();
        tree.Write("W3SVC1/u_ex210304.log", File.ReadAllText(Path.Combine(Cli.Samples, "inetpub", "logs", "LogFiles", "W3SVC1", "u_ex210304.log")));

        Environment.SetEnvironmentVariable(FindingSubmitter.EnvironmentKey, ingest);
        (int Exit, string Out, string Error) result;
        try
        {
            result = Cli.Run("scan", tree.Root, "-q", "--format", "jsonl", "--submit", server.Address.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(FindingSubmitter.EnvironmentKey, null);
            tree.Dispose();
        }

        Assert.Equal((ExitCodes.Findings, ""), (result.Exit, result.Error));
    }

    [Fact]
    public void A_refused_key_exits_2_with_the_servers_reason()
    {
        var (exit, output, error) = Cli.Run("scan", Cli.Samples, "-q", "--format", "jsonl", "--submit", server.Address.ToString(), "--key", "bwk_000000000000_nope");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal(24, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("bulwark scan: --submit: the server refused the findings: 401 (unknown or revoked key)\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_staff_key_is_refused_with_403()
    {
        var analyst = await server.KeyAsync("cli analyst", "Analyst", null);

        var (exit, _, error) = Cli.Run("scan", Cli.Samples, "-q", "--format", "jsonl", "--submit", server.Address.ToString(), "--key", analyst);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.StartsWith("bulwark scan: --submit: the server refused the findings: 403 (this key may not submit findings: use an organisation's ingest or admin key)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_server_exits_2()
    {
        // Port 1 on loopback: nothing listens there.
        var (exit, _, error) = Cli.Run("scan", Cli.Samples, "-q", "--format", "jsonl", "--submit", "http://127.0.0.1:1", "--key", "bwk_x_y");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.StartsWith("bulwark scan: --submit: cannot reach http://127.0.0.1:1/: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--submit|http://bulwark.example.org|--key|k", "bulwark scan: --submit 'http://bulwark.example.org': use https; findings name your servers and attackers, and plain http is allowed only to this machine")]
    [InlineData("--submit|bulwark.example.org|--key|k", "bulwark scan: --submit 'bulwark.example.org': expected the server's address, e.g. https://bulwark.example.org")]
    [InlineData("--submit|https://bulwark.example.org", "bulwark scan: --submit needs the organisation's ingest key: --key KEY, or BULWARK_API_KEY")]
    [InlineData("--key|k", "bulwark scan: --key is only used with --submit URL")]
    public void Submit_usage_errors_exit_2_before_scanning(string options, string expected)
    {
        var (exit, output, error) = Cli.Run(["scan", Cli.Samples, .. options.Split('|')]);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("", output);
        Assert.Equal(expected + "\n", error.ReplaceLineEndings("\n"));
    }
}
