using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Data.Postgres.Migrations
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
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tlp",
                table: "Findings",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IntelSources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DefaultTlp = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DefaultConfidence = table.Column<int>(type: "integer", nullable: false),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    CollectionId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CredentialKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Username = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ProtectedSecret = table.Column<byte[]>(type: "bytea", nullable: true),
                    PollMinutes = table.Column<int>(type: "integer", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Checkpoint = table.Column<string>(type: "text", nullable: true),
                    LastPolledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastSuccessAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntelSources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IntelContents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SourceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
