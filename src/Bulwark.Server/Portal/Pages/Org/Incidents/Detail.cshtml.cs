using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Incidents;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal.Pages.Org.Incidents;

/// <summary>
/// One incident: its findings as a timeline with their evidence as stored, the TLP of the intelligence behind each and
/// the actors it names where the organisation may be told of them (the rule of its notices:
/// <see cref="IncidentVisibility.AttributionOf"/>), and the notices issued about it.
/// </summary>
public sealed class DetailModel(BulwarkDbContext db, Caller caller, PersonalVisibility visibility) : PageModel
{
    public sealed record EvidenceItem(string File, long? Line, string? Timestamp, IReadOnlyList<KeyValuePair<string, string>> Fields);

    public sealed record FindingItem(
        Guid Id, string FindingId, string Detection, string Title, Severity Severity, Confidence Confidence, string Subject,
        DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, DateTimeOffset At, int EvidenceCount, IReadOnlyList<EvidenceItem> Evidence,
        IReadOnlyList<string> Cves, string Remediation, Tlp? Tlp, IReadOnlyList<ActorAttribution> Actors, bool ActorsWithheld);

    public sealed record NoticeItem(Guid Id, string Title, Severity Severity, DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt, int EscalationLevel);

    public Incident Incident { get; private set; } = null!;

    public IReadOnlyList<FindingItem> Timeline { get; private set; } = [];

    public IReadOnlyList<NoticeItem> Notices { get; private set; } = [];

    /// <summary>The actors behind the incident the organisation may be told of, most confident first.</summary>
    public IReadOnlyList<IncidentVisibility.IncidentActor> Actors { get; private set; } = [];

    /// <summary>True when the intelligence names an actor the sources' sharing rules withhold from the organisation.</summary>
    public bool ActorsWithheld { get; private set; }

    /// <summary>For a merged incident, the title of the one it was merged into, when the organisation may see it.</summary>
    public string? MergedIntoTitle { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var shared = await OrgData.SharedPeopleAsync(visibility, org, ct);
        var incident = await OrgData.VisibleIncidents(db, shared).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
        {
            return NotFound();
        }

        Incident = incident;
        if (incident.MergedIntoId is { } into)
        {
            MergedIntoTitle = (await OrgData.MergedIntoTitlesAsync(db, shared, [into], ct)).GetValueOrDefault(into);
        }

        var findings = await OrgData.VisibleFindings(db, shared).Where(f => f.IncidentId == id).ToListAsync(ct);
        var attribution = IncidentVisibility.AttributionOf(findings, shared);
        Actors = attribution.Actors;
        ActorsWithheld = attribution.Withheld;
        Timeline = [.. findings
            .Select(f => (Finding: f, Actors: attribution.Of(f)))
            .Select(x => new FindingItem(
                x.Finding.Id, x.Finding.FindingId, x.Finding.DetectionId, x.Finding.Title, x.Finding.Severity, x.Finding.Confidence, x.Finding.Subject,
                x.Finding.FirstSeen, x.Finding.LastSeen, x.Finding.FirstSeen ?? x.Finding.ReceivedAt, x.Finding.EvidenceCount,
                Evidence(IncidentVisibility.Evidence(x.Finding, shared)), x.Finding.Cves, x.Finding.Remediation,
                x.Finding.Tlp, x.Actors.Shown, x.Actors.Withheld))
            .OrderBy(f => f.At).ThenBy(f => f.FindingId, StringComparer.Ordinal)];
        Notices = await db.Notices.AsNoTracking()
            .Where(n => n.IncidentId == id && n.Audience == NoticeAudience.Organisation)
            .OrderBy(n => n.CreatedAt)
            .Select(n => new NoticeItem(n.Id, n.Title, n.Severity, n.CreatedAt, n.AcknowledgedAt, n.EscalationLevel))
            .ToListAsync(ct);
        return Page();
    }

    /// <summary>The kept evidence (file, line, time, matched fields) as stored; anything else in it is shown as it is.</summary>
    private static List<EvidenceItem> Evidence(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var items = new List<EvidenceItem>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var file = e.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
            long? line = e.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt64(out var n) ? n : null;
            var timestamp = e.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var fields = new List<KeyValuePair<string, string>>();
            if (e.TryGetProperty("fields", out var fs) && fs.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in fs.EnumerateObject())
                {
                    fields.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
                }
            }

            items.Add(new EvidenceItem(file, line, timestamp, fields));
        }

        return items;
    }
}
