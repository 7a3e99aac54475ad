using System.ComponentModel.DataAnnotations;

namespace Bulwark.Server.Notification;

/// <summary>Configuration section <c>Notifications</c>: the delivery worker, deduplication, rate limits and escalation.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Run the delivery worker in this process (turn off on API-only replicas; another process delivers).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>How often the worker looks for due deliveries when it found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deliveries leased per pass.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Attempts before a delivery is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubled after each further failure, plus up to half again of jitter.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a worker holds a delivery while sending; a worker that dies releases it when this runs out.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest wait for an SMTP exchange or a webhook response.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Emails one recipient may get per hour; more wait until the hour allows (critical notices are not held).</summary>
    [Range(1, 10000)]
    public int MaxEmailsPerRecipientPerHour { get; set; } = 5;

    /// <summary>A recipient already told about an incident within this window is not told again (the delivery is suppressed).</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A critical notice not acknowledged this long after its last email goes to the next contact in escalation order.</summary>
    public TimeSpan EscalationDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Accept <c>http://</c> webhooks to loopback addresses and send to them (tests and single-host setups only).</summary>
    public bool AllowLoopbackWebhooks { get; set; }

    /// <summary>The problems with these settings, each naming its key; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:PollInterval must be between 00:00:00.010 and 01:00:00 (is {PollInterval})";
        }

        if (BackoffBase <= TimeSpan.Zero)
        {
            yield return $"{Section}:BackoffBase must be positive (is {BackoffBase})";
        }

        if (MaxBackoff < BackoffBase)
        {
            yield return $"{Section}:MaxBackoff must be at least {Section}:BackoffBase (is {MaxBackoff})";
        }

        if (SendTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:SendTimeout must be positive (is {SendTimeout})";
        }

        if (LeaseTime < SendTimeout * 2)
        {
            yield return $"{Section}:LeaseTime must be at least twice {Section}:SendTimeout ({SendTimeout}), so a slow send keeps its lease (is {LeaseTime})";
        }

        if (DedupWindow < TimeSpan.Zero)
        {
            yield return $"{Section}:DedupWindow must not be negative (is {DedupWindow})";
        }

        if (EscalationDelay < TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:EscalationDelay must be at least 00:01:00 (is {EscalationDelay})";
        }
    }
}
