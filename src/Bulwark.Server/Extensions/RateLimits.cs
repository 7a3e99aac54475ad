namespace Bulwark.Server;

/// <summary>Names of the rate-limit policies.</summary>
public static class RateLimits
{
    /// <summary>Anonymous endpoints (applications): per client address.</summary>
    public const string Public = nameof(Public);
}
