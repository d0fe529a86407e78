using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wf_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    delivery_key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    outbox_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    claimed_until = table.Column<long>(type: "INTEGER", nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    delivery_key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    message = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    read_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_notifications", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_wf_deliveries_delivery_key",
                table: "wf_deliveries",
                column: "delivery_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_deliveries_outbox_id",
                table: "wf_deliveries",
                column: "outbox_id");

            migrationBuilder.CreateIndex(
                name: "ix_wf_notifications_delivery_key",
                table: "wf_notifications",
                column: "delivery_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_notifications_user_id_created_at",
                table: "wf_notifications",
                columns: new[] { "user_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_deliveries");

            migrationBuilder.DropTable(
                name: "wf_notifications");
        }
    }
}
