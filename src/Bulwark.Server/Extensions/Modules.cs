namespace Bulwark.Server.Extensions;

/// <summary>
/// Feature modules register here: one line each for services and one for endpoints, so features stay in
/// their own folders.
/// </summary>
public static class Modules
{
    public static void AddBulwarkModules(this WebApplicationBuilder builder)
    {
        Notification.NotificationModule.AddNotifications(builder);
        Ingestion.IngestionModule.AddIngestionAndIncidents(builder);
        Membership.MembershipModule.AddMembership(builder);
        Taxii.TaxiiModule.AddTaxii(builder);
        Intel.IntelModule.AddIntel(builder);
    }

    public static void MapBulwarkModules(this WebApplication app, RouteGroupBuilder api)
    {
        Notification.NotificationModule.MapNotifications(api);
        Ingestion.IngestionModule.MapIngestionAndIncidents(api);
        Membership.MembershipModule.MapMembershipApi(api);
        Taxii.TaxiiModule.MapTaxii(app, api);
        Intel.IntelModule.MapIntel(api);
    }
}
