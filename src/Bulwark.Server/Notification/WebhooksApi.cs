using Bulwark.Data;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Notification;

/// <summary>An organisation's webhook endpoints and their delivery log. Org admin of that organisation only.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/organisations/{organisationId:guid}/webhooks").WithTags("Webhooks")
            .RequireAuthorization(Policies.OrganisationAdmin);
        hooks.MapPost("/", CreateAsync)
            .WithSummary("Register an https endpoint. The signing secret (whsec_…) is returned once; keep it to verify signatures.");
        hooks.MapGet("/", ListAsync);
        hooks.MapDelete("/{webhookId:guid}", DisableAsync).WithSummary("Disable an endpoint: no new deliveries; pending ones are dropped.");
        hooks.MapGet("/{webhookId:guid}/deliveries", DeliveriesAsync)
            .WithSummary("The endpoint's delivery log, newest first: status, attempts, last error, times (dead letters included).");
        return api;
    }

    public sealed record WebhookRequest(string? Url);

    public sealed record WebhookView(Guid Id, string Url, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

    public sealed record CreatedWebhook(WebhookView Webhook, string Secret);

    public sealed record DeliveryView(
        Guid Id, Guid NoticeId, string WebhookMessageId, DeliveryStatus Status, int Attempts, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt);

    private static async Task<Results<Created<CreatedWebhook>, ValidationProblem, NotFound>> CreateAsync(
        Guid organisationId, WebhookRequest request, BulwarkDbContext db, Caller caller, AuditLog audit, WebhookSecrets secrets,
        IOptions<NotificationOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        var (created, problem) = await AddWebhookAsync(organisationId, request.Url, db, audit, secrets, options.Value, time, ct);
        if (created is not { } hook)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [problem!] });
        }

        return TypedResults.Created($"/api/v1/organisations/{organisationId}/webhooks/{hook.Webhook.Id}", new CreatedWebhook(View(hook.Webhook), hook.Secret));
    }

    /// <summary>
    /// Registers an endpoint after the same address checks as every delivery (the API and the portal): the webhook
    /// and its signing secret, shown once; or why the URL cannot be one. The caller has checked it administers the organisation.
    /// </summary>
    public static async Task<((Webhook Webhook, string Secret)? Created, string? Problem)> AddWebhookAsync(
        Guid organisationId, string? url, BulwarkDbContext db, AuditLog audit, WebhookSecrets secrets, NotificationOptions options, TimeProvider time, CancellationToken ct)
    {
        if (WebhookAddress.Problem(url, options.AllowLoopbackWebhooks) is { } problem)
        {
            return (null, problem);
        }

        var secret = WebhookSecrets.Create();
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            OrganisationId = organisationId,
            Url = new Uri(url!.Trim()).AbsoluteUri,
            EncryptedSecret = secrets.Protect(secret),
            CreatedAt = time.GetUtcNow(),
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("webhook.create", $"webhook/{webhook.Id}", organisationId, ct);
        return ((webhook, secret), null);
    }

    /// <summary>Disables an endpoint (no new deliveries); false when the organisation has no such webhook.</summary>
    public static async Task<bool> DisableWebhookAsync(Guid organisationId, Guid webhookId, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.OrganisationId == organisationId && w.Id == webhookId, ct);
        if (webhook is null)
        {
            return false;
        }

        if (webhook.DisabledAt is null)
        {
            webhook.DisabledAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("webhook.disable", $"webhook/{webhook.Id}", organisationId, ct);
        }

        return true;
    }

    private static async Task<Results<Ok<List<WebhookView>>, NotFound>> ListAsync(Guid organisationId, BulwarkDbContext db, Caller caller, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        var hooks = await db.Webhooks.AsNoTracking().Where(w => w.OrganisationId == organisationId).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(hooks.Select(View).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> DisableAsync(
        Guid organisationId, Guid webhookId, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        if (!await DisableWebhookAsync(organisationId, webhookId, db, audit, time, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<DeliveryView>>, NotFound>> DeliveriesAsync(
        Guid organisationId, Guid webhookId, BulwarkDbContext db, Caller caller, int? limit, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId || !await db.Webhooks.AnyAsync(w => w.OrganisationId == organisationId && w.Id == webhookId, ct))
        {
            return TypedResults.NotFound();
        }

        var deliveries = await db.Deliveries.AsNoTracking()
            .Where(d => d.OrganisationId == organisationId && d.WebhookId == webhookId && d.Channel == DeliveryChannel.Webhook)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Take(Math.Clamp(limit ?? 100, 1, 500))
            .Select(d => new DeliveryView(d.Id, d.NoticeId, d.IdempotencyKey, d.Status, d.Attempts, d.LastError, d.CreatedAt, d.NextAttemptAt, d.SentAt))
            .ToListAsync(ct);
        return TypedResults.Ok(deliveries);
    }

    private static WebhookView View(Webhook w) => new(w.Id, w.Url, w.CreatedAt, w.DisabledAt);
}
