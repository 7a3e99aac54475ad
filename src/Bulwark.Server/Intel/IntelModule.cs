using Microsoft.Extensions.Options;

namespace Bulwark.Server.Intel;

/// <summary>
/// Threat intelligence on the server: operator-managed sources (uploads, TAXII, MISP feeds) under
/// <c>/api/v1/intel</c>, the one current intel set upload scans use, the poller, and the retro-hunt of recent findings.
/// </summary>
public static class IntelModule
{
    public static void AddIntel(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IntelOptions>().BindConfiguration(IntelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntelOptions>>(new ProblemsValidator());
        services.AddHttpClient(IntelPoller.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<IntelOptions>>().Value.FetchTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Bulwark-Intel/1");
            })
            // No redirects: a poll carries the source's credentials, and they are meant for the URL the operator gave.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IntelSecrets>();
        services.AddSingleton<CurrentIntel>();
        services.AddScoped<IntelPoller>();
        services.AddScoped<RetroHunter>();
        services.AddScoped<IntelRefresher>();
        services.AddSingleton<IntelPollWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<IntelPollWorker>());
    }

    public static RouteGroupBuilder MapIntel(this RouteGroupBuilder api) => api.MapIntelApi();

    private sealed class ProblemsValidator : IValidateOptions<IntelOptions>
    {
        public ValidateOptionsResult Validate(string? name, IntelOptions options)
        {
            var found = options.Problems().ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
