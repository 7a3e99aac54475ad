using Bulwark.Data;
using Bulwark.Data.Ingestion;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Portal.Pages.Org.Sources;

/// <summary>One upload: its scan's status, reason and findings. Another organisation's upload is not found (tenant filter).</summary>
public sealed class UploadDetailModel(BulwarkDbContext db) : PageModel
{
    public Upload Upload { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (upload is null)
        {
            return NotFound();
        }

        Upload = upload;
        return Page();
    }
}
