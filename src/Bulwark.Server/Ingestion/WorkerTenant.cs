using Bulwark.Data;
using Bulwark.Server.Access;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Lets a background worker's DI scope act instance-wide. A request's tenant is its <see cref="Caller"/>; a worker
/// has no caller (it would see no organisation at all), so it marks its scope instance-wide before resolving
/// anything. Everything resolved in that scope (the DbContext, and through it a notice issuer) shares that one
/// context, so one SaveChanges commits the worker's unit of work.
/// </summary>
public sealed class WorkerTenant
{
    public ITenantContext? Override { get; private set; }

    /// <summary>A new scope whose tenant is <see cref="FixedTenant.InstanceWide"/>.</summary>
    public static AsyncServiceScope CreateInstanceWideScope(IServiceScopeFactory scopes)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkerTenant>().Override = FixedTenant.InstanceWide;
        return scope;
    }

    /// <summary>Resolves <see cref="ITenantContext"/> from the override when set, else from the caller.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddScoped<WorkerTenant>();
        services.Replace(ServiceDescriptor.Scoped<ITenantContext>(sp =>
            sp.GetRequiredService<WorkerTenant>().Override ?? sp.GetRequiredService<Caller>()));
    }
}
