using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bulwark.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>
/// Bulwark's own metrics (docs/server.md), read with a <see cref="System.Diagnostics.Metrics.MeterListener"/> on the
/// host's meter while the samples are uploaded, findings submitted, an incident confirmed and its notice delivered.
/// </summary>
public abstract class TelemetryTests<THost>(THost host) : IClassFixture<THost>
    where THost : NotificationHost
{
    [Fact]
    public async Task Metrics_count_findings_uploads_incidents_notices_and_delivery_outcomes_exactly()
    {
        var ct = TestContext.Current.CancellationToken;
        host.EnsureAvailable();
        using var metrics = new MetricsRecorder(host.Host.Services.GetRequiredService<BulwarkMetrics>().Meter);
        var member = await host.CreateMemberAsync("Metrics org");
        await host.AddContactAsync(member, $"soc-{Guid.NewGuid():N}@metrics.test");
        var flaky = "metrics-flaky-" + Guid.NewGuid().ToString("N");
        var down = "metrics-down-" + Guid.NewGuid().ToString("N");
        await host.AddWebhookAsync(member, flaky);
        await host.AddWebhookAsync(member, down);
        host.Webhooks.FailNext(flaky, 1);
        host.Webhooks.FailNext(down, 1000);
        var ingest = host.As(member.IngestToken);

        // The samples (24 findings, 16 incidents), then a file no reader recognises.
        var samples = await UploadAcceptedAsync(ingest, "exchange-server.zip", SamplesZip, ct);
        var garbage = await UploadAcceptedAsync(ingest, "garbage.bin", "not a log"u8.ToArray(), ct);
        Assert.Equal("Done", (await WaitForUploadAsync(ingest, samples, ct)).GetProperty("status").GetString());
        Assert.Equal("Failed", (await WaitForUploadAsync(ingest, garbage, ct)).GetProperty("status").GetString());
        // The worker records an upload's metrics before it deletes the upload's bytes.
        Assert.True(await GoneAsync(Path.Combine(host.Server.DataDirectory, "uploads", samples.ToString("N"))));
        Assert.True(await GoneAsync(Path.Combine(host.Server.DataDirectory, "uploads", garbage.ToString("N"))));

        // Two new findings of one new incident; then one of them again, a duplicate, which counts nowhere.
        await SubmitAsync(ingest, new JsonArray(Finding("BW-8000000000000001", "192.0.2.80"), Finding("BW-8000000000000002", "192.0.2.80", "exchange.proxylogon.request")), ct);
        await SubmitAsync(ingest, new JsonArray(Finding("BW-8000000000000001", "192.0.2.80")), ct);

        // Confirming the ProxyLogon attacker issues one notice: one email and two webhooks to deliver.
        var chain = (await IncidentsAsync(host.As(member.AdminToken), "", ct)).Single(i => i.GetProperty("groupKey").GetString() == "130.255.189.21");
        var analyst = host.As(await host.CreateKeyAsync("metrics analyst", "Analyst", null));
        (await analyst.PostAsJsonAsync($"/api/v1/incidents/{chain.GetProperty("id").GetGuid()}/confirm", new { reason = "metrics" }, Json, ct)).EnsureSuccessStatusCode();

        // Email sent, both webhooks fail; the flaky one then goes, the down one fails twice more and is dead.
        await host.DeliverAsync();
        host.Clock.Advance(NotificationHost.BackoffBase);
        await host.DeliverAsync();
        host.Clock.Advance(NotificationHost.BackoffBase * 2);
        await host.DeliverAsync();
        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.DeliverAsync();

        Assert.Equal([("bulwark.findings.ingested", "source=submitted", 2.0), ("bulwark.findings.ingested", "source=upload", 24.0)], metrics.Totals("bulwark.findings.ingested"));
        Assert.Equal([("bulwark.uploads.scanned", "outcome=done", 1.0), ("bulwark.uploads.scanned", "outcome=failed", 1.0)], metrics.Totals("bulwark.uploads.scanned"));
        Assert.Equal([("bulwark.incidents.opened", "", 16.0 + 1)], metrics.Totals("bulwark.incidents.opened"));
        Assert.Equal([("bulwark.notices.issued", "", 1.0)], metrics.Totals("bulwark.notices.issued"));
        Assert.Equal(
            [
                ("bulwark.deliveries", "channel=email,outcome=sent", 1.0),
                ("bulwark.deliveries", "channel=webhook,outcome=dead", 1.0),
                ("bulwark.deliveries", "channel=webhook,outcome=retry", 3.0),
                ("bulwark.deliveries", "channel=webhook,outcome=sent", 1.0),
            ],
            metrics.Totals("bulwark.deliveries"));

        var durations = metrics.Of("bulwark.upload.scan.duration");
        Assert.Equal(["outcome=done", "outcome=failed"], durations.Select(d => string.Join(',', d.Tags)).Order(StringComparer.Ordinal));
        Assert.All(durations, d => Assert.Equal("s", d.Unit));
        Assert.All(durations, d => Assert.InRange(d.Value, double.Epsilon, 120));
    }
}

public sealed class TelemetrySqliteTests(SqliteNotificationHost host) : TelemetryTests<SqliteNotificationHost>(host);

public sealed class TelemetryPostgresTests(PostgresNotificationHost host) : TelemetryTests<PostgresNotificationHost>(host);
