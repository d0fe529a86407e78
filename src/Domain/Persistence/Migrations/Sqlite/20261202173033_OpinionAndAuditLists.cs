using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OpinionAndAuditLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_deputy_id_received_at",
                table: "public_opinions",
                columns: new[] { "deputy_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_forwarded_to_unit_id_received_at",
                table: "public_opinions",
                columns: new[] { "forwarded_to_unit_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_received_at_id",
                table: "public_opinions",
                columns: new[] { "received_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_actor_id_id",
                table: "audit_entries",
                columns: new[] { "actor_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_public_opinions_deputy_id_received_at",
                table: "public_opinions");

            migrationBuilder.DropIndex(
                name: "ix_public_opinions_forwarded_to_unit_id_received_at",
                table: "public_opinions");

            migrationBuilder.DropIndex(
                name: "ix_public_opinions_received_at_id",
                table: "public_opinions");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_actor_id_id",
                table: "audit_entries");
        }
    }
}
