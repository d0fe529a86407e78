using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class HandOverMessaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Notifications, deliveries and message templates belong to the application (Liaison.Host's
            // MessagingDbContext, whose first migration adopts these tables): renamed with their rows, not dropped.
            migrationBuilder.RenameTable(name: "wf_deliveries", newName: "notification_deliveries");
            migrationBuilder.Sql("ALTER TABLE notification_deliveries RENAME CONSTRAINT pk_wf_deliveries TO pk_notification_deliveries;");
            migrationBuilder.RenameTable(name: "wf_notifications", newName: "notifications");
            migrationBuilder.Sql("ALTER TABLE notifications RENAME CONSTRAINT pk_wf_notifications TO pk_notifications;");
            migrationBuilder.RenameTable(name: "wf_message_templates", newName: "message_templates");
            migrationBuilder.Sql("ALTER TABLE message_templates RENAME CONSTRAINT pk_wf_message_templates TO pk_message_templates;");

            migrationBuilder.RenameIndex(name: "ix_wf_deliveries_delivery_key", table: "notification_deliveries", newName: "ix_notification_deliveries_delivery_key");
            migrationBuilder.RenameIndex(name: "ix_wf_deliveries_outbox_id", table: "notification_deliveries", newName: "ix_notification_deliveries_outbox_id");
            migrationBuilder.RenameIndex(name: "ix_wf_notifications_delivery_key", table: "notifications", newName: "ix_notifications_delivery_key");
            migrationBuilder.RenameIndex(name: "ix_wf_notifications_user_id_created_at", table: "notifications", newName: "ix_notifications_user_id_created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameIndex(name: "ix_notification_deliveries_delivery_key", table: "notification_deliveries", newName: "ix_wf_deliveries_delivery_key");
            migrationBuilder.RenameIndex(name: "ix_notification_deliveries_outbox_id", table: "notification_deliveries", newName: "ix_wf_deliveries_outbox_id");
            migrationBuilder.RenameIndex(name: "ix_notifications_delivery_key", table: "notifications", newName: "ix_wf_notifications_delivery_key");
            migrationBuilder.RenameIndex(name: "ix_notifications_user_id_created_at", table: "notifications", newName: "ix_wf_notifications_user_id_created_at");

            migrationBuilder.Sql("ALTER TABLE notification_deliveries RENAME CONSTRAINT pk_notification_deliveries TO pk_wf_deliveries;");
            migrationBuilder.RenameTable(name: "notification_deliveries", newName: "wf_deliveries");
            migrationBuilder.Sql("ALTER TABLE notifications RENAME CONSTRAINT pk_notifications TO pk_wf_notifications;");
            migrationBuilder.RenameTable(name: "notifications", newName: "wf_notifications");
            migrationBuilder.Sql("ALTER TABLE message_templates RENAME CONSTRAINT pk_message_templates TO pk_wf_message_templates;");
            migrationBuilder.RenameTable(name: "message_templates", newName: "wf_message_templates");
        }
    }
}
