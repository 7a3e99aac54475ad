using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Matching;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Incidents;

/// <summary>Incidents: an org admin reads its own, staff read all (audited) and decide.</summary>
public static class IncidentsApi
{
    public const int MaxReasonLength = DecisionInput.MaxReasonLength;

    public static RouteGroupBuilder MapIncidentsApi(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incidents");
        incidents.MapGet("/", ListAsync).RequireAuthorization(Policies.OrganisationRead)
            .WithSummary("Incidents, most recently updated first; filter by status and severity; page and pageSize (at most 200).");
        incidents.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.OrganisationRead)
            .WithSummary("One incident with its findings, their evidence, TLP and attribution, and the actors behind it. An organisation reads an actor only where its notice would name it (every input naming it at most AMBER+STRICT); otherwise attribution is null and attributionWithheld (actorsWithheld) true. Staff read everything.");
        incidents.MapPost("/{id:guid}/confirm", ConfirmAsync).RequireAuthorization(Policies.Staff)
            .WithSummary("Confirm an unconfirmed incident (reason optional; noticeTitle, noticeSummary and noticeRemediation optionally replace the generated text of the organisation's notice); its notices are issued in the same transaction. 409 when already decided.");
        incidents.MapPost("/{id:guid}/dismiss", DismissAsync).RequireAuthorization(Policies.Staff)
            .WithSummary("Dismiss an unconfirmed incident; a reason is required. 409 when already decided.");
        incidents.MapPost("/{id:guid}/merge", MergeAsync).RequireAuthorization(Policies.Staff)
            .WithSummary("Merge another unconfirmed incident of the same organisation (and the same person, if any) into this unconfirmed one: its findings move here and it becomes Merged. 400 for the same incident, another organisation's or a missing one; 409 when either is already decided.");
        return api;
    }

    public sealed record IncidentView(
        Guid Id,
        Guid OrganisationId,
        string Family,
        string GroupKey,
        string Title,
        Severity Severity,
        Confidence Confidence,
        IncidentStatus Status,
        DateTimeOffset? FirstSeen,
        DateTimeOffset? LastSeen,
        int Findings,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        Guid? DecidedBy,
        DateTimeOffset? DecidedAt,
        string? DecisionReason,
        Guid? MergedIntoId);

    public sealed record IncidentPage(IReadOnlyList<IncidentView> Items, int Total, int Page, int PageSize);

    public sealed record FindingView(
        Guid Id,
        string FindingId,
        string Detection,
        string Title,
        Severity Severity,
        Confidence Confidence,
        IReadOnlyList<string> Cves,
        IReadOnlyList<string> Attack,
        DateTimeOffset? FirstSeen,
        DateTimeOffset? LastSeen,
        string Subject,
        int EvidenceCount,
        JsonElement Evidence,
        string Remediation,
        string Source,
        FindingOrigin Origin,
        Guid? UploadId,
        DateTimeOffset ReceivedAt,
        string? Tlp,
        IReadOnlyList<AttributionView>? Attribution,
        bool AttributionWithheld);

    /// <summary>
    /// An actor threat intelligence attributes a finding to, as Core holds it: <see cref="ActorId"/> as the intelligence
    /// names it (<c>G0125</c>, <c>intrusion-set--…</c>), <see cref="AttackId"/> when that is an ATT&amp;CK group id,
    /// country (ISO 3166-1 alpha-2), confidence 0–100, the TLP of the intelligence behind it, aliases, the matched
    /// indicators and the sources.
    /// </summary>
    public sealed record AttributionView(
        string Actor,
        string ActorId,
        string? AttackId,
        string? Country,
        int Confidence,
        string Tlp,
        IReadOnlyList<string> Aliases,
        IReadOnlyList<string> Indicators,
        IReadOnlyList<string> Sources);

    /// <summary>An actor behind the incident: its strongest confidence, the strictest TLP of every input naming it, how many findings name it.</summary>
    public sealed record ActorView(string Actor, string ActorId, string? AttackId, string? Country, int Confidence, string Tlp, IReadOnlyList<string> Aliases, int Findings);

    /// <summary>
    /// One incident with its findings; <see cref="Actors"/> the actors behind them the caller may read, and
    /// <see cref="ActorsWithheld"/> true when the findings name another the sources' sharing rules withhold from it.
    /// </summary>
    public sealed record IncidentDetail(IncidentView Incident, IReadOnlyList<FindingView> Findings, IReadOnlyList<ActorView> Actors, bool ActorsWithheld);

    /// <summary>A decision; the notice fields count only for a confirmation (blank keeps the generated text).</summary>
    public sealed record DecisionRequest(string? Reason, string? NoticeTitle = null, string? NoticeSummary = null, string? NoticeRemediation = null);

    public sealed record MergeRequest(Guid? From);

    public sealed record MergeResult(IncidentView Incident, int MovedFindings);

    private static async Task<Ok<IncidentPage>> ListAsync(
        BulwarkDbContext db, Caller caller, AuditLog audit, PersonalVisibility visibility, IncidentStatus? status, Severity? severity, Guid? organisationId, int? page, int? pageSize, CancellationToken ct)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var query = IncidentVisibility.Incidents(db, await IncidentVisibility.SharedAsync(caller, visibility, ct));
        if (status is { } s)
        {
            query = query.Where(i => i.Status == s);
        }

        if (severity is { } v)
        {
            query = query.Where(i => i.Severity == v);
        }

        if (organisationId is { } org)
        {
            query = query.Where(i => i.OrganisationId == org);
        }

        var total = await query.CountAsync(ct);
        var items = await Project(db, query.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id).Skip((number - 1) * size).Take(size)).ToListAsync(ct);
        await audit.RecordStaffReadAsync("incident.list", "incidents", organisationId, ct);
        return TypedResults.Ok(new IncidentPage(items, total, number, size));
    }

    private static async Task<Results<Ok<IncidentDetail>, NotFound>> GetAsync(Guid id, BulwarkDbContext db, Caller caller, AuditLog audit, PersonalVisibility visibility, CancellationToken ct)
    {
        var shared = await IncidentVisibility.SharedAsync(caller, visibility, ct);
        var incident = await Project(db, IncidentVisibility.Incidents(db, shared).Where(i => i.Id == id)).FirstOrDefaultAsync(ct);
        if (incident is null)
        {
            return TypedResults.NotFound();
        }

        var findings = await IncidentVisibility.Findings(db, shared).Where(f => f.IncidentId == id).ToListAsync(ct);
        await audit.RecordStaffReadAsync("incident.read", $"incident/{id}", incident.OrganisationId, ct);
        var attribution = IncidentVisibility.AttributionOf(findings, shared);
        var views = findings
            .OrderByDescending(f => f.Severity).ThenByDescending(f => f.Confidence).ThenBy(f => f.FirstSeen).ThenBy(f => f.FindingId, StringComparer.Ordinal)
            .Select(f =>
            {
                var actors = attribution.Of(f);
                return new FindingView(
                    f.Id, f.FindingId, f.DetectionId, f.Title, f.Severity, f.Confidence, f.Cves, f.Attack, f.FirstSeen, f.LastSeen, f.Subject,
                    f.EvidenceCount, JsonDocument.Parse(IncidentVisibility.Evidence(f, shared)).RootElement.Clone(), f.Remediation, f.Source, f.Origin, f.UploadId, f.ReceivedAt,
                    f.Tlp is { } tlp ? IntelEvidence.TlpText(tlp) : null,
                    actors.Shown.Count == 0 ? null : [.. actors.Shown.Select(View)],
                    actors.Withheld);
            })
            .ToList();
        var summary = attribution.Actors
            .Select(a => new ActorView(
                a.Actor.ActorName, a.Actor.ActorId, Notification.NoticeText.AttackId(a.Actor.ActorId), a.Actor.Country, a.Actor.Confidence, IntelEvidence.TlpText(a.Tlp), a.Actor.Aliases, a.Findings))
            .ToList();
        return TypedResults.Ok(new IncidentDetail(incident, views, summary, attribution.Withheld));
    }

    private static AttributionView View(ActorAttribution a) => new(
        a.ActorName, a.ActorId, Notification.NoticeText.AttackId(a.ActorId), a.Country, a.Confidence, IntelEvidence.TlpText(a.Tlp), a.Aliases, a.IndicatorIds, a.Sources);

    private static Task<Results<Ok<IncidentView>, NotFound, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        Guid id, DecisionRequest? request, IncidentDecisions decisions, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct) =>
        DecideAsync(id, IncidentStatus.Confirmed, request, required: false, decisions, db, caller, audit, ct);

    private static Task<Results<Ok<IncidentView>, NotFound, ValidationProblem, ProblemHttpResult>> DismissAsync(
        Guid id, DecisionRequest? request, IncidentDecisions decisions, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct) =>
        DecideAsync(id, IncidentStatus.Dismissed, request, required: true, decisions, db, caller, audit, ct);

    private static async Task<Results<Ok<IncidentView>, NotFound, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid id, IncidentStatus decision, DecisionRequest? request, bool required, IncidentDecisions decisions, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        var reason = DecisionInput.Clean(request?.Reason);
        var errors = new Dictionary<string, string[]>();
        if ((required && reason is null) || !DecisionInput.IsAcceptable(reason, MaxReasonLength))
        {
            errors["reason"] = [required ? $"a reason of 1 to {MaxReasonLength} characters is required to dismiss" : $"at most {MaxReasonLength} characters"];
        }

        var notice = new IncidentDecisions.NoticeEdits(
            DecisionInput.Clean(request?.NoticeTitle), DecisionInput.Clean(request?.NoticeSummary), DecisionInput.Clean(request?.NoticeRemediation));
        if (decision == IncidentStatus.Confirmed)
        {
            if (!DecisionInput.IsAcceptable(notice.Title, DecisionInput.MaxNoticeTitleLength, multiline: false))
            {
                errors["noticeTitle"] = [$"one line of at most {DecisionInput.MaxNoticeTitleLength} characters"];
            }

            if (!DecisionInput.IsAcceptable(notice.Summary, DecisionInput.MaxNoticeTextLength))
            {
                errors["noticeSummary"] = [$"at most {DecisionInput.MaxNoticeTextLength} characters"];
            }

            if (!DecisionInput.IsAcceptable(notice.Remediation, DecisionInput.MaxNoticeTextLength))
            {
                errors["noticeRemediation"] = [$"at most {DecisionInput.MaxNoticeTextLength} characters"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (outcome, incident) = await decisions.DecideAsync(id, decision, reason, notice, caller.KeyId ?? caller.UserId, ct);
        switch (outcome)
        {
            case IncidentDecisions.Outcome.NotFound:
                return TypedResults.NotFound();
            case IncidentDecisions.Outcome.AlreadyDecided:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The incident is already decided",
                    detail: $"the incident is {incident!.Status}{(incident.DecidedAt is { } at ? $" since {at:O}" : "")}; only an unconfirmed incident can be confirmed or dismissed");
        }

        await audit.RecordAsync(decision == IncidentStatus.Confirmed ? "incident.confirm" : "incident.dismiss", $"incident/{id}", incident!.OrganisationId, ct);
        return TypedResults.Ok(await Project(db, db.Incidents.Where(i => i.Id == id)).FirstAsync(ct));
    }

    private static async Task<Results<Ok<MergeResult>, NotFound, ValidationProblem, ProblemHttpResult>> MergeAsync(
        Guid id, MergeRequest? request, IncidentDecisions decisions, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        if (request?.From is not { } from)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["the id of the incident to merge into this one is required"] });
        }

        var (outcome, into, moved) = await decisions.MergeAsync(id, from, caller.KeyId ?? caller.UserId, ct);
        switch (outcome)
        {
            case IncidentDecisions.MergeOutcome.NotFound:
                return TypedResults.NotFound();
            case IncidentDecisions.MergeOutcome.AlreadyDecided:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "An incident is already decided",
                    detail: "only an unconfirmed incident can be merged, or merged into");
            case IncidentDecisions.MergeOutcome.Merged:
                break;
            default:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["from"] = [outcome switch
                    {
                        IncidentDecisions.MergeOutcome.SameIncident => "an incident cannot be merged into itself",
                        IncidentDecisions.MergeOutcome.OtherOrganisation => "only incidents of the same organisation can be merged",
                        IncidentDecisions.MergeOutcome.OtherPerson => "a personal-account incident merges only with one about the same person",
                        _ => "no incident with this id",
                    }],
                });
        }

        await audit.RecordAsync("incident.merge", DecisionInput.MergeTarget(from, id), into!.OrganisationId, ct);
        var view = await Project(db, db.Incidents.AsNoTracking().Where(i => i.Id == id)).FirstAsync(ct);
        return TypedResults.Ok(new MergeResult(view, moved));
    }

    private static IQueryable<IncidentView> Project(BulwarkDbContext db, IQueryable<Incident> query) =>
        query.Select(i => new IncidentView(
            i.Id, i.OrganisationId, i.Family, i.GroupKey, i.Title, i.Severity, i.Confidence, i.Status, i.FirstSeen, i.LastSeen,
            db.Findings.Count(f => f.IncidentId == i.Id),
            i.CreatedAt, i.UpdatedAt, i.DecidedBy, i.DecidedAt, i.DecisionReason, i.MergedIntoId));
}
