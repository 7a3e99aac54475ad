using System.Text.Json.Nodes;
using Bulwark.Server.Incidents;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>
/// Two server instances on one PostgreSQL database (two hosts, each with its own in-process locks) storing the same
/// organisation's findings at the same moment: the advisory lock of ADR 7 keeps them to one incident per key.
/// PostgreSQL only: an SQLite database is one instance's file.
/// </summary>
public sealed class IncidentsAcrossInstancesTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const int Rounds = 12;
    private const int Keys = 8;

    [Fact]
    public async Task Two_instances_submitting_overlapping_batches_at_once_open_one_incident_per_key()
    {
        var ct = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        await using var first = server.WithWebHostBuilder(b => b.UseSetting("Ingestion:WorkerEnabled", "false"));
        await using var second = server.WithWebHostBuilder(b => b.UseSetting("Ingestion:WorkerEnabled", "false"));
        var member = await CreateMemberAsync(first, "Two Instances Org");
        var clients = new[] { Client(first, member.IngestToken), Client(second, member.IngestToken) };
        // Both hosts up before the first round, so the rounds race on storing, not on starting.
        Assert.Empty(await IncidentsAsync(Client(second, member.AdminToken), "", ct));

        for (var round = 0; round < Rounds; round++)
        {
            // Each instance gets every key of the round with finding ids of its own, in its own order. (No id in both:
            // the unique index would send the second writer round again, onto the first one's incidents.)
            var batches = Enumerable.Range(0, 2).Select(instance =>
            {
                var batch = new JsonArray();
                foreach (var key in instance == 0 ? Enumerable.Range(0, Keys) : Enumerable.Range(0, Keys).Reverse())
                {
                    batch.Add(Finding($"BW-{round:x4}{key:x4}{instance:x8}", Address(round, key)));
                }

                return batch;
            }).ToArray();

            var results = await Task.WhenAll(clients.Select((c, i) => Task.Run(() => SubmitAsync(c, batches[i], ct), ct)));

            Assert.All(results, r => Assert.Equal((Keys, 0, 0), Counts(r)));
        }

        var incidents = await WithDatabaseAsync(first, db => db.Incidents.Where(i => i.OrganisationId == member.Id)
            .Select(i => new { i.Family, i.GroupKey, Findings = db.Findings.Count(f => f.IncidentId == i.Id) })
            .ToListAsync(ct));
        var expected = Enumerable.Range(0, Rounds)
            .SelectMany(round => Enumerable.Range(0, Keys).Select(key => (IncidentGrouping.Infrastructure, Address(round, key), 2)))
            .Order();
        Assert.Equal(expected, incidents.Select(i => (i.Family, i.GroupKey, i.Findings)).Order());
    }

    private static string Address(int round, int key) => $"198.18.{round}.{key + 1}";
}
