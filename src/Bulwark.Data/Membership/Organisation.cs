namespace Bulwark.Data.Membership;

public enum Sector
{
    PoliticalParty,
    Campaign,
    ElectionBody,
    HealthCare,
    HumanRights,
    Journalism,
    ThinkTank,
    Ngo,
}

public enum OrganisationStatus
{
    Applied,
    Admitted,
    Rejected,
    Suspended,
}

/// <summary>A member organisation (or an applicant).</summary>
public sealed class Organisation
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public Sector Sector { get; set; }

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public required string Country { get; set; }

    public OrganisationStatus Status { get; set; }

    /// <summary>Why an application was rejected or a member suspended.</summary>
    public string? StatusReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? AdmittedAt { get; set; }
}

/// <summary>A mail domain an organisation claims; verified by a DNS TXT record.</summary>
public sealed class OrganisationDomain : IOrganisationOwned
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>Lower-case domain name.</summary>
    public required string Name { get; set; }

    /// <summary>The value expected in the TXT record <c>bulwark-verification=&lt;token&gt;</c>.</summary>
    public required string VerificationToken { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }
}

/// <summary>Which organisations may apply: set by the operator.</summary>
public sealed class EligibilitySettings
{
    public int Id { get; set; }

    public List<Sector> Sectors { get; set; } = [];

    /// <summary>ISO 3166-1 alpha-2 codes.</summary>
    public List<string> Countries { get; set; } = [];
}
