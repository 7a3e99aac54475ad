using System.Text.Json;
using Bulwark.Core.Intel;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Incidents;
using Bulwark.Server.Notification;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Analyst.Incidents;

/// <summary>
/// One incident for an analyst: its findings with their evidence, TLP and attribution (every actor, whatever the TLP:
/// staff read everything), the intelligence they cite, related incidents at
/// other members; confirm (with the organisation's notice as the analyst edited it), dismiss, merge another incident of
/// the same organisation into it; once confirmed, its notices and their deliveries. Every view is audited.
/// </summary>
public sealed class DetailModel(
    BulwarkDbContext db,
    IncidentDecisions decisions,
    AuditLog audit,
    Caller caller,
    IStringLocalizer<Text.AnalystText> t) : PageModel
{
    public sealed record EvidenceItem(string File, long Line, string? Timestamp, IReadOnlyList<KeyValuePair<string, string>> Fields);

    public sealed record FindingItem(FindingRecord Record, IReadOnlyList<EvidenceItem> Evidence, IReadOnlyList<ActorAttribution> Actors);

    public sealed record NoticeItem(Notice Notice, IReadOnlyList<Delivery> Deliveries);

    public sealed record MergeCandidate(Guid Id, string Title, DateTimeOffset? FirstSeen, int Findings);

    public Incident Incident { get; private set; } = null!;

    public string OrganisationName { get; private set; } = "";

    /// <summary>Who decided, as the reader can recognise them: a portal user's name, an API key or the policy.</summary>
    public string? DecidedByName { get; private set; }

    public IReadOnlyList<FindingItem> Findings { get; private set; } = [];

    /// <summary>The intelligence the findings cite: published indicators and their sources.</summary>
    public IReadOnlyList<string> Intel { get; private set; } = [];

    /// <summary>Every actor the findings are attributed to, most confident first, with the strictest TLP of every input naming it.</summary>
    public IReadOnlyList<IncidentVisibility.IncidentActor> Actors { get; private set; } = [];

    public IReadOnlyList<RelatedIncidents.Related> Related { get; private set; } = [];

    public IReadOnlyList<NoticeItem> Notices { get; private set; } = [];

    public IReadOnlyList<MergeCandidate> MergeCandidates { get; private set; } = [];

    /// <summary>Incidents merged into this one.</summary>
    public IReadOnlyList<Guid> MergedHere { get; private set; } = [];

    /// <summary>The organisation's notice as generated now; null when the organisation would get none.</summary>
    public NoticeContent? GeneratedNotice { get; private set; }

    [BindProperty]
    public string? ConfirmReason { get; set; }

    [BindProperty]
    public string? NoticeTitle { get; set; }

    [BindProperty]
    public string? NoticeSummary { get; set; }

    [BindProperty]
    public string? NoticeRemediation { get; set; }

    [BindProperty]
    public string? DismissReason { get; set; }

    [BindProperty]
    public string? MergeFrom { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        NoticeTitle = GeneratedNotice?.Title;
        NoticeSummary = GeneratedNotice?.Summary;
        NoticeRemediation = GeneratedNotice?.Remediation;
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
        {
            return NotFound();
        }

        var reason = DecisionInput.Clean(ConfirmReason);
        if (!DecisionInput.IsAcceptable(reason, DecisionInput.MaxReasonLength))
        {
            ModelState.AddModelError(nameof(ConfirmReason), t["The reason can be at most {0} characters, without control characters.", DecisionInput.MaxReasonLength]);
        }

        var (title, summary, remediation) = (DecisionInput.Clean(NoticeTitle), DecisionInput.Clean(NoticeSummary), DecisionInput.Clean(NoticeRemediation));
        if (!DecisionInput.IsAcceptable(title, DecisionInput.MaxNoticeTitleLength, multiline: false))
        {
            ModelState.AddModelError(nameof(NoticeTitle), t["The notice's title must be one line of at most {0} characters.", DecisionInput.MaxNoticeTitleLength]);
        }

        if (!DecisionInput.IsAcceptable(summary, DecisionInput.MaxNoticeTextLength))
        {
            ModelState.AddModelError(nameof(NoticeSummary), t["\"What we saw\" can be at most {0} characters, without control characters.", DecisionInput.MaxNoticeTextLength]);
        }

        if (!DecisionInput.IsAcceptable(remediation, DecisionInput.MaxNoticeTextLength))
        {
            ModelState.AddModelError(nameof(NoticeRemediation), t["\"What to do\" can be at most {0} characters, without control characters.", DecisionInput.MaxNoticeTextLength]);
        }

        if (!ModelState.IsValid)
        {
            return await PageAgainAsync(id, ct);
        }

        // Text left as generated is not an edit: the notice is then written from the findings at confirmation.
        var generated = await decisions.PreviewNoticeAsync(incident, ct);
        var edits = new IncidentDecisions.NoticeEdits(
            title == DecisionInput.Clean(generated?.Title) ? null : title,
            summary == DecisionInput.Clean(generated?.Summary) ? null : summary,
            remediation == DecisionInput.Clean(generated?.Remediation) ? null : remediation);
        var (outcome, decided) = await decisions.DecideAsync(id, IncidentStatus.Confirmed, reason, edits, caller.UserId, ct);
        if (outcome == IncidentDecisions.Outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome == IncidentDecisions.Outcome.AlreadyDecided)
        {
            return await AlreadyDecidedAsync(id, decided!, ct);
        }

        await audit.RecordAsync("incident.confirm", $"incident/{id}", decided!.OrganisationId, ct);
        var notices = await db.Notices.AsNoTracking().CountAsync(n => n.IncidentId == id, ct);
        TempData["Status"] = t["Incident confirmed; notices issued: {0}.", notices].Value;
        return Redirect(Path(id));
    }

    public async Task<IActionResult> OnPostDismissAsync(Guid id, CancellationToken ct)
    {
        if (!await db.Incidents.AsNoTracking().AnyAsync(i => i.Id == id, ct))
        {
            return NotFound();
        }

        var reason = DecisionInput.Clean(DismissReason);
        if (reason is null || !DecisionInput.IsAcceptable(reason, DecisionInput.MaxReasonLength))
        {
            ModelState.AddModelError(nameof(DismissReason), t["Say why the incident is dismissed, in at most {0} characters.", DecisionInput.MaxReasonLength]);
            return await PageAgainAsync(id, ct);
        }

        var (outcome, decided) = await decisions.DecideAsync(id, IncidentStatus.Dismissed, reason, caller.UserId, ct);
        if (outcome == IncidentDecisions.Outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome == IncidentDecisions.Outcome.AlreadyDecided)
        {
            return await AlreadyDecidedAsync(id, decided!, ct);
        }

        await audit.RecordAsync("incident.dismiss", $"incident/{id}", decided!.OrganisationId, ct);
        TempData["Status"] = t["Incident dismissed."].Value;
        return Redirect(Path(id));
    }

    public async Task<IActionResult> OnPostMergeAsync(Guid id, CancellationToken ct)
    {
        if (!Guid.TryParse(MergeFrom, out var from))
        {
            if (!await db.Incidents.AsNoTracking().AnyAsync(i => i.Id == id, ct))
            {
                return NotFound();
            }

            ModelState.AddModelError(nameof(MergeFrom), t["Choose the incident to merge into this one."]);
            return await PageAgainAsync(id, ct);
        }

        var (outcome, into, moved) = await decisions.MergeAsync(id, from, caller.UserId, ct);
        switch (outcome)
        {
            case IncidentDecisions.MergeOutcome.NotFound:
                return NotFound();
            case IncidentDecisions.MergeOutcome.Merged:
                await audit.RecordAsync("incident.merge", DecisionInput.MergeTarget(from, id), into!.OrganisationId, ct);
                TempData["Status"] = t["Incident merged; findings moved here: {0}.", moved].Value;
                return Redirect(Path(id));
            case IncidentDecisions.MergeOutcome.AlreadyDecided:
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError(nameof(MergeFrom), t["Only unconfirmed incidents can be merged: one of the two has been decided meanwhile."]);
                return await PageAgainAsync(id, ct);
            default:
                ModelState.AddModelError(nameof(MergeFrom), outcome switch
                {
                    IncidentDecisions.MergeOutcome.SameIncident => t["An incident cannot be merged into itself."],
                    IncidentDecisions.MergeOutcome.OtherOrganisation => t["Only incidents of the same organisation can be merged."],
                    IncidentDecisions.MergeOutcome.OtherPerson => t["An incident about a person's personal account merges only with another about the same person."],
                    _ => t["There is no incident with that id."],
                });
                return await PageAgainAsync(id, ct);
        }
    }

    public static string Path(Guid id) => $"/analyst/incidents/{id}";

    private async Task<IActionResult> AlreadyDecidedAsync(Guid id, Incident decided, CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status409Conflict;
        ModelState.AddModelError(
            string.Empty,
            t["This incident is already {0} (since {1}): only an unconfirmed incident can be confirmed or dismissed.", AnalystWords.Status(decided.Status, t), AnalystWords.When(decided.DecidedAt)]);
        return await PageAgainAsync(id, ct);
    }

    /// <summary>The page again after a refused post, with the analyst's input kept.</summary>
    private async Task<IActionResult> PageAgainAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
        {
            return false;
        }

        Incident = incident;
        var org = incident.OrganisationId;
        OrganisationName = await db.Organisations.AsNoTracking().Where(o => o.Id == org).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        var records = await db.Findings.AsNoTracking().Where(f => f.IncidentId == id).ToListAsync(ct);
        var attribution = IncidentVisibility.AttributionOf(records, shared: null);
        Actors = attribution.Actors;
        Findings = records
            .OrderByDescending(f => f.Severity).ThenByDescending(f => f.Confidence).ThenBy(f => f.FirstSeen).ThenBy(f => f.FindingId, StringComparer.Ordinal)
            .Select(f => new FindingItem(f, ParseEvidence(f.EvidenceJson), attribution.Of(f).Shown))
            .ToList();
        Intel = Findings
            .SelectMany(f => f.Evidence)
            .SelectMany(e => e.Fields.Where(x => x.Key is "indicator" or "indicatorSource" or Core.Intel.Matching.IntelEvidence.Indicator or Core.Intel.Matching.IntelEvidence.Source).Select(x => x.Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        DecidedByName = await DecidedByAsync(incident, ct);
        MergedHere = await db.Incidents.AsNoTracking().Where(i => i.MergedIntoId == id && i.OrganisationId == org).Select(i => i.Id).ToListAsync(ct);

        Related = await RelatedIncidents.FindAsync(db, incident, records, ct);

        var notices = await db.Notices.AsNoTracking().Where(n => n.IncidentId == id).ToListAsync(ct);
        var noticeIds = notices.Select(n => n.Id).ToList();
        var deliveries = noticeIds.Count == 0 ? [] : await db.Deliveries.AsNoTracking().Where(d => noticeIds.Contains(d.NoticeId)).ToListAsync(ct);
        Notices = notices
            .OrderBy(n => n.Audience).ThenBy(n => n.CreatedAt).ThenBy(n => n.Id)
            .Select(n => new NoticeItem(n, deliveries.Where(d => d.NoticeId == n.Id).OrderBy(d => d.Channel).ThenBy(d => d.CreatedAt).ThenBy(d => d.Id).ToList()))
            .ToList();

        if (incident.Status == IncidentStatus.Unconfirmed)
        {
            GeneratedNotice = await decisions.PreviewNoticeAsync(incident, ct);
            var candidates = await db.Incidents.AsNoTracking()
                .Where(i => i.OrganisationId == org && i.Id != id && i.Status == IncidentStatus.Unconfirmed && i.PersonId == incident.PersonId)
                .Select(i => new MergeCandidate(i.Id, i.Title, i.FirstSeen, db.Findings.Count(f => f.IncidentId == i.Id)))
                .ToListAsync(ct);
            MergeCandidates = candidates.OrderBy(c => c.FirstSeen).ThenBy(c => c.Id).ToList();
        }

        await audit.RecordStaffReadAsync("incident.read", $"incident/{id}", org, ct);
        foreach (var other in Related.Select(r => r.OrganisationId).Distinct())
        {
            await audit.RecordStaffReadAsync("incident.related", $"incident/{id}", other, ct);
        }

        return true;
    }

    private async Task<string?> DecidedByAsync(Incident incident, CancellationToken ct)
    {
        if (incident.DecidedAt is null)
        {
            return null;
        }

        if (incident.DecidedBy is not { } by)
        {
            return t["the auto-confirm policy"];
        }

        var user = await db.PortalUsers.AsNoTracking().Where(u => u.Id == by).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        return user ?? t["API key {0}", by];
    }

    /// <summary>The stored evidence (Core's report shape); anything unexpected in it is shown as nothing rather than failing the page.</summary>
    private static List<EvidenceItem> ParseEvidence(string json)
    {
        var items = new List<EvidenceItem>();
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return items;
        }

        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var file = e.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
            var line = e.TryGetProperty("line", out var l) && l.TryGetInt64(out var n) ? n : 0;
            var at = e.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String ? ts.GetString() : null;
            var fields = new List<KeyValuePair<string, string>>();
            if (e.TryGetProperty("fields", out var fs) && fs.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in fs.EnumerateObject())
                {
                    fields.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
                }
            }

            items.Add(new EvidenceItem(file, line, at, fields));
        }

        return items;
    }
}
