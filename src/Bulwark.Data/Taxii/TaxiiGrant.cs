namespace Bulwark.Data.Taxii;

/// <summary>What one API key may do with one TAXII collection: its <c>can_read</c> and <c>can_write</c>.</summary>
public sealed class TaxiiGrant
{
    public Guid CollectionId { get; set; }

    public Guid KeyId { get; set; }

    public bool CanRead { get; set; }

    public bool CanWrite { get; set; }

    public DateTimeOffset GrantedAt { get; set; }

    public Guid? GrantedBy { get; set; }
}
