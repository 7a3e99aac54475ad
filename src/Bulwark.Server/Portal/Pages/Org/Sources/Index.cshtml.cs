using Bulwark.Data;
using Bulwark.Data.Access;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Notification;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal.Pages.Org.Sources;

/// <summary>
/// What feeds Bulwark and where it reports: uploads (the form posts to <see cref="UploadModel"/>, which streams),
/// the organisation's API keys, and its webhooks with their delivery logs.
/// </summary>
public sealed class IndexModel(
    BulwarkDbContext db,
    Caller caller,
    ApiKeys apiKeys,
    AuditLog audit,
    WebhookSecrets secrets,
    IOptions<NotificationOptions> notifications,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    IStringLocalizer<Text.OrgText> t) : PageModel
{
    public const int MaxKeyName = 200;

    public sealed record UploadRow(Guid Id, string FileName, UploadStatus Status, string? Reason, int Findings, long Size, DateTimeOffset ReceivedAt);

    public sealed record KeyRow(Guid Id, string Name, ApiKeyScope Scope, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    public sealed record WebhookRow(Guid Id, string Url, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, int Sent, int Pending, int DeadLetters);

    [BindProperty]
    public string? KeyName { get; set; }

    [BindProperty]
    public string? WebhookUrl { get; set; }

    public IReadOnlyList<UploadRow> Uploads { get; private set; } = [];

    public IReadOnlyList<KeyRow> Keys { get; private set; } = [];

    public IReadOnlyList<WebhookRow> Webhooks { get; private set; } = [];

    public long MaxUploadBytes => storage.Value.MaxUploadBytes;

    /// <summary>A key's token or a webhook's secret, shown once right after it was made.</summary>
    public (string Label, string Value)? ShownOnce { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateKeyAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var name = KeyName?.Trim() ?? "";
        if (name.Length is 0 or > MaxKeyName || name.Any(char.IsControl))
        {
            ModelState.AddModelError(nameof(KeyName), t["Give the key a name of 1 to {0} characters, such as the server that will use it.", MaxKeyName]);
            await LoadAsync(ct);
            return Page();
        }

        // Org admins make ingest keys for their own systems (as the API allows them); admin keys come from the operator.
        var (key, token) = await apiKeys.CreateAsync(name, ApiKeyScope.OrganisationIngest, org, caller.KeyId ?? caller.UserId, ct);
        await audit.RecordAsync("key.create", $"key/{key.Id}", org, ct);
        ShownOnce = (t["The new key {0}. Copy it now into the system that will send logs: it is shown only this once.", name], token);
        KeyName = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.OrganisationId == org, ct);
        if (key is null)
        {
            return NotFound();
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("key.revoke", $"key/{key.Id}", org, ct);
        }

        TempData["Status"] = t["The key {0} is revoked: it no longer works.", key.Name].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostAddWebhookAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var (created, problem) = await WebhooksApi.AddWebhookAsync(org, WebhookUrl, db, audit, secrets, notifications.Value, time, ct);
        if (created is not { } hook)
        {
            ModelState.AddModelError(nameof(WebhookUrl), t[problem!]);
            await LoadAsync(ct);
            return Page();
        }

        ShownOnce = (t["The signing secret of {0}. Copy it now to verify the webhook's signatures: it is shown only this once.", hook.Webhook.Url], hook.Secret);
        WebhookUrl = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableWebhookAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        if (!await WebhooksApi.DisableWebhookAsync(org, id, db, audit, time, ct))
        {
            return NotFound();
        }

        TempData["Status"] = t["The webhook is disabled: it gets no new deliveries."].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        Uploads = await db.Uploads.AsNoTracking().OrderByDescending(u => u.ReceivedAt).ThenByDescending(u => u.Id).Take(50)
            .Select(u => new UploadRow(u.Id, u.FileName, u.Status, u.Reason, u.Findings, u.Size, u.ReceivedAt)).ToListAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.OrganisationId == org).ToListAsync(ct);
        Keys = [.. keys.OrderBy(k => k.CreatedAt).Select(k => new KeyRow(k.Id, k.Name, k.Scope, k.CreatedAt, k.LastUsedAt, k.RevokedAt))];
        Webhooks = await db.Webhooks.AsNoTracking().Where(w => w.OrganisationId == org).OrderBy(w => w.CreatedAt)
            .Select(w => new WebhookRow(
                w.Id, w.Url, w.CreatedAt, w.DisabledAt,
                db.Deliveries.Count(d => d.WebhookId == w.Id && d.Status == DeliveryStatus.Sent),
                db.Deliveries.Count(d => d.WebhookId == w.Id && d.Status == DeliveryStatus.Pending),
                db.Deliveries.Count(d => d.WebhookId == w.Id && d.Status == DeliveryStatus.DeadLetter)))
            .ToListAsync(ct);
    }
}
