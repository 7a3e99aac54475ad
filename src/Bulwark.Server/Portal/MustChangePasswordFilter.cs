using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bulwark.Server.Portal;

/// <summary>A user holding a one-time password sees nothing but the page that replaces it (and sign-out).</summary>
public sealed class MustChangePasswordFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.ActionDescriptor.ViewEnginePath;
        if (context.HttpContext.User.HasClaim(PortalClaims.MustChangePasswordClaim, "true")
            && page is not ("/Security/ChangePassword" or "/Account/SignOut"))
        {
            context.Result = new Microsoft.AspNetCore.Mvc.RedirectToPageResult("/Security/ChangePassword");
            return Task.CompletedTask;
        }

        return next();
    }
}
