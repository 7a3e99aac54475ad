using System.Globalization;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Data.Notification;
using StandardWebhooks;

namespace Bulwark.Server.Notification;

/// <summary>
/// Posts <c>notice.created</c> events signed per Standard Webhooks: <c>webhook-id</c> is the delivery's
/// idempotency key (the same on every retry), <c>webhook-timestamp</c> the attempt's time, and
/// <c>webhook-signature</c> <c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c>. The body is thin: ids,
/// title and levels, no personal data; receivers read the rest through the API. Non-2xx is a failure.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecrets secrets, TimeProvider time)
{
    public const string HttpClientName = "Bulwark.Webhooks";
    public const string EventType = "notice.created";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record NoticePayload(Guid Id, string Title, string Severity, string Confidence, Guid OrganisationId, DateTimeOffset CreatedAt);

    public sealed record Payload(string Type, NoticePayload Notice);

    public static string Body(Notice notice) => JsonSerializer.Serialize(
        new Payload(EventType, new NoticePayload(notice.Id, notice.Title, notice.Severity.ToText(), notice.Confidence.ToText(), notice.OrganisationId, notice.CreatedAt)),
        Json);

    public async Task SendAsync(Webhook webhook, Notice notice, string messageId, CancellationToken ct)
    {
        var body = Body(notice);
        var now = time.GetUtcNow();
        var signature = new StandardWebhook(secrets.Unprotect(webhook.EncryptedSecret)).Sign(messageId, now, body);

        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);

        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(HttpRequestError.InvalidResponse, $"HTTP {(int)response.StatusCode}", statusCode: response.StatusCode);
        }
    }
}
