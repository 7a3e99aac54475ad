using System.ComponentModel.DataAnnotations;

namespace Bulwark.Server.Membership;

/// <summary>Configuration section <c>Membership</c>: invitations, person tokens, verification codes, personal-data keys.</summary>
public sealed class MembershipOptions
{
    public const string Section = "Membership";

    /// <summary>How long an emailed invitation token can be accepted.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a person token works; the person renews it with <c>POST /api/v1/me/token</c> before then.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan PersonTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a code sent to a personal address can be entered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong codes allowed before the code is void and a new one must be sent.</summary>
    [Range(1, 20)]
    public int CodeMaxAttempts { get; set; } = 5;

    /// <summary>Digits in a verification code.</summary>
    [Range(6, 8)]
    public int CodeDigits { get; set; } = 8;

    /// <summary>Shortest wait before a new code is sent to the same address (no mail bombing through Bulwark).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CodeResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After this, another organisation may claim a domain that the first claimant never verified.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan UnverifiedDomainClaimLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The instance's personal-data master key (32 random bytes, created on first start). Defaults to
    /// <c>keys/personal-data.key</c> in the data directory; keep it out of database backups, and back it up apart.
    /// </summary>
    public string? KeyFile { get; set; }
}
