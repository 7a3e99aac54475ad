using Bulwark.Server.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Taxii;

/// <summary>The TAXII 2.1 server role (ADR 14): protocol routes under <c>/taxii2/</c>, operator routes under <c>/api/v1/taxii</c>.</summary>
public static class TaxiiModule
{
    public static void AddTaxii(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TaxiiOptions>().BindConfiguration(TaxiiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TaxiiAuthentication>(TaxiiAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(TaxiiApi.Policy, p => p
            .AddAuthenticationSchemes(TaxiiAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthentication.KeyIdClaim));
        services.AddScoped<TaxiiAccess>();
        services.AddScoped<TaxiiIntake>();
        services.AddSingleton<TaxiiStatusRetention>();
        services.AddHostedService<TaxiiStatusRetentionWorker>();
    }

    public static void MapTaxii(this WebApplication app, RouteGroupBuilder api)
    {
        api.MapTaxiiCollectionsApi();
        app.MapTaxiiProtocol(app.Services.GetRequiredService<IOptions<TaxiiOptions>>().Value);
    }
}
