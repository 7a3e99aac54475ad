namespace Bulwark.Data.Access;

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>Runs the instance: admissions, eligibility, keys, audit.</summary>
    Operator,

    /// <summary>Triages across members: incidents, confirmation, notices.</summary>
    Analyst,

    /// <summary>An organisation's systems sending logs and findings.</summary>
    OrganisationIngest,

    /// <summary>An organisation's admin reading its incidents and notices and managing its settings.</summary>
    OrganisationAdmin,

    /// <summary>A partner organisation's system: only the TAXII collections it is granted (ADR 14), nothing else.</summary>
    Partner,
}

/// <summary>
/// A bearer API key. The secret is shown once at creation; only its SHA-256 is stored. Keys look like
/// <c>bwk_&lt;prefix&gt;_&lt;secret&gt;</c>; the prefix finds the row without scanning hashes.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    /// <summary>Public, random, unique: the part of the key that names it.</summary>
    public required string Prefix { get; set; }

    public required byte[] SecretHash { get; set; }

    public ApiKeyScope Scope { get; set; }

    /// <summary>Set for organisation scopes; null for operator and analyst keys.</summary>
    public Guid? OrganisationId { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
