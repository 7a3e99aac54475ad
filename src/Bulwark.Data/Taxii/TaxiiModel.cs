using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Data.Taxii;

/// <summary>
/// The TAXII tables. Instance-wide (not organisation-owned): access is by per-key grant, checked by the TAXII
/// module, so no tenant filter or row-level security applies to them.
/// </summary>
public static class TaxiiModel
{
    /// <summary>
    /// SQLite's instant converter keeps only 0.1 ms; TAXII's <c>date_added</c> needs microseconds to stay strictly
    /// increasing, so these columns hold UTC ticks there. PostgreSQL keeps microseconds natively.
    /// </summary>
    private static readonly ValueConverter<DateTimeOffset, long> UtcTicks =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static void Map(ModelBuilder b, bool sqlite)
    {
        b.Entity<TaxiiCollection>(e =>
        {
            e.Property(c => c.Title).HasMaxLength(200);
            e.Property(c => c.Description).HasMaxLength(2000);
            e.Property(c => c.Alias).HasMaxLength(100);
            e.HasIndex(c => c.Alias).IsUnique();
            if (sqlite)
            {
                e.Property(c => c.LastDateAdded).HasConversion(UtcTicks);
            }
        });

        b.Entity<TaxiiGrant>(e =>
        {
            e.HasKey(g => new { g.CollectionId, g.KeyId });
            e.HasIndex(g => g.KeyId);
            e.HasOne<TaxiiCollection>().WithMany().HasForeignKey(g => g.CollectionId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<TaxiiObject>(e =>
        {
            e.Property(o => o.StixId).HasMaxLength(300);
            e.Property(o => o.Type).HasMaxLength(250);
            e.Property(o => o.SpecVersion).HasMaxLength(16);
            e.HasIndex(o => new { o.CollectionId, o.StixId, o.Version }).IsUnique();
            e.HasIndex(o => new { o.CollectionId, o.DateAdded }).IsUnique();
            e.HasOne<TaxiiCollection>().WithMany().HasForeignKey(o => o.CollectionId).OnDelete(DeleteBehavior.Cascade);
            if (sqlite)
            {
                e.Property(o => o.Version).HasConversion(UtcTicks);
                e.Property(o => o.DateAdded).HasConversion(UtcTicks);
            }
        });

        b.Entity<TaxiiStatus>(e =>
        {
            e.HasIndex(s => s.CollectionId);
            e.HasOne<TaxiiCollection>().WithMany().HasForeignKey(s => s.CollectionId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
