using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bulwark.Data.Membership;
using Bulwark.Server.Tests.Support;
using static Bulwark.Server.Tests.IngestionSupport;

namespace Bulwark.Server.Tests;

/// <summary>An incident an analyst merged into another, as the org admin's pages show it (ADR 12): its own status, linked to where its findings went.</summary>
public abstract class PortalOrgMergedTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : BulwarkServer
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Merged_incident_is_labelled_linked_to_the_incident_it_joined_and_not_open()
    {
        server.EnsureAvailable();
        var member = await server.CreateMemberAsync("Merged Org " + Guid.NewGuid().ToString("N")[..6]);
        var browsers = new Dictionary<string, PortalBrowser>();
        foreach (var language in new[] { "en", "fr", "es" })
        {
            var email = $"admin-{language}-{Guid.NewGuid():N}@example.org";
            await PortalUsers.CreatePersonAsync(server, member.Id, email, PersonRole.OrgAdmin, "Olga Admin", language);
            browsers[language] = new PortalBrowser(server);
            Assert.Equal("/", (await browsers[language].SignInAsync(email)).Target);
        }

        var yesterday = TimeProvider.System.GetUtcNow().AddDays(-1);
        await SubmitAsync(server.As(member.IngestToken), new JsonArray(
            Finding("BW-7200000000000001", "192.0.2.81", firstSeen: Iso(yesterday), lastSeen: Iso(yesterday.AddMinutes(1))),
            Finding("BW-7200000000000002", "192.0.2.82", firstSeen: Iso(yesterday.AddHours(1)), lastSeen: Iso(yesterday.AddHours(1)))), Ct);
        var incidents = await IncidentsAsync(server.As(member.AdminToken), "", Ct);
        var into = incidents.Single(i => i.GetProperty("groupKey").GetString() == "192.0.2.81").GetProperty("id").GetGuid();
        var from = incidents.Single(i => i.GetProperty("groupKey").GetString() == "192.0.2.82").GetProperty("id").GetGuid();
        var title = incidents.Single(i => i.GetProperty("id").GetGuid() == into).GetProperty("title").GetString()!;
        var en = browsers["en"];
        Assert.Equal(2, (await en.GetAsync("/org")).Document.QuerySelectorAll("#open-incidents tbody tr").Length);

        var merged = await server.Operator.PostAsJsonAsync($"/api/v1/incidents/{into}/merge", new { from }, BulwarkServer.Json, Ct);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);

        // The overview's open incidents leave it out; the one it joined stays.
        var overview = await en.GetAsync("/org");
        Assert.Equal([$"/org/incidents/{into}"], overview.Document.QuerySelectorAll("#open-incidents tbody tr a").Select(a => a.GetAttribute("href")));
        Assert.Equal("Unconfirmed", overview.Document.QuerySelector("#open-incidents tbody tr td:nth-child(3)")!.TextContent);

        var list = await en.GetAsync("/org/incidents");
        var row = list.Document.QuerySelector($"#incidents tr[data-incident='{from}']")!;
        Assert.Equal($"Merged Now part of: {title}", Normalise(row.QuerySelector("td.status")!.TextContent));
        Assert.Equal($"/org/incidents/{into}", row.QuerySelector("td.status a.merged-into")!.GetAttribute("href"));
        Assert.Equal("0", row.QuerySelectorAll("td")[3].TextContent);
        var target = list.Document.QuerySelector($"#incidents tr[data-incident='{into}']")!;
        Assert.Equal(("Unconfirmed", "2"), (target.QuerySelector("td.status")!.TextContent, target.QuerySelectorAll("td")[3].TextContent));
        Assert.Null(target.QuerySelector("a.merged-into"));

        var filtered = await en.GetAsync("/org/incidents?status=Merged");
        Assert.Equal([from.ToString()], filtered.Document.QuerySelectorAll("#incidents tbody tr").Select(r => r.GetAttribute("data-incident")));
        Assert.Equal("Merged", filtered.Document.QuerySelector("#status option[selected]")!.TextContent);
        Assert.Equal(["", "Unconfirmed", "Confirmed", "Dismissed", "Merged"], filtered.Document.QuerySelectorAll("#status option").Select(o => o.GetAttribute("value")));

        var detail = await en.GetAsync($"/org/incidents/{from}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.StartsWith("Merged · ", detail.Document.QuerySelector("#incident-status")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal((title, $"/org/incidents/{into}"), (detail.Document.QuerySelector("#merged-into a")!.TextContent, detail.Document.QuerySelector("#merged-into a")!.GetAttribute("href")));
        Assert.Equal("An analyst merged this incident into another one that is about the same attack: its findings are there now.", detail.Document.QuerySelector("#merged-hint")!.TextContent);
        Assert.Empty(detail.Document.QuerySelectorAll("#timeline > li"));
        var joined = await en.GetAsync($"/org/incidents/{into}");
        Assert.Equal(2, joined.Document.QuerySelectorAll("#timeline > li").Length);
        Assert.Null(joined.Document.QuerySelector("#merged-into"));
        Assert.Null(joined.Document.QuerySelector("#merged-hint"));

        // In French and Spanish.
        foreach (var (language, label, partOf, mergedInto) in new[] { ("fr", "Fusionné", "Fait désormais partie de :", "Fusionné avec"), ("es", "Fusionado", "Ahora forma parte de:", "Fusionado con") })
        {
            var translated = await browsers[language].GetAsync("/org/incidents");
            Assert.Equal(language, translated.Document.DocumentElement.GetAttribute("lang"));
            Assert.Equal($"{label} {partOf} {title}", Normalise(translated.Document.QuerySelector($"#incidents tr[data-incident='{from}'] td.status")!.TextContent));
            Assert.Equal(label, (await browsers[language].GetAsync("/org/incidents?status=Merged")).Document.QuerySelector("#status option[selected]")!.TextContent);
            var page = await browsers[language].GetAsync($"/org/incidents/{from}");
            Assert.StartsWith($"{label} · ", page.Document.QuerySelector("#incident-status")!.TextContent.Trim(), StringComparison.Ordinal);
            Assert.Equal(mergedInto, page.Document.QuerySelector("#merged-into")!.PreviousElementSibling!.TextContent);
        }

        // Another organisation's admin sees neither.
        var other = await server.CreateMemberAsync("Other Merged Org " + Guid.NewGuid().ToString("N")[..6]);
        var otherEmail = $"admin-{Guid.NewGuid():N}@example.org";
        await PortalUsers.CreatePersonAsync(server, other.Id, otherEmail, PersonRole.OrgAdmin);
        var otherBrowser = new PortalBrowser(server);
        await otherBrowser.SignInAsync(otherEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.GetAsync($"/org/incidents/{from}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.GetAsync($"/org/incidents/{into}")).Status);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

public sealed class PortalOrgMergedSqliteTests(SqliteServer server) : PortalOrgMergedTests<SqliteServer>(server);

public sealed class PortalOrgMergedPostgresTests(PostgresServer server) : PortalOrgMergedTests<PostgresServer>(server);
