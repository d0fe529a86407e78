using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Host.Notifications.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdoptMessagingTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The engine's HandOverMessaging migration renamed its wf_ tables to these, rows and all; this adopts
            // them. IF NOT EXISTS: on every database the engine's migrations ran first (the migrator's order),
            // so the tables are there; the statements only matter where they are not.
            migrationBuilder.Sql("""
                CREATE TABLE IF NOT EXISTS "message_templates" (
                    "key" TEXT NOT NULL CONSTRAINT "pk_message_templates" PRIMARY KEY,
                    "subject" TEXT NOT NULL,
                    "body" TEXT NOT NULL,
                    "updated_at" INTEGER NOT NULL,
                    "updated_by" TEXT NULL);
                CREATE TABLE IF NOT EXISTS "notification_deliveries" (
                    "id" TEXT NOT NULL CONSTRAINT "pk_notification_deliveries" PRIMARY KEY,
                    "delivery_key" TEXT NOT NULL,
                    "outbox_id" TEXT NOT NULL,
                    "recipient" TEXT NOT NULL,
                    "channel" TEXT NOT NULL,
                    "created_at" INTEGER NOT NULL,
                    "claimed_until" INTEGER NULL,
                    "sent_at" INTEGER NULL,
                    "attempts" INTEGER NOT NULL,
                    "last_error" TEXT NULL);
                CREATE TABLE IF NOT EXISTS "notifications" (
                    "id" TEXT NOT NULL CONSTRAINT "pk_notifications" PRIMARY KEY,
                    "user_id" TEXT NOT NULL,
                    "delivery_key" TEXT NOT NULL,
                    "subject" TEXT NULL,
                    "message" TEXT NOT NULL,
                    "created_at" INTEGER NOT NULL,
                    "read_at" INTEGER NULL);
                CREATE UNIQUE INDEX IF NOT EXISTS "ix_notification_deliveries_delivery_key" ON "notification_deliveries" ("delivery_key");
                CREATE INDEX IF NOT EXISTS "ix_notification_deliveries_outbox_id" ON "notification_deliveries" ("outbox_id");
                CREATE UNIQUE INDEX IF NOT EXISTS "ix_notifications_delivery_key" ON "notifications" ("delivery_key");
                CREATE INDEX IF NOT EXISTS "ix_notifications_user_id_created_at" ON "notifications" ("user_id", "created_at");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing: the tables were adopted, not created; the engine's HandOverMessaging Down hands them back.
        }
    }
}
