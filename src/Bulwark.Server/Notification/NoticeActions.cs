using Bulwark.Data;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Notification;

/// <summary>
/// Reading, acknowledging and answering notices, for the API and the portal alike: an individual sees only the
/// notices addressed to them, an org admin their organisation's, staff all; every change is audited.
/// </summary>
public sealed class NoticeActions(BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time)
{
    public const int MaxCommentLength = 2000;

    public static readonly IReadOnlyList<string> FeedbackKinds = ["false-alarm", "this-was-me", "useful", "other"];

    /// <summary>Why feedback was refused, by field ("kind", "comment"); empty when it is acceptable.</summary>
    public sealed record FeedbackCheck(string? Kind, string? Comment, Dictionary<string, string[]> Errors);

    /// <summary>The notices the caller may see: an individual's own; an org admin's organisation's; staff all.</summary>
    public IQueryable<Notice> Visible() => caller.PersonId is { } person
        ? db.Notices.Where(n => n.Audience == NoticeAudience.Person && n.PersonId == person)
        : caller.IsInstanceWide
            ? db.Notices
            : db.Notices.Where(n => n.Audience == NoticeAudience.Organisation);

    /// <summary>Acknowledges a visible notice (the first acknowledgement is kept); null when the caller cannot see it.</summary>
    public async Task<Notice?> AcknowledgeAsync(Guid id, CancellationToken ct)
    {
        var notice = await Visible().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
        {
            return null;
        }

        if (notice.AcknowledgedAt is null)
        {
            notice.AcknowledgedAt = time.GetUtcNow();
            notice.AcknowledgedBy = caller.KeyId ?? caller.PersonId;
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("notice.acknowledge", $"notice/{notice.Id}", notice.OrganisationId, ct);
        }

        return notice;
    }

    /// <summary>Normalises feedback (kind in lower case, comment trimmed or null) and says what is wrong with it.</summary>
    public static FeedbackCheck CheckFeedback(string? kind, string? comment)
    {
        var errors = new Dictionary<string, string[]>();
        var normalisedKind = kind?.Trim().ToLowerInvariant();
        if (normalisedKind is null || !FeedbackKinds.Contains(normalisedKind))
        {
            errors["kind"] = [$"kind must be one of: {string.Join(", ", FeedbackKinds)}"];
        }

        var normalisedComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (normalisedComment is { Length: > MaxCommentLength })
        {
            errors["comment"] = [$"comment must be at most {MaxCommentLength} characters (is {normalisedComment.Length})"];
        }
        else if (normalisedComment is not null && normalisedComment.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            errors["comment"] = ["comment must not contain control characters"];
        }

        return new FeedbackCheck(normalisedKind, normalisedComment, errors);
    }

    /// <summary>Records checked feedback (see <see cref="CheckFeedback"/>) on a visible notice; null when the caller cannot see it.</summary>
    public async Task<Notice?> FeedbackAsync(Guid id, FeedbackCheck feedback, CancellationToken ct)
    {
        if (feedback.Errors.Count > 0)
        {
            throw new ArgumentException("feedback with errors cannot be recorded", nameof(feedback));
        }

        var notice = await Visible().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
        {
            return null;
        }

        notice.Feedback = feedback.Kind;
        notice.FeedbackComment = feedback.Comment;
        notice.FeedbackAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("notice.feedback", $"notice/{notice.Id}", notice.OrganisationId, ct);
        return notice;
    }
}
