using Bulwark.Data;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal.Pages.Org.Sources;

/// <summary>A webhook's delivery log, newest first: attempts, status, last error, dead letters.</summary>
public sealed class WebhookLogModel(BulwarkDbContext db, Caller caller) : PageModel
{
    public const int Limit = 200;

    public Webhook Webhook { get; private set; } = null!;

    public IReadOnlyList<Delivery> Deliveries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id && w.OrganisationId == org, ct);
        if (webhook is null)
        {
            return NotFound();
        }

        Webhook = webhook;
        Deliveries = await db.Deliveries.AsNoTracking()
            .Where(d => d.OrganisationId == org && d.WebhookId == id && d.Channel == DeliveryChannel.Webhook)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Take(Limit)
            .ToListAsync(ct);
        return Page();
    }
}
