using Bulwark.Server.Incidents;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Ingestion (uploads, the scan worker, findings submissions) and the incidents its findings feed: one module,
/// because storing a finding and grouping it into an incident commit together.
/// </summary>
public static class IngestionModule
{
    public static void AddIngestionAndIncidents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.PollInterval >= TimeSpan.FromSeconds(1) && o.PollInterval <= TimeSpan.FromHours(1), "Ingestion:PollInterval must be between 00:00:01 and 01:00:00")
            .ValidateOnStart();
        services.AddOptions<IncidentPolicyOptions>().BindConfiguration(IncidentPolicyOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<IncidentPolicyOptions>, IncidentPolicyOptions.Validator>();

        WorkerTenant.Register(services);
        services.AddSingleton<UploadFiles>();
        services.AddScoped<Membership.Personal.IPersonErasure, Incidents.IncidentErasure>();
        services.AddSingleton<UploadSignal>();
        services.AddSingleton<OrganisationLocks>();
        services.AddScoped<FindingIntake>();
        services.AddScoped<IncidentGrouper>();
        services.AddScoped<IncidentDecisions>();
        services.AddHostedService<UploadScanWorker>();
    }

    public static RouteGroupBuilder MapIngestionAndIncidents(this RouteGroupBuilder api) =>
        api.MapUploadsApi().MapFindingsApi().MapIncidentsApi();
}
