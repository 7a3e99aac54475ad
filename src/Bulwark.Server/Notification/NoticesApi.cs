using Bulwark.Core.Findings;
using Bulwark.Data;
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
    public const int MaxCommentLength = 2000;

    public static readonly IReadOnlyList<string> FeedbackKinds = ["false-alarm", "this-was-me", "useful", "other"];

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

    /// <summary>An individual sees only notices addressed to them; an org admin the organisation's; staff all.</summary>
    private static IQueryable<Notice> Visible(BulwarkDbContext db, Caller caller) => caller.PersonId is { } person
        ? db.Notices.Where(n => n.Audience == NoticeAudience.Person && n.PersonId == person)
        : caller.IsInstanceWide
            ? db.Notices
            : db.Notices.Where(n => n.Audience == NoticeAudience.Organisation);

    private static async Task<Ok<List<NoticeView>>> ListAsync(
        BulwarkDbContext db, Caller caller, AuditLog audit, Guid? organisationId, bool? unacknowledged, int? limit, CancellationToken ct)
    {
        var query = Visible(db, caller).AsNoTracking();
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

    private static async Task<Results<Ok<NoticeView>, NotFound>> GetAsync(Guid id, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        var notice = await Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordStaffReadAsync("notice.read", $"notice/{notice.Id}", notice.OrganisationId, ct);
        return TypedResults.Ok(View(notice));
    }

    private static async Task<Results<Ok<NoticeView>, NotFound>> AcknowledgeAsync(
        Guid id, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var notice = await Visible(db, caller).FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
        {
            return TypedResults.NotFound();
        }

        if (notice.AcknowledgedAt is null)
        {
            notice.AcknowledgedAt = time.GetUtcNow();
            notice.AcknowledgedBy = caller.KeyId ?? caller.PersonId;
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("notice.acknowledge", $"notice/{notice.Id}", notice.OrganisationId, ct);
        }

        return TypedResults.Ok(View(notice));
    }

    private static async Task<Results<Ok<NoticeView>, NotFound, ValidationProblem>> FeedbackAsync(
        Guid id, FeedbackRequest request, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !FeedbackKinds.Contains(kind))
        {
            errors["kind"] = [$"kind must be one of: {string.Join(", ", FeedbackKinds)}"];
        }

        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment is { Length: > MaxCommentLength })
        {
            errors["comment"] = [$"comment must be at most {MaxCommentLength} characters (is {comment.Length})"];
        }
        else if (comment is not null && comment.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            errors["comment"] = ["comment must not contain control characters"];
        }

        var notice = await Visible(db, caller).FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
        {
            return TypedResults.NotFound();
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        notice.Feedback = kind;
        notice.FeedbackComment = comment;
        notice.FeedbackAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("notice.feedback", $"notice/{notice.Id}", notice.OrganisationId, ct);
        return TypedResults.Ok(View(notice));
    }

    internal static NoticeView View(Notice n) => new(
        n.Id, n.OrganisationId, n.IncidentId, n.Audience, n.PersonId, n.Title, n.Summary, n.Severity, n.Confidence, n.Attribution,
        n.Remediation, n.CreatedAt, n.AcknowledgedAt, n.Feedback, n.FeedbackComment, n.FeedbackAt, n.EscalationLevel);
}
