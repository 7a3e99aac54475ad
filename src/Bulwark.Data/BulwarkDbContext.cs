using Bulwark.Data.Access;
using Bulwark.Data.Audit;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Intel;
using Bulwark.Data.Membership;
using Bulwark.Data.Notification;
using Bulwark.Data.Portal;
using Bulwark.Data.Taxii;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Data;

/// <summary>
/// The one database of a Bulwark instance. Tenant isolation lives here, in one place: every
/// organisation-owned entity has a query filter on the current <see cref="ITenantContext"/>.
/// </summary>
public sealed class BulwarkDbContext(DbContextOptions<BulwarkDbContext> options, ITenantContext tenant) : DbContext(options)
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<OrganisationDomain> Domains => Set<OrganisationDomain>();

    public DbSet<EligibilitySettings> Eligibility => Set<EligibilitySettings>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<PersonalAccount> PersonalAccounts => Set<PersonalAccount>();

    public DbSet<PersonKey> PersonKeys => Set<PersonKey>();

    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Upload> Uploads => Set<Upload>();

    public DbSet<FindingRecord> Findings => Set<FindingRecord>();

    public DbSet<Incident> Incidents => Set<Incident>();

    public DbSet<Notice> Notices => Set<Notice>();

    public DbSet<NoticeContact> NoticeContacts => Set<NoticeContact>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    /// <summary>Portal sign-in accounts (ASP.NET Core Identity); instance-wide, never tenant-filtered.</summary>
    public DbSet<PortalUser> PortalUsers => Set<PortalUser>();

    /// <summary>TAXII 2.1 sharing with partners (ADR 14); instance-wide, access by per-key grant.</summary>
    public DbSet<TaxiiCollection> TaxiiCollections => Set<TaxiiCollection>();

    public DbSet<TaxiiGrant> TaxiiGrants => Set<TaxiiGrant>();

    public DbSet<TaxiiObject> TaxiiObjects => Set<TaxiiObject>();

    public DbSet<TaxiiStatus> TaxiiStatuses => Set<TaxiiStatus>();

    /// <summary>Threat-intelligence sources the operator manages, and their stored content; instance-wide.</summary>
    public DbSet<IntelSourceRecord> IntelSources => Set<IntelSourceRecord>();

    public DbSet<IntelContent> IntelContents => Set<IntelContent>();

    /// <summary>Read by the query filters; EF evaluates it per query.</summary>
    private Guid? TenantId => tenant.OrganisationId;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            // SQLite has no date type: store instants as UTC ticks so they sort and compare in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }

        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Organisation>(e =>
        {
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Country).HasMaxLength(2);
            e.HasQueryFilter(o => TenantId == null || o.Id == TenantId);
        });
        Owned<OrganisationDomain>(b).HasIndex(d => d.Name).IsUnique();
        b.Entity<EligibilitySettings>();

        Owned<Person>(b).Property(p => p.WorkEmail).HasMaxLength(320);
        Owned<PersonalAccount>(b).HasIndex(a => new { a.PersonId, a.AddressLookup }).IsUnique();
        b.Entity<PersonKey>().HasKey(k => k.PersonId);
        Owned<ConsentRecord>(b).HasIndex(c => c.PersonId);
        Owned<Invitation>(b).HasIndex(i => i.TokenHash).IsUnique();

        b.Entity<ApiKey>(e =>
        {
            e.HasIndex(k => k.Prefix).IsUnique();
            e.Property(k => k.Prefix).HasMaxLength(32);
        });

        Owned<Upload>(b).HasIndex(u => u.Status);
        Owned<FindingRecord>(b, f =>
        {
            f.HasIndex(x => new { x.OrganisationId, x.FindingId }).IsUnique();
            f.HasIndex(x => x.IncidentId);
            f.Property(x => x.Tlp).HasConversion(IntelModel.TlpText).HasMaxLength(16);
        });
        Owned<Incident>(b, i =>
        {
            i.HasIndex(x => new { x.OrganisationId, x.Family, x.GroupKey });
            i.HasIndex(x => x.Status);
        });
        Owned<Notice>(b).HasIndex(n => n.IncidentId);
        Owned<NoticeContact>(b);
        Owned<Delivery>(b, d =>
        {
            d.HasIndex(x => x.IdempotencyKey).IsUnique();
            d.HasIndex(x => new { x.Status, x.NextAttemptAt });
        });
        Owned<Webhook>(b);

        b.Entity<AuditEntry>(e =>
        {
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
        });

        PortalModel.Map(b);
        TaxiiModel.Map(b, Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite");
        IntelModel.Map(b);
    }

    private Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> Owned<T>(ModelBuilder b, Action<Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T>>? configure = null)
        where T : class, IOrganisationOwned
    {
        var e = b.Entity<T>();
        e.HasQueryFilter(x => TenantId == null || x.OrganisationId == TenantId);
        e.HasIndex(x => x.OrganisationId);
        configure?.Invoke(e);
        return e;
    }
}
