using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Intel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AttributionJson",
                table: "Findings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tlp",
                table: "Findings",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IntelSources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DefaultTlp = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DefaultConfidence = table.Column<int>(type: "INTEGER", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    CollectionId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CredentialKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Username = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ProtectedSecret = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PollMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Checkpoint = table.Column<string>(type: "TEXT", nullable: true),
                    LastPolledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSuccessAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntelSources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IntelContents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntelContents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IntelContents_IntelSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "IntelSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IntelContents_SourceId_Kind_Name",
                table: "IntelContents",
                columns: new[] { "SourceId", "Kind", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IntelSources_Name",
                table: "IntelSources",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IntelContents");

            migrationBuilder.DropTable(
                name: "IntelSources");

            migrationBuilder.DropColumn(
                name: "AttributionJson",
                table: "Findings");

            migrationBuilder.DropColumn(
                name: "Tlp",
                table: "Findings");
        }
    }
}
