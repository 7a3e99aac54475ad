using System.ComponentModel.DataAnnotations;

namespace Bulwark.Server.Intel;

/// <summary>Configuration section <c>Intel</c>: the intelligence the server matches uploads against, and its sources.</summary>
public sealed class IntelOptions
{
    public const string Section = "Intel";

    /// <summary>Include the starter intelligence shipped with Bulwark (CISA AA21-062A, Microsoft's HAFNIUM lists).</summary>
    public bool Starter { get; set; } = true;

    /// <summary>When new intelligence arrives, findings received this many days back are matched again (0: never).</summary>
    [Range(0, 3650)]
    public int RetroHuntDays { get; set; } = 30;

    /// <summary>Poll TAXII and MISP-feed sources that are due, in this process (turn off on web-only instances).</summary>
    public bool PollerEnabled { get; set; } = true;

    /// <summary>How often the poller looks for due sources and for changes another instance made.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest intel file upload, in bytes (413 above).</summary>
    [Range(1024, 1L << 31)]
    public long MaxUploadBytes { get; set; } = 128L << 20;

    /// <summary>Largest response a poll reads (one TAXII page, one MISP file), in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxResponseBytes { get; set; } = 64L << 20;

    /// <summary>Objects asked for per TAXII page.</summary>
    [Range(1, 10_000)]
    public int TaxiiPageSize { get; set; } = 1000;

    /// <summary>How long one HTTP request of a poll may take.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Allow <c>http://</c> source URLs. Off by default: a poll sends the source's credentials, and TAXII 2.1 requires
    /// HTTPS. For tests and closed networks.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    public IEnumerable<string> Problems()
    {
        if (CheckInterval < TimeSpan.FromSeconds(1) || CheckInterval > TimeSpan.FromHours(1))
        {
            yield return "Intel:CheckInterval must be between 00:00:01 and 01:00:00";
        }

        if (FetchTimeout < TimeSpan.FromSeconds(1) || FetchTimeout > TimeSpan.FromHours(1))
        {
            yield return "Intel:FetchTimeout must be between 00:00:01 and 01:00:00";
        }
    }
}
