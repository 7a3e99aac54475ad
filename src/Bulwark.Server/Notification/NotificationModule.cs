using Bulwark.Server.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Notification;

/// <summary>The notification module: notices, contacts, webhooks, the email sender and the delivery worker.</summary>
public static class NotificationModule
{
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, ProblemsValidator<NotificationOptions>>(
            _ => new ProblemsValidator<NotificationOptions>(o => o.Problems()));
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, ProblemsValidator<SmtpOptions>>(
            _ => new ProblemsValidator<SmtpOptions>(o => o.Problems()));

        // Webhook secrets are encrypted with Data Protection; its keys live beside the database.
        services.AddDataProtection().SetApplicationName("Bulwark");
        services.AddScoped<Membership.Personal.IPersonErasure, NoticeErasure>();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((o, storage, logs) =>
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(storage.Value.DataDirectory, "keys")), logs));

        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.SendTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Bulwark-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowLoopback = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.AllowLoopbackWebhooks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                    ConnectCallback = (context, ct) => WebhookAddress.ConnectAsync(context, allowLoopback, ct),
                };
            });

        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        services.AddSingleton<IJitterSource, SharedJitter>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService<DeliveryWorker>();
        services.AddScoped<INoticeIssuer, NoticeIssuer>();
        services.AddScoped<NoticeActions>();
    }

    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder api) =>
        api.MapNoticesApi().MapContactsApi().MapWebhooksApi();

    /// <summary>Fails options validation with every problem an options class reports, each naming its key.</summary>
    private sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
