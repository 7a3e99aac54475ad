using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// The server for the membership tests: a real database, a real DNS server (dnsmasq), optionally a real SMTP
/// server (smtp4dev) and a manual clock. On PostgreSQL the server connects as an ordinary role that owns its
/// database, so row-level security (ADR 10) applies to every membership query, as in production; members are
/// therefore admitted directly in the database rather than through the anonymous application endpoint.
/// </summary>
public abstract class MembershipServer(bool email) : BulwarkServer
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public DnsmasqServer Dns { get; } = new();

    public Smtp4Dev? Smtp { get; private set; }

    public ManualClock Clock { get; } = new(Start);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        if (Unavailable is not null)
        {
            return;
        }

        await Dns.StartAsync();
        Settings["Dns:Servers:0"] = Dns.Unavailable is null ? Dns.EndPoint : "127.0.0.1:9";
        Settings["Dns:Timeout"] = "00:00:02";
        Settings["Dns:Retries"] = "0";
        if (email)
        {
            try
            {
                Smtp = await Smtp4Dev.StartAsync(TestContext.Current.CancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException && Environment.GetEnvironmentVariable("CI") != "true")
            {
                Unavailable = "the membership email tests need smtp4dev: run `dotnet tool restore` (./test.sh does). " + e.Message;
                return;
            }

            Settings["Smtp:Host"] = "127.0.0.1";
            Settings["Smtp:Port"] = Smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Settings["Smtp:Security"] = "None";
            Settings["Smtp:From"] = "Bulwark <membership@bulwark.test>";
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Dns.Dispose();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }

    public HttpClient As(string? token, string clientAddress)
    {
        var client = As(token);
        client.DefaultRequestHeaders.Add(ClientAddresses.Header, clientAddress);
        return client;
    }

    /// <summary>An admitted organisation, put in the database as the operator's admission would, with an admin key.</summary>
    public async Task<Member> AdmitAsync(string name)
    {
        EnsureAvailable();
        var id = Guid.CreateVersion7();
        await WithDbAsync(db =>
        {
            db.Organisations.Add(new Organisation
            {
                Id = id,
                Name = name,
                Sector = Sector.Journalism,
                Country = "FR",
                Status = OrganisationStatus.Admitted,
                CreatedAt = Clock.GetUtcNow(),
                AdmittedAt = Clock.GetUtcNow(),
            });
            return db.SaveChangesAsync();
        });
        return new Member(id, await CreateKeyAsync("admin", "OrganisationAdmin", id), await CreateKeyAsync("ingest", "OrganisationIngest", id));
    }

    /// <summary>A domain the organisation proved (the DNS path has its own tests).</summary>
    public Task AddVerifiedDomainAsync(Guid organisationId, string name) => WithDbAsync(db =>
    {
        db.Domains.Add(new OrganisationDomain
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            Name = name,
            VerificationToken = "seeded",
            CreatedAt = Clock.GetUtcNow(),
            VerifiedAt = Clock.GetUtcNow(),
        });
        return db.SaveChangesAsync();
    });

    /// <summary>Runs <paramref name="action"/> on a context that sees every organisation (no query filter, no row-level security).</summary>
    public Task<T> WithDbAsync<T>(Func<BulwarkDbContext, Task<T>> action) => WithDbAsync(null, action);

    /// <summary>Runs <paramref name="action"/> on a context whose query filter is limited to <paramref name="tenant"/> (null: every organisation).</summary>
    public async Task<T> WithDbAsync<T>(Guid? tenant, Func<BulwarkDbContext, Task<T>> action)
    {
        _ = Services; // the host's start creates and migrates the database
        var builder = new DbContextOptionsBuilder<BulwarkDbContext>();
        BulwarkDatabase.Configure(builder, new DatabaseOptions { Provider = Provider, ConnectionString = ConnectionString }, DataDirectory);
        await using var db = new BulwarkDbContext(builder.Options, tenant is { } org ? new FixedTenant(org) : FixedTenant.InstanceWide);
        return await action(db);
    }

    /// <summary>The messages smtp4dev received for the address, waiting (up to 10 s) until there are at least <paramref name="count"/>.</summary>
    public async Task<List<Smtp4Dev.Received>> MailToAsync(string address, int count = 1)
    {
        var smtp = Smtp ?? throw new InvalidOperationException("this fixture has no SMTP server");
        for (var waited = 0; ; waited += 100)
        {
            var messages = await smtp.MessagesToAsync(address, TestContext.Current.CancellationToken);
            if (messages.Count >= count || waited > 10_000)
            {
                return messages;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Invites <paramref name="email"/> (on a verified domain), reads the token from the real email and accepts it.</summary>
    public async Task<Joined> JoinAsync(Member member, string email, string displayName = "Ana Staff", string role = "Staff", string language = "en")
    {
        var ct = TestContext.Current.CancellationToken;
        var invited = await As(member.AdminToken).PostAsJsonAsync($"/api/v1/organisations/{member.Id}/invitations", new { email, role, language }, Json, ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, invited.StatusCode);
        var mail = await MailToAsync(email.ToLowerInvariant());
        var token = InvitationToken(mail[^1].Message.TextBody);
        var accepted = await As(null).PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName }, Json, ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, accepted.StatusCode);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        return new Joined(body.GetProperty("person").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!);
    }

    public static string InvitationToken(string? text) =>
        System.Text.RegularExpressions.Regex.Match(text ?? "", @"bwi_[a-z0-9-]+_[A-Za-z0-9_-]{43}") is { Success: true } m ? m.Value : throw new InvalidOperationException("no invitation token in: " + text);

    public static string Code(string? text) =>
        System.Text.RegularExpressions.Regex.Match(text ?? "", @"(?<!\d)\d{8}(?!\d)") is { Success: true } m ? m.Value : throw new InvalidOperationException("no code in: " + text);

    /// <summary>The server's own personal-data service (the instance key it holds).</summary>
    public PersonalData PersonalData => Services.GetRequiredService<PersonalData>();

    /// <summary>
    /// Every stored byte of the database, as text where the engine gives text: the SQLite files themselves, or
    /// every row of every table on PostgreSQL (bytea as hex). For asserting that something is nowhere at rest.
    /// </summary>
    public async Task<string> EverythingStoredAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var files = Directory.GetFiles(DataDirectory, "bulwark.db*");
            var bytes = new List<byte>();
            foreach (var file in files)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var buffer = new byte[stream.Length];
                await stream.ReadExactlyAsync(buffer);
                bytes.AddRange(buffer);
            }

            return System.Text.Encoding.Latin1.GetString([.. bytes]);
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var all = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \"{table}\" t", connection);
            all.AppendLine((string?)await rows.ExecuteScalarAsync());
        }

        return all.ToString();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddTransient<IStartupFilter, ClientAddresses>();
        });
    }
}

