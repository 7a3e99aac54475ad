using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Membership;
using Bulwark.Server.Notification;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// The server on one database provider, wired to a real smtp4dev, a real webhook endpoint, a manual clock and
/// fixed jitter. The hosted delivery worker is off: tests run delivery passes themselves, so every instant is
/// theirs. Incidents are created directly in the database (as the ingestion module would) and issued through
/// the real <see cref="INoticeIssuer"/> in the same unit of work.
/// </summary>
public abstract class NotificationHost(BulwarkServer server) : IAsyncLifetime
{
    public const string FromAddress = "notices@alerts.bulwark.test";
    public const string DkimDomain = "alerts.bulwark.test";
    public const string DkimSelector = "test2026";
    public const int HourlyLimit = 3;

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LeaseTime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan EscalationDelay = TimeSpan.FromHours(4);
    public static readonly TimeSpan DedupWindow = TimeSpan.FromHours(24);

    private string? _keyDirectory;
    private WebApplicationFactory<Program>? _host;

    public BulwarkServer Server { get; } = server;

    public ManualClock Clock { get; } = new(Start);

    public FixedJitter Jitter { get; } = new();

    public Smtp4Dev Smtp { get; private set; } = null!;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    /// <summary>The DKIM key the server signs with; tests verify with its public half.</summary>
    public RSA DkimKey { get; } = RSA.Create(2048);

    public WebApplicationFactory<Program> Host => _host ?? throw new InvalidOperationException(Server.Unavailable ?? "not started");

    public TenantDatabase Databases => Host.Services.GetRequiredService<TenantDatabase>();

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        if (Server.Unavailable is not null)
        {
            return;
        }

