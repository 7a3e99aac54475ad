namespace Bulwark.Data;

/// <summary>
/// Whose data the current request may see. Null <see cref="OrganisationId"/> means instance-wide
/// (operator, analyst, background workers); otherwise every organisation-owned query is limited to it.
/// </summary>
public interface ITenantContext
{
    Guid? OrganisationId { get; }
}

/// <summary>A fixed tenant: background workers (instance-wide) and tests.</summary>
public sealed class FixedTenant(Guid? organisationId) : ITenantContext
{
    public static readonly FixedTenant InstanceWide = new(null);

    public Guid? OrganisationId { get; } = organisationId;
}
