using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Taxii : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TaxiiCollections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Alias = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MaxTlp = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastDateAdded = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxiiCollections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TaxiiGrants",
                columns: table => new
                {
                    CollectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    CanRead = table.Column<bool>(type: "boolean", nullable: false),
                    CanWrite = table.Column<bool>(type: "boolean", nullable: false),
                    GrantedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    GrantedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxiiGrants", x => new { x.CollectionId, x.KeyId });
                    table.ForeignKey(
                        name: "FK_TaxiiGrants_TaxiiCollections_CollectionId",
                        column: x => x.CollectionId,
                        principalTable: "TaxiiCollections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TaxiiObjects",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CollectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    StixId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Type = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: false),
                    SpecVersion = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Version = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DateAdded = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxiiObjects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaxiiObjects_TaxiiCollections_CollectionId",
                        column: x => x.CollectionId,
                        principalTable: "TaxiiCollections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TaxiiStatuses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CollectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestTimestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TotalCount = table.Column<int>(type: "integer", nullable: false),
                    SuccessCount = table.Column<int>(type: "integer", nullable: false),
                    FailureCount = table.Column<int>(type: "integer", nullable: false),
                    PendingCount = table.Column<int>(type: "integer", nullable: false),
                    Details = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxiiStatuses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaxiiStatuses_TaxiiCollections_CollectionId",
                        column: x => x.CollectionId,
                        principalTable: "TaxiiCollections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TaxiiCollections_Alias",
                table: "TaxiiCollections",
                column: "Alias",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaxiiGrants_KeyId",
                table: "TaxiiGrants",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_TaxiiObjects_CollectionId_DateAdded",
                table: "TaxiiObjects",
                columns: new[] { "CollectionId", "DateAdded" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaxiiObjects_CollectionId_StixId_Version",
                table: "TaxiiObjects",
                columns: new[] { "CollectionId", "StixId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaxiiStatuses_CollectionId",
                table: "TaxiiStatuses",
                column: "CollectionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TaxiiGrants");

            migrationBuilder.DropTable(
                name: "TaxiiObjects");

            migrationBuilder.DropTable(
                name: "TaxiiStatuses");

            migrationBuilder.DropTable(
                name: "TaxiiCollections");
        }
    }
}
