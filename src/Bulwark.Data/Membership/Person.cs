namespace Bulwark.Data.Membership;

public enum PersonRole
{
    Staff,
    OrgAdmin,
}

/// <summary>A leader or staff member of an organisation.</summary>
public sealed class Person : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>Work address at the organisation's domain (organisation data, not personal).</summary>
    public required string WorkEmail { get; set; }

    public PersonRole Role { get; set; }

    /// <summary>BCP 47 language for notices, e.g. "en", "fr", "es".</summary>
    public string Language { get; set; } = "en";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the person withdrew and was erased: the row stays as a tombstone for references.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}

/// <summary>
/// A personal email account a person opted in. The address is encrypted with the person's own key
/// (<see cref="PersonKey"/>); <see cref="AddressLookup"/> is a keyed hash for finding it without decrypting.
/// </summary>
public sealed class PersonalAccount : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid PersonId { get; set; }

    public required byte[] EncryptedAddress { get; set; }

    /// <summary>HMAC-SHA256 of the normalised address under the instance's lookup key.</summary>
    public required byte[] AddressLookup { get; set; }

    /// <summary>Hash of the one-time code sent to the address; null once verified.</summary>
    public byte[]? VerificationCodeHash { get; set; }

    public DateTimeOffset? CodeExpiresAt { get; set; }

    public int CodeAttempts { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>Whether the organisation's admins may see incidents on this account.</summary>
    public bool OrganisationMayView { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The key that encrypts one person's personal data; deleting it erases that data (crypto-shredding).</summary>
public sealed class PersonKey
{
    public Guid PersonId { get; set; }

    /// <summary>The person's data key, wrapped (encrypted) with the instance master key.</summary>
    public required byte[] WrappedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a person agreed to, when, and when they withdrew.</summary>
public sealed class ConsentRecord : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid PersonId { get; set; }

    /// <summary>E.g. "personal-account-monitoring", "organisation-may-view".</summary>
    public required string Scope { get; set; }

    /// <summary>The text the person agreed to (or its version id).</summary>
    public required string Statement { get; set; }

    public DateTimeOffset GrantedAt { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }
}

/// <summary>An invitation from an org admin to a staff member.</summary>
public sealed class Invitation : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Email { get; set; }

    public PersonRole Role { get; set; }

    /// <summary>SHA-256 of the invitation token; the token itself is only ever sent.</summary>
    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public Guid? PersonId { get; set; }
}
