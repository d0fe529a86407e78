using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HandOverMessaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Notifications, deliveries and message templates belong to the application (Liaison.Host's
            // MessagingDbContext, whose first migration adopts these tables): renamed with their rows, not dropped.
            migrationBuilder.DropIndex(name: "ix_wf_deliveries_delivery_key", table: "wf_deliveries");
            migrationBuilder.DropIndex(name: "ix_wf_deliveries_outbox_id", table: "wf_deliveries");
            migrationBuilder.DropIndex(name: "ix_wf_notifications_delivery_key", table: "wf_notifications");
            migrationBuilder.DropIndex(name: "ix_wf_notifications_user_id_created_at", table: "wf_notifications");

            migrationBuilder.RenameTable(name: "wf_deliveries", newName: "notification_deliveries");
            migrationBuilder.RenameTable(name: "wf_notifications", newName: "notifications");
            migrationBuilder.RenameTable(name: "wf_message_templates", newName: "message_templates");

            migrationBuilder.CreateIndex(name: "ix_notification_deliveries_delivery_key", table: "notification_deliveries", column: "delivery_key", unique: true);
            migrationBuilder.CreateIndex(name: "ix_notification_deliveries_outbox_id", table: "notification_deliveries", column: "outbox_id");
            migrationBuilder.CreateIndex(name: "ix_notifications_delivery_key", table: "notifications", column: "delivery_key", unique: true);
            migrationBuilder.CreateIndex(name: "ix_notifications_user_id_created_at", table: "notifications", columns: new[] { "user_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "ix_notification_deliveries_delivery_key", table: "notification_deliveries");
            migrationBuilder.DropIndex(name: "ix_notification_deliveries_outbox_id", table: "notification_deliveries");
            migrationBuilder.DropIndex(name: "ix_notifications_delivery_key", table: "notifications");
            migrationBuilder.DropIndex(name: "ix_notifications_user_id_created_at", table: "notifications");

            migrationBuilder.RenameTable(name: "notification_deliveries", newName: "wf_deliveries");
            migrationBuilder.RenameTable(name: "notifications", newName: "wf_notifications");
            migrationBuilder.RenameTable(name: "message_templates", newName: "wf_message_templates");

            migrationBuilder.CreateIndex(name: "ix_wf_deliveries_delivery_key", table: "wf_deliveries", column: "delivery_key", unique: true);
            migrationBuilder.CreateIndex(name: "ix_wf_deliveries_outbox_id", table: "wf_deliveries", column: "outbox_id");
            migrationBuilder.CreateIndex(name: "ix_wf_notifications_delivery_key", table: "wf_notifications", column: "delivery_key", unique: true);
            migrationBuilder.CreateIndex(name: "ix_wf_notifications_user_id_created_at", table: "wf_notifications", columns: new[] { "user_id", "created_at" });
        }
    }
}
