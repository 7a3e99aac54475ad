using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bulwark.Server.Portal.Pages;

/// <summary>The portal's front door sends each user to the first page of their main role.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet()
    {
        var scopes = User.FindAll(ApiKeyAuthentication.ScopeClaim).Select(c => c.Value).ToHashSet();
        return Redirect(
            scopes.Contains("Operator") ? "/operator"
            : scopes.Contains("Analyst") ? "/analyst"
            : scopes.Contains("OrganisationAdmin") ? "/org"
            : User.HasClaim(c => c.Type == PersonAccess.PersonClaim) ? "/me/notices"
            : "/security");
    }
}