        var ct = TestContext.Current.CancellationToken;
        Smtp = await Smtp4Dev.StartAsync(ct);
        Webhooks = await WebhookReceiver.StartAsync();
        _keyDirectory = Path.Combine(Path.GetTempPath(), "bulwark-dkim-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_keyDirectory);
        var keyPath = Path.Combine(_keyDirectory, "dkim.pem");
        await File.WriteAllTextAsync(keyPath, DkimKey.ExportRSAPrivateKeyPem(), ct);

        foreach (var (key, value) in Settings(keyPath))
        {
            Server.Settings[key] = value;
        }

        _host = Server.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<IJitterSource>(Jitter);
            s.AddTransient<IStartupFilter, RandomClientAddress>();
        }));
        _ = _host.Server;
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing the server disposes the hosts derived from it.
        await Server.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }

        if (Webhooks is not null)
        {
            await Webhooks.DisposeAsync();
        }

        DkimKey.Dispose();
        if (_keyDirectory is not null)
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    public Dictionary<string, string?> Settings(string dkimKeyPath) => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = $"Bulwark notices <{FromAddress}>",
        ["Smtp:DkimDomain"] = DkimDomain,
        ["Smtp:DkimSelector"] = DkimSelector,
        ["Smtp:DkimPrivateKeyPath"] = dkimKeyPath,
        ["Notifications:RunWorker"] = "false",
        ["Notifications:BatchSize"] = "200",
        ["Notifications:MaxAttempts"] = "3",
        ["Notifications:BackoffBase"] = BackoffBase.ToString(),
        ["Notifications:LeaseTime"] = LeaseTime.ToString(),
        ["Notifications:SendTimeout"] = "00:00:10",
        ["Notifications:MaxEmailsPerRecipientPerHour"] = HourlyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:DedupWindow"] = DedupWindow.ToString(),
        ["Notifications:EscalationDelay"] = EscalationDelay.ToString(),
        ["Notifications:AllowLoopbackWebhooks"] = "true",
    };

    public void EnsureAvailable() => Server.EnsureAvailable();

    public HttpClient As(string? token)
    {
        EnsureAvailable();
        var client = Host.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient Operator => As(BulwarkServer.BootstrapToken);

    /// <summary>An admitted organisation with an admin key and an ingest key.</summary>
    public Task<Member> CreateMemberAsync(string name) => Members.CreateAsync(As, name);

    public Task<string> CreateKeyAsync(string name, string scope, Guid? organisationId) => Members.CreateKeyAsync(As, name, scope, organisationId);

    /// <summary>Adds a notice contact through the API; returns its (normalised) address.</summary>
    public async Task<string> AddContactAsync(Member member, string email, int escalationOrder = 0, string language = "en")
    {
        var response = await As(member.AdminToken).PostAsJsonAsync(
            $"/api/v1/organisations/{member.Id}/contacts", new { email, name = "Security contact", escalationOrder, language }, BulwarkServer.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json)).GetProperty("email").GetString()!;
    }

    /// <summary>Registers a webhook at the receiver's endpoint <paramref name="name"/> and gives the receiver its secret.</summary>
    public async Task<(Guid Id, string Secret)> AddWebhookAsync(Member member, string name)
    {
        var response = await As(member.AdminToken).PostAsJsonAsync(
            $"/api/v1/organisations/{member.Id}/webhooks", new { url = Webhooks.UrlFor(name) }, BulwarkServer.Json);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json);
        var secret = created.GetProperty("secret").GetString()!;
        Webhooks.Register(name, secret);
        return (created.GetProperty("webhook").GetProperty("id").GetGuid(), secret);
    }

    /// <summary>A staff member with one verified personal account; <paramref name="organisationMayView"/> records that consent too.</summary>
    public async Task<Person> AddPersonAsync(Guid organisationId, string email, bool organisationMayView, bool consentWithdrawn = false, string language = "en")
    {
        var person = new Person
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            DisplayName = "Staff member",
            WorkEmail = email,
            Role = PersonRole.Staff,
            Language = language,
            CreatedAt = Clock.GetUtcNow(),
        };
        await WithDbAsync(async db =>
        {
            db.People.Add(person);
            var account = Guid.NewGuid();
            db.PersonalAccounts.Add(new PersonalAccount
            {
                Id = account,
                OrganisationId = organisationId,
                PersonId = person.Id,
                EncryptedAddress = [1, 2, 3],
                AddressLookup = RandomNumberGenerator.GetBytes(32),
                VerifiedAt = Clock.GetUtcNow(),
                OrganisationMayView = organisationMayView,
                CreatedAt = Clock.GetUtcNow(),
            });
            if (organisationMayView)
            {
                db.Consents.Add(new ConsentRecord
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = organisationId,
                    PersonId = person.Id,
                    Scope = NoticeIssuer.OrganisationViewConsent + account.ToString("D"),
                    Statement = "My organisation may see incidents on this account.",
                    GrantedAt = Clock.GetUtcNow(),
                    WithdrawnAt = consentWithdrawn ? Clock.GetUtcNow() : null,
                });
            }
            await db.SaveChangesAsync();
            return 0;
        });
        return person;
    }

    /// <summary>
    /// Confirms an incident with these findings and issues it the way the ingestion module does: incident,
    /// findings, notices and deliveries saved in one unit of work. Returns the incident.
    /// </summary>
    public Task<Incident> IssueIncidentAsync(Guid organisationId, Severity severity, Confidence confidence, params FindingSpec[] findings) =>
        IssueIncidentAsync(organisationId, severity, confidence, save: true, findings);

    /// <summary>As the overload above; with <paramref name="save"/> false the unit of work is dropped unsaved.</summary>
    public async Task<Incident> IssueIncidentAsync(Guid organisationId, Severity severity, Confidence confidence, bool save, params FindingSpec[] findings)
    {
        // As in an ingest request: a context working for the organisation (query filter and row-level security).
        await using var db = Databases.Open(organisationId);
        var issuer = new NoticeIssuer(db, Clock);
        var now = Clock.GetUtcNow();
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            Family = "exchange.proxylogon",
            GroupKey = Guid.NewGuid().ToString("N"),
            Title = findings.Length > 0 ? findings[0].Title : "Confirmed incident",
            Severity = severity,
            Confidence = confidence,
            Status = IncidentStatus.Confirmed,
            FirstSeen = findings.Select(f => f.FirstSeen).Min(),
            LastSeen = findings.Select(f => f.LastSeen).Max(),
            CreatedAt = now,
            UpdatedAt = now,
            DecidedAt = now,
            DecisionReason = "confirmed in a test",
        };
        db.Incidents.Add(incident);
        foreach (var f in findings)
        {
            db.Findings.Add(new FindingRecord
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisationId,
                PersonId = f.PersonId,
                FindingId = Guid.NewGuid().ToString("N"),
                DetectionId = "exchange.proxylogon.ssrf",
                Title = f.Title,
                Severity = f.Severity,
                Confidence = f.Confidence,
                FirstSeen = f.FirstSeen,
                LastSeen = f.LastSeen,
                Subject = "203.0.113.7",
                EvidenceCount = 1,
                EvidenceJson = "[]",
                Remediation = f.Remediation,
                Source = "Bulwark built-in",
                Origin = FindingOrigin.Upload,
                UploadId = f.UploadId,
                IncidentId = incident.Id,
                ReceivedAt = now,
            });
        }

        await issuer.IssueAsync(incident, CancellationToken.None);
        if (save)
        {
            await db.SaveChangesAsync();
        }

        return incident;
    }

    /// <summary>Issues notices again for a saved incident (an analyst re-confirming it with new findings).</summary>
    public async Task ReissueAsync(Incident incident)
    {
        await using var db = Databases.Open(incident.OrganisationId);
        await new NoticeIssuer(db, Clock).IssueAsync(incident, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    /// <summary>Runs one delivery pass, as the hosted worker does every poll interval.</summary>
    public Task<int> DeliverAsync() => Host.Services.GetRequiredService<DeliveryDispatcher>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs <paramref name="action"/> on a context that sees every organisation.</summary>
    public async Task<T> WithDbAsync<T>(Func<BulwarkDbContext, Task<T>> action)
    {
        await using var db = Databases.OpenInstanceWide();
        return await action(db);
    }
}

/// <summary>
/// The in-memory test server gives requests no client address, so every request would share one partition of the
/// per-address rate limit on applications; a random address per request is what real, distinct clients look like.
/// </summary>
internal sealed class RandomClientAddress : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Connection.RemoteIpAddress = new System.Net.IPAddress(RandomNumberGenerator.GetBytes(4));
            return following(context);
        });
        next(app);
    };
}

public sealed record FindingSpec(
    string Title,
    Severity Severity,
    Confidence Confidence,
    string Remediation,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    Guid? PersonId = null,
    Guid? UploadId = null);

/// <summary>Jitter the test sets (0 by default: backoff is then exactly base × 2^(n-1)).</summary>
public sealed class FixedJitter : IJitterSource
{
    public double Value { get; set; }

    public double NextDouble() => Value;
}

public sealed class SqliteNotificationHost() : NotificationHost(new SqliteServer());

public sealed class PostgresNotificationHost() : NotificationHost(new PostgresServer());
