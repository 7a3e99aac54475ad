using Bulwark.Data.Notification;
using Bulwark.Server.Notification;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal.Pages.Me.Notices;

/// <summary>The signed-in person's own notices (never anyone else's): unread first, then newest.</summary>
public sealed class IndexModel(NoticeActions notices) : PageModel
{
    /// <summary>At most this many are listed; a person rarely has more than a handful.</summary>
    public const int Shown = 200;

    public IReadOnlyList<Notice> Notices { get; private set; } = [];

    public int Unread => Notices.Count(n => n.AcknowledgedAt is null);

    public async Task OnGetAsync(CancellationToken ct) =>
        Notices = await notices.Visible().AsNoTracking()
            .OrderBy(n => n.AcknowledgedAt != null)
            .ThenByDescending(n => n.CreatedAt)
            .ThenByDescending(n => n.Id)
            .Take(Shown)
            .ToListAsync(ct);
}
