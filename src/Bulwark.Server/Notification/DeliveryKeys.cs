using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Server.Notification;

/// <summary>
/// Idempotency keys: one per (notice, channel, recipient). The key is the webhook's <c>webhook-id</c> and the
/// source of the email's Message-ID. An email address enters it only hashed, so the key can travel and be logged.
/// </summary>
public static class DeliveryKeys
{
    public static string Email(Guid noticeId, string address) =>
        $"ntc_{noticeId:N}_em_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormaliseAddress(address))))[..32]}";

    public static string Webhook(Guid noticeId, Guid webhookId) => $"ntc_{noticeId:N}_wh_{webhookId:N}";

    /// <summary>Addresses are compared case-insensitively (deduplication, rate limits, keys).</summary>
    public static string NormaliseAddress(string address) => address.Trim().ToLowerInvariant();
}
