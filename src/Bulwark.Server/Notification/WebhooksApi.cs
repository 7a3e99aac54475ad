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

        if (WebhookAddress.Problem(request.Url, options.Value.AllowLoopbackWebhooks) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [problem] });
        }

        var secret = WebhookSecrets.Create();
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            OrganisationId = organisationId,
            Url = new Uri(request.Url!.Trim()).AbsoluteUri,
            EncryptedSecret = secrets.Protect(secret),
            CreatedAt = time.GetUtcNow(),
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("webhook.create", $"webhook/{webhook.Id}", organisationId, ct);
        return TypedResults.Created($"/api/v1/organisations/{organisationId}/webhooks/{webhook.Id}", new CreatedWebhook(View(webhook), secret));
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

        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.OrganisationId == organisationId && w.Id == webhookId, ct);
        if (webhook is null)
        {
            return TypedResults.NotFound();
        }

        if (webhook.DisabledAt is null)
        {
            webhook.DisabledAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("webhook.disable", $"webhook/{webhook.Id}", organisationId, ct);
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
