using Microsoft.AspNetCore.Identity;

namespace Bulwark.Data.Portal;

/// <summary>
/// Someone who signs in to the portal: an operator or analyst of the instance (roles), or a person of a member
/// organisation (<see cref="PersonId"/> and <see cref="OrganisationId"/> set; their role there comes from the
/// person). Users are instance-wide rows: sign-in must find them before any tenant is known.
/// </summary>
public sealed class PortalUser : IdentityUser<Guid>
{
    public Guid? OrganisationId { get; set; }

    public Guid? PersonId { get; set; }

    /// <summary>BCP 47 language of the portal and notices for this user: "en", "fr" or "es".</summary>
    public string Language { get; set; } = "en";

    /// <summary>Set for a password handed over once (the first operator's): it must be replaced at first sign-in.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Instance roles held by portal users.</summary>
public static class PortalRoles
{
    public const string Operator = nameof(Operator);

    public const string Analyst = nameof(Analyst);

    public static readonly IReadOnlyList<string> All = [Operator, Analyst];
}
