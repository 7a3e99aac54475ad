using System.Threading.RateLimiting;
using Bulwark.Data;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Health;
using Bulwark.Server.Organisations;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace Bulwark.Server.Extensions;

/// <summary>Composition of the server: services, then the HTTP pipeline and the API modules.</summary>
public static class ServerExtensions
{
    public static void AddBulwarkServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section)
            .Validate(o => o.BootstrapToken is null || o.BootstrapToken.Length >= 32, "Operator:BootstrapToken must be at least 32 characters")
            .ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "Database:ConnectionString is required when Database:Provider is Postgres")
            .ValidateOnStart();

        services.AddHttpContextAccessor();
        services.AddScoped<Caller>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<Caller>());
        services.AddDbContext<BulwarkDbContext>((sp, options) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            BulwarkDatabase.Configure(options, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, storage.DataDirectory);
            options.AddInterceptors(new TenantSessionInterceptor(sp.GetRequiredService<ITenantContext>()));
        });

        services.AddSingleton<TenantDatabase>();
        services.AddSingleton<BulwarkMetrics>();
        services.AddSingleton<EvidenceRetention>();
        services.AddHostedService<EvidenceRetentionWorker>();
        services.AddScoped<ApiKeys>();
        services.AddScoped<AuditLog>();
        services.AddScoped<Eligibility>();

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddBulwarkPolicies();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimits.Public, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
        });

        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddOpenTelemetry()
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource(Telemetry.Source.Name))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter(Telemetry.MeterName))
            .UseOtlpExporterWhenConfigured(builder.Configuration);

        builder.AddBulwarkModules();
        Portal.PortalModule.AddPortal(builder);
    }

    /// <summary>Creates the data directory and brings the database to the latest migration.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Directory.CreateDirectory(storage.DataDirectory);
        Directory.CreateDirectory(storage.UploadDirectory);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BulwarkDbContext>();
        await db.Database.MigrateAsync();
        var bootstrap = scope.ServiceProvider.GetRequiredService<IOptions<OperatorOptions>>().Value.BootstrapToken;
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        if (await keys.EnsureBootstrapAsync(bootstrap, CancellationToken.None))
        {
            app.Logger.LogWarning("Created the first operator key from Operator:BootstrapToken; create real keys with it, then revoke it");
        }
        else if (string.IsNullOrEmpty(bootstrap) && await keys.CreateFirstOperatorAsync(CancellationToken.None) is { } token)
        {
            // Shown once, on the console only (never in the logs): the new instance's first operator key.
            Console.Error.WriteLine($"Bulwark: first operator key (shown once; store it safely): {token}");
        }

        if (await scope.ServiceProvider.GetRequiredService<Portal.PortalAccounts>().EnsureFirstOperatorAsync(CancellationToken.None) is { } password)
        {
            // Shown once, on the console only: it must be replaced at the first sign-in.
            Console.Error.WriteLine($"Bulwark: portal sign-in \"{Portal.PortalAccounts.FirstOperatorName}\", one-time password (shown once; replaced at first sign-in): {password}");
        }
    }

    public static void MapBulwark(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        Portal.PortalModule.UsePortal(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapBulwarkHealth();

        var api = app.MapGroup("/api/v1");
        api.MapAccessApi();
        api.MapOrganisationsApi();
        api.MapAuditApi();
        app.MapBulwarkModules(api);
        Portal.PortalModule.MapPortal(app);
    }

    private static IOpenTelemetryBuilder UseOtlpExporterWhenConfigured(this IOpenTelemetryBuilder builder, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ? builder : builder.UseOtlpExporter();
}
