namespace Bulwark.Data;

/// <summary>A row that belongs to one organisation: the tenant filter applies to it.</summary>
public interface IOrganisationOwned
{
    Guid OrganisationId { get; }
}
