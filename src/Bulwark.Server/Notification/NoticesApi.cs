using Bulwark.Core.Findings;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Notification;

/// <summary>
/// The authoritative copy of notices. An org admin sees its organisation's notices (not its people's personal
/// notices); staff see all, and each read is audited. Another organisation's notice is simply not found.
/// </summary>
public static class NoticesApi
{
    public const int MaxCommentLength = NoticeActions.MaxCommentLength;

    public static readonly IReadOnlyList<string> FeedbackKinds = NoticeActions.FeedbackKinds;

    public static RouteGroupBuilder MapNoticesApi(this RouteGroupBuilder api)
    {
        var notices = api.MapGroup("/notices").WithTags("Notices");
        notices.MapGet("/", ListAsync).RequireAuthorization(Policies.OrganisationRead)
            .WithSummary("Notices, newest first: an org admin's organisation's, or (staff, audited) all.");
        notices.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.OrganisationRead);
        notices.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("Acknowledge a notice: stops its escalation. The first acknowledgement is kept.");
        notices.MapPost("/{id:guid}/feedback", FeedbackAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("Tell the analysts whether the notice was right: false-alarm, this-was-me, useful or other.");

        // An individual's own notices (person token): the same handlers, seeing only notices addressed to them.
        var mine = api.MapGroup("/me/notices").WithTags("Individuals").RequireAuthorization(Membership.Personal.PersonAccess.Policy);
        mine.MapGet("/", ListAsync).WithSummary("Your notices, newest first; nobody else's.");
        mine.MapGet("/{id:guid}", GetAsync);
        mine.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync);
        mine.MapPost("/{id:guid}/feedback", FeedbackAsync).WithSummary("\"this-was-me\" if you did it yourself, or false-alarm, useful, other.");
        return api;
    }

    public sealed record NoticeView(
        Guid Id,
        Guid OrganisationId,
        Guid IncidentId,
        NoticeAudience Audience,
        Guid? PersonId,
        string Title,
        string Summary,
        Severity Severity,
        Confidence Confidence,
        string? Attribution,
        string Remediation,
        DateTimeOffset CreatedAt,
        DateTimeOffset? AcknowledgedAt,
        string? Feedback,
        string? FeedbackComment,
        DateTimeOffset? FeedbackAt,
        int EscalationLevel);

    public sealed record FeedbackRequest(string? Kind, string? Comment);

    private static async Task<Ok<List<NoticeView>>> ListAsync(
        NoticeActions actions, AuditLog audit, Guid? organisationId, bool? unacknowledged, int? limit, CancellationToken ct)
    {
        var query = actions.Visible().AsNoTracking();
        if (organisationId is { } org)
        {
            query = query.Where(n => n.OrganisationId == org);
        }

        if (unacknowledged == true)
        {
            query = query.Where(n => n.AcknowledgedAt == null);
        }

        var notices = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct);
        await audit.RecordStaffReadAsync("notice.list", organisationId is { } o ? $"organisation/{o}/notices" : "notices", organisationId, ct);
        return TypedResults.Ok(notices.Select(View).ToList());
    }

    private static async Task<Results<Ok<NoticeView>, NotFound>> GetAsync(Guid id, NoticeActions actions, AuditLog audit, CancellationToken ct)
    {
        var notice = await actions.Visible().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordStaffReadAsync("notice.read", $"notice/{notice.Id}", notice.OrganisationId, ct);
        return TypedResults.Ok(View(notice));
    }

    private static async Task<Results<Ok<NoticeView>, NotFound>> AcknowledgeAsync(Guid id, NoticeActions actions, CancellationToken ct) =>
        await actions.AcknowledgeAsync(id, ct) is { } notice ? TypedResults.Ok(View(notice)) : TypedResults.NotFound();

    private static async Task<Results<Ok<NoticeView>, NotFound, ValidationProblem>> FeedbackAsync(
        Guid id, FeedbackRequest request, NoticeActions actions, CancellationToken ct)
    {
        var feedback = NoticeActions.CheckFeedback(request.Kind, request.Comment);
        if (!await actions.Visible().AnyAsync(n => n.Id == id, ct))
        {
            return TypedResults.NotFound();
        }

        if (feedback.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(feedback.Errors);
        }

        return await actions.FeedbackAsync(id, feedback, ct) is { } notice ? TypedResults.Ok(View(notice)) : TypedResults.NotFound();
    }

    internal static NoticeView View(Notice n) => new(
        n.Id, n.OrganisationId, n.IncidentId, n.Audience, n.PersonId, n.Title, n.Summary, n.Severity, n.Confidence, n.Attribution,
        n.Remediation, n.CreatedAt, n.AcknowledgedAt, n.Feedback, n.FeedbackComment, n.FeedbackAt, n.EscalationLevel);
}
