using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal.Pages.Org;

/// <summary>The organisation at a glance: open incidents (neither dismissed nor merged into another), findings of the last 30 days, and which sources report.</summary>
public sealed class IndexModel(BulwarkDbContext db, Caller caller, PersonalVisibility visibility, TimeProvider time) : PageModel
{
    public const int ChartDays = 30;

    /// <summary>Evidence fields that name the server or host a log line came from or asked for.</summary>
    private static readonly string[] HostFields = ["ServerName", "s-computername", "s-ip", "UrlHost", "cs-host"];

    public sealed record OpenIncident(Guid Id, string Title, Severity Severity, IncidentStatus Status, DateTimeOffset? LastSeen);

    public sealed record Day(DateOnly Date, int Count, int Height);

    public sealed record Source(string Name, DateTimeOffset? LastSeen);

    public sealed record KeyUse(string Name, string Scope, DateTimeOffset? LastUsed, bool Revoked);

    public IReadOnlyList<OpenIncident> Open { get; private set; } = [];

    public IReadOnlyList<Day> Days { get; private set; } = [];

    public int Total { get; private set; }

    public IReadOnlyList<Source> Uploads { get; private set; } = [];

    public IReadOnlyList<Source> Hosts { get; private set; } = [];

    public IReadOnlyList<KeyUse> Keys { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var shared = await OrgData.SharedPeopleAsync(visibility, org, ct);

        var open = await OrgData.VisibleIncidents(db, shared)
            .Where(i => i.Status != IncidentStatus.Dismissed && i.Status != IncidentStatus.Merged)
            .Select(i => new OpenIncident(i.Id, i.Title, i.Severity, i.Status, i.LastSeen))
            .ToListAsync(ct);
        Open = [.. open.OrderByDescending(i => i.Severity).ThenByDescending(i => i.LastSeen).ThenBy(i => i.Title, StringComparer.Ordinal)];

        // One bar per day (UTC), today last; a finding counts on the day it was first seen (received, when it has no time).
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(-(ChartDays - 1));
        var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var seen = await OrgData.VisibleFindings(db, shared)
            .Select(f => f.FirstSeen ?? f.ReceivedAt)
            .Where(t => t >= since)
            .ToListAsync(ct);
        var counts = seen.GroupBy(t => DateOnly.FromDateTime(t.UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());
        var max = counts.Count == 0 ? 0 : counts.Values.Max();
        Days = [.. Enumerable.Range(0, ChartDays).Select(i =>
        {
            var date = first.AddDays(i);
            var count = counts.GetValueOrDefault(date);
            return new Day(date, count, count == 0 ? 0 : Math.Max(2, (int)Math.Round(100.0 * count / max)));
        })];
        Total = seen.Count(t => DateOnly.FromDateTime(t.UtcDateTime) <= today);

        var uploads = await db.Uploads.AsNoTracking()
            .GroupBy(u => u.FileName)
            .Select(g => new { Name = g.Key, Last = g.Max(u => u.ReceivedAt) })
            .ToListAsync(ct);
        Uploads = [.. uploads.OrderByDescending(u => u.Last).Take(20).Select(u => new Source(u.Name, u.Last))];

        Hosts = await HostsAsync(shared, ct);

        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.OrganisationId == org)
            .Select(k => new { k.Name, k.Scope, k.LastUsedAt, k.RevokedAt, k.CreatedAt }).ToListAsync(ct);
        Keys = [.. keys.OrderBy(k => k.CreatedAt).Select(k => new KeyUse(k.Name, k.Scope.ToString(), k.LastUsedAt, k.RevokedAt is not null))];
    }

    /// <summary>The servers and hosts named in the evidence of the latest findings, each with when it was last seen.</summary>
    private async Task<IReadOnlyList<Source>> HostsAsync(List<Guid> shared, CancellationToken ct)
    {
        var recent = await OrgData.VisibleFindings(db, shared)
            .OrderByDescending(f => f.ReceivedAt)
            .Take(2000)
            .Select(f => new { f.EvidenceJson, Seen = f.LastSeen ?? f.ReceivedAt })
            .ToListAsync(ct);
        var hosts = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        foreach (var finding in recent)
        {
            using var evidence = JsonDocument.Parse(finding.EvidenceJson);
            if (evidence.RootElement.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var item in evidence.RootElement.EnumerateArray())
            {
                if (!item.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var at = item.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String && ts.TryGetDateTimeOffset(out var t) ? t : finding.Seen;
                foreach (var name in HostFields)
                {
                    if (fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 255 } host)
                    {
                        hosts[host] = hosts.TryGetValue(host, out var last) && last > at ? last : at;
                    }
                }
            }
        }

        return [.. hosts.OrderByDescending(h => h.Value).ThenBy(h => h.Key, StringComparer.Ordinal).Take(50).Select(h => new Source(h.Key, h.Value))];
    }
}
