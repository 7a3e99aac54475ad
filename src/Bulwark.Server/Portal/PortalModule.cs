using System.Globalization;
using System.Threading.RateLimiting;
using Bulwark.Data;
using Bulwark.Data.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace Bulwark.Server.Portal;

/// <summary>
/// The portal: server-rendered Razor Pages on the service's own database, signed in with ASP.NET Core
/// Identity (password with breach and length rules, TOTP, passkeys, recovery codes). See ADR 11.
/// </summary>
public static class PortalModule
{
    public const string SignInRateLimit = "portal-sign-in";

    public static readonly string[] Languages = ["en", "fr", "es"];

    public static void AddPortal(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PasswordOptions>().BindConfiguration(PasswordOptions.Section);
        services.AddHttpClient(BreachedPasswords.HttpClientName);

        services.AddAuthentication().AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "bulwark-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/denied";

            // Every sign-in (password, code, recovery code, passkey, invitation, reset) and every refresh after a
            // language change carries the user's language to the pages through the culture cookie, in one place.
            o.Events.OnSigningIn = context =>
            {
                if (context.Principal?.FindFirst(PortalClaims.LanguageClaim)?.Value is { } language)
                {
                    SetLanguageCookie(context.HttpContext.Response, language);
                }

                return Task.CompletedTask;
            };
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        services.AddIdentityCore<PortalUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
                o.SignIn.RequireConfirmedAccount = false;
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<BulwarkDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<PortalClaims>()
            .AddPasswordValidator<BreachedPasswords>();
        services.Configure<IdentityPasskeyOptions>(o => o.ServerDomain = builder.Configuration["Portal:PasskeyDomain"]);
        services.AddScoped<PortalAccounts>();
        services.AddScoped<PasswordResets>();

        services.AddAuthorizationBuilder().AddPortalPolicies();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("en").AddSupportedCultures(Languages).AddSupportedUICultures(Languages);
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Portal/Pages";
                o.Conventions.AuthorizeFolder("/", PortalPolicies.SignedIn);
                o.Conventions.AllowAnonymousToFolder("/Account");
                o.Conventions.AuthorizeFolder("/Me", PortalPolicies.Individual);
                o.Conventions.AuthorizeFolder("/Org", PortalPolicies.OrgAdmin);
                o.Conventions.AuthorizeFolder("/Analyst", PortalPolicies.Analyst);
                o.Conventions.AuthorizeFolder("/Operator", PortalPolicies.Operator);
                o.Conventions.Add(new KebabCaseRoutes());
            })
            .AddMvcOptions(o => o.Filters.Add<MustChangePasswordFilter>())
            .AddViewLocalization();
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "bulwark-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Password, code and passkey attempts: a few per minute per client address (Portal:SignInAttemptsPerMinute).
        var attempts = builder.Configuration.GetValue("Portal:SignInAttemptsPerMinute", 10);
        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => o.AddPolicy(SignInRateLimit, http =>
            HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    "sign-in:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = attempts, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("get")));
    }

    /// <summary>Static files, headers and culture; before authentication in the pipeline.</summary>
    public static void UsePortal(WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRequestLocalization();
    }

    public static void MapPortal(WebApplication app) => app.MapRazorPages();

    /// <summary>The culture cookie that carries a person's language to every page (written whenever the sign-in cookie is).</summary>
    public static void SetLanguageCookie(HttpResponse response, string language)
    {
        var culture = Languages.Contains(language) ? language : "en";
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(CultureInfo.GetCultureInfo(culture))),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = response.HttpContext.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
    }
}
