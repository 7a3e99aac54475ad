using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Data.Postgres.Migrations
{
    /// <summary>
    /// Row-level security as the second wall behind the EF Core tenant filter (ADR 10): every
    /// organisation-owned table only shows rows of the organisation named in the session setting
    /// <c>bulwark.tenant</c>, which the server sets on every connection it opens. "*" (staff, workers) and an
    /// unset value (tools such as <c>bulwark migrate</c>) see all rows. FORCE applies it to the table owner too;
    /// superusers always bypass row-level security, so production runs the server as an ordinary role.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        private static readonly string[] OwnedTables =
        [
            "Domains", "People", "PersonalAccounts", "Consents", "Invitations", "Uploads", "Findings", "Incidents",
            "Notices", "NoticeContacts", "Deliveries", "Webhooks",
        ];

        private const string Visible =
            "current_setting('bulwark.tenant', true) IS NULL OR current_setting('bulwark.tenant', true) IN ('', '*')";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in OwnedTables)
            {
                Enable(migrationBuilder, table, $"{Visible} OR \"OrganisationId\"::text = current_setting('bulwark.tenant', true)");
            }

            Enable(migrationBuilder, "Organisations", $"{Visible} OR \"Id\"::text = current_setting('bulwark.tenant', true)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in OwnedTables.Append("Organisations"))
            {
                migrationBuilder.Sql($"DROP POLICY IF EXISTS tenant_isolation ON \"{table}\";");
                migrationBuilder.Sql($"ALTER TABLE \"{table}\" NO FORCE ROW LEVEL SECURITY;");
                migrationBuilder.Sql($"ALTER TABLE \"{table}\" DISABLE ROW LEVEL SECURITY;");
            }
        }

        private static void Enable(MigrationBuilder migrationBuilder, string table, string predicate)
        {
            migrationBuilder.Sql($"ALTER TABLE \"{table}\" ENABLE ROW LEVEL SECURITY;");
            migrationBuilder.Sql($"ALTER TABLE \"{table}\" FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql($"CREATE POLICY tenant_isolation ON \"{table}\" USING ({predicate}) WITH CHECK ({predicate});");
        }
    }
}
