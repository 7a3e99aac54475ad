using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Data.Portal;

/// <summary>
/// The ASP.NET Core Identity tables (schema version 3, with passkeys), mapped on <see cref="BulwarkDbContext"/>
/// itself rather than by deriving from <c>IdentityDbContext</c>: the schema is then fixed by this code, not by
/// which service provider happened to build the model first (ADR 11).
/// </summary>
internal static class PortalModel
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<PortalUser>(e =>
        {
            e.ToTable("AspNetUsers");
            e.HasIndex(u => u.NormalizedUserName).HasDatabaseName("UserNameIndex").IsUnique();
            e.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex");
            e.HasIndex(u => u.PersonId);
            e.Property(u => u.ConcurrencyStamp).IsConcurrencyToken();
            e.Property(u => u.UserName).HasMaxLength(256);
            e.Property(u => u.NormalizedUserName).HasMaxLength(256);
            e.Property(u => u.Email).HasMaxLength(256);
            e.Property(u => u.NormalizedEmail).HasMaxLength(256);
            e.Property(u => u.PhoneNumber).HasMaxLength(256);
            e.Property(u => u.Language).HasMaxLength(16);
            e.HasMany<IdentityUserClaim<Guid>>().WithOne().HasForeignKey(c => c.UserId).IsRequired();
            e.HasMany<IdentityUserLogin<Guid>>().WithOne().HasForeignKey(l => l.UserId).IsRequired();
            e.HasMany<IdentityUserToken<Guid>>().WithOne().HasForeignKey(t => t.UserId).IsRequired();
            e.HasMany<IdentityUserPasskey<Guid>>().WithOne().HasForeignKey(p => p.UserId).IsRequired();
            e.HasMany<IdentityUserRole<Guid>>().WithOne().HasForeignKey(r => r.UserId).IsRequired();
        });
        b.Entity<IdentityUserClaim<Guid>>(e =>
        {
            e.ToTable("AspNetUserClaims");
            e.HasKey(c => c.Id);
        });
        b.Entity<IdentityUserLogin<Guid>>(e =>
        {
            e.ToTable("AspNetUserLogins");
            e.HasKey(l => new { l.LoginProvider, l.ProviderKey });
            e.Property(l => l.LoginProvider).HasMaxLength(128);
            e.Property(l => l.ProviderKey).HasMaxLength(128);
        });
        b.Entity<IdentityUserToken<Guid>>(e =>
        {
            e.ToTable("AspNetUserTokens");
            e.HasKey(t => new { t.UserId, t.LoginProvider, t.Name });
            e.Property(t => t.LoginProvider).HasMaxLength(128);
            e.Property(t => t.Name).HasMaxLength(128);
        });
        b.Entity<IdentityUserPasskey<Guid>>(e =>
        {
            e.ToTable("AspNetUserPasskeys");
            e.HasKey(p => p.CredentialId);
            e.Property(p => p.CredentialId).HasMaxLength(1024);
            e.OwnsOne(p => p.Data).ToJson();
        });
        b.Entity<IdentityRole<Guid>>(e =>
        {
            e.ToTable("AspNetRoles");
            e.HasIndex(r => r.NormalizedName).HasDatabaseName("RoleNameIndex").IsUnique();
            e.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
            e.Property(r => r.Name).HasMaxLength(256);
            e.Property(r => r.NormalizedName).HasMaxLength(256);
            e.HasMany<IdentityUserRole<Guid>>().WithOne().HasForeignKey(r => r.RoleId).IsRequired();
            e.HasMany<IdentityRoleClaim<Guid>>().WithOne().HasForeignKey(c => c.RoleId).IsRequired();
        });
        b.Entity<IdentityRoleClaim<Guid>>(e =>
        {
            e.ToTable("AspNetRoleClaims");
            e.HasKey(c => c.Id);
        });
        b.Entity<IdentityUserRole<Guid>>(e =>
        {
            e.ToTable("AspNetUserRoles");
            e.HasKey(r => new { r.UserId, r.RoleId });
        });
    }
}
