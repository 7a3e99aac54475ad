using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Bulwark.Server.Notification;

/// <summary>
/// Webhook signing secrets (<c>whsec_</c> + base64 of 32 random bytes). They are stored encrypted with ASP.NET
/// Core Data Protection (keys under <c>Storage:DataDirectory/keys</c>) because the worker must read them back to sign.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "whsec_";

    private readonly IDataProtector _protector = provider.CreateProtector("Bulwark.Notification.WebhookSecret.v1");

    public static string Create() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public byte[] Protect(string secret) => _protector.Protect(Encoding.UTF8.GetBytes(secret));

    public string Unprotect(byte[] encrypted) => Encoding.UTF8.GetString(_protector.Unprotect(encrypted));
}
