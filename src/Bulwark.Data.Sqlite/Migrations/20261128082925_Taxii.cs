using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Data.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Alias = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MaxTlp = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastDateAdded = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxiiCollections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TaxiiGrants",
                columns: table => new
                {
                    CollectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CanRead = table.Column<bool>(type: "INTEGER", nullable: false),
                    CanWrite = table.Column<bool>(type: "INTEGER", nullable: false),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GrantedBy = table.Column<Guid>(type: "TEXT", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CollectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StixId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    SpecVersion = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    DateAdded = table.Column<long>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CollectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestTimestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalCount = table.Column<int>(type: "INTEGER", nullable: false),
                    SuccessCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PendingCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Details = table.Column<string>(type: "TEXT", nullable: false)
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
