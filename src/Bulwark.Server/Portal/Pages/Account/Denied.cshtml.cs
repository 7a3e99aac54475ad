using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bulwark.Server.Portal.Pages.Account;

/// <summary>Where a signed-in user lands on a page of another role: answered with 403.</summary>
public sealed class DeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