public sealed record Joined(Guid PersonId, string Token);

public sealed class MembershipSqliteServer() : MembershipServer(email: false)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class MembershipSqliteMailServer() : MembershipServer(email: true)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class MembershipPostgresServer() : MembershipPostgres(email: false);

public sealed class MembershipPostgresMailServer() : MembershipPostgres(email: true);

/// <summary>
/// PostgreSQL from <c>BULWARK_TEST_POSTGRES</c>, as an ordinary role (not a superuser, which would bypass
/// row-level security) that owns a database of its own.
/// </summary>
public abstract class MembershipPostgres(bool email) : MembershipServer(email)
{
    private string? _admin;
    private string? _database;
    private string? _role;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async ValueTask InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(_admin))
        {
            Unavailable = "PostgreSQL tests need BULWARK_TEST_POSTGRES (./test.sh starts a server and sets it)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException("CI must run the PostgreSQL tests: " + Unavailable);
            }

            return;
        }

        var suffix = Guid.NewGuid().ToString("N");
        _database = "bulwark_member_" + suffix;
        _role = "bulwark_member_" + suffix[..12];
        await ExecuteAsync($"CREATE ROLE {_role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
        await ExecuteAsync($"CREATE DATABASE {_database} OWNER {_role}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _database, Username = _role }.ConnectionString;
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            await ExecuteAsync($"DROP ROLE IF EXISTS {_role}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
