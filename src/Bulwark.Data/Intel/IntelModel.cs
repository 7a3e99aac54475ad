using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Data.Intel;

/// <summary>
/// The intel tables. Instance-wide (not organisation-owned): intelligence is the operator's and serves every member,
/// so no tenant filter or row-level security applies to them.
/// </summary>
public static class IntelModel
{
    /// <summary>
    /// TLP as its TLP 2.0 name (<c>CLEAR</c>, <c>AMBER+STRICT</c>): the enum has two names for 0 (WHITE is CLEAR), so its
    /// own name would not be stable.
    /// </summary>
    public static readonly ValueConverter<Tlp, string> TlpText =
        new(v => IntelEvidence.TlpText(v), v => IntelEvidence.ParseTlp(v) ?? Tlp.Amber);

    public static void Map(ModelBuilder b)
    {
        b.Entity<IntelSourceRecord>(e =>
        {
            e.ToTable("IntelSources");
            e.Property(s => s.Name).HasMaxLength(100);
            e.HasIndex(s => s.Name).IsUnique();
            e.Property(s => s.DefaultTlp).HasConversion(TlpText).HasMaxLength(16);
            e.Property(s => s.Url).HasMaxLength(2048);
            e.Property(s => s.CollectionId).HasMaxLength(300);
            e.Property(s => s.Username).HasMaxLength(200);
            e.Property(s => s.LastError).HasMaxLength(2000);
        });

        b.Entity<IntelContent>(e =>
        {
            e.ToTable("IntelContents");
            e.Property(c => c.Name).HasMaxLength(300);
            e.Property(c => c.Version).HasMaxLength(64);
            e.HasIndex(c => new { c.SourceId, c.Kind, c.Name }).IsUnique();
            e.HasOne<IntelSourceRecord>().WithMany().HasForeignKey(c => c.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
