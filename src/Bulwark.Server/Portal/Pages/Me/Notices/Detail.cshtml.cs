using Bulwark.Data.Notification;
using Bulwark.Server.Notification;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Me.Notices;

/// <summary>
/// One of the person's notices: what happened, how sure we are, what to do; acknowledging it and answering
/// "this was me" or "false alarm". Someone else's notice, like a missing one, is not found.
/// </summary>
public sealed class DetailModel(NoticeActions notices, IStringLocalizer<Text.MeText> t) : PageModel
{
    /// <summary>A paragraph of the notice's text, or a list of its lines that start with "- ".</summary>
    public sealed record Block(string? Paragraph, IReadOnlyList<string>? Items);

    [BindProperty(SupportsGet = true)]
    public Guid? Id { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public Notice Notice { get; private set; } = null!;

    public IReadOnlyList<Block> Summary { get; private set; } = [];

    public IReadOnlyList<string> Steps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAcknowledgeAsync(CancellationToken ct)
    {
        if (Id is not { } id || await notices.AcknowledgeAsync(id, ct) is null)
        {
            return NotFound();
        }

        TempData["Status"] = t["Notice acknowledged. Thank you."].Value;
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostFeedbackAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var feedback = NoticeActions.CheckFeedback(Kind, Comment);
        if (feedback.Errors.ContainsKey("kind"))
        {
            ModelState.AddModelError(nameof(Kind), t["Choose one of the answers: \"This was me\" or \"False alarm\"."]);
        }

        if (feedback.Errors.ContainsKey("comment"))
        {
            ModelState.AddModelError(nameof(Comment), feedback.Comment!.Length > NoticeActions.MaxCommentLength
                ? t["Your comment is too long: {0} characters at most.", NoticeActions.MaxCommentLength]
                : t["Your comment contains characters that cannot be kept. Please type it again."]);
        }

        if (feedback.Errors.Count > 0)
        {
            return Page();
        }

        await notices.FeedbackAsync(Notice.Id, feedback, ct);
        TempData["Status"] = (feedback.Kind switch
        {
            "this-was-me" => t["Thank you. We noted that this was you."],
            "false-alarm" => t["Thank you. We noted that you think this is a false alarm; an analyst will review it."],
            _ => t["Thank you for your answer."],
        }).Value;
        return RedirectToPage(new { id = Notice.Id });
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (Id is not { } id || await notices.Visible().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct) is not { } notice)
        {
            return false;
        }

        Notice = notice;
        Summary = Blocks(notice.Summary);
        Steps = notice.Remediation.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(StepText).ToList();
        return true;
    }

    private static List<Block> Blocks(string text)
    {
        var blocks = new List<Block>();
        List<string>? items = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                if (items is null)
                {
                    items = [];
                    blocks.Add(new Block(null, items));
                }

                items.Add(line[2..]);
            }
            else
            {
                items = null;
                blocks.Add(new Block(line, null));
            }
        }

        return blocks;
    }

    /// <summary>"2. Change the password." reads "Change the password." inside a numbered list.</summary>
    private static string StepText(string line)
    {
        var dot = line.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 && dot <= 3 && line[..dot].All(char.IsAsciiDigit) ? line[(dot + 2)..] : line;
    }
}
