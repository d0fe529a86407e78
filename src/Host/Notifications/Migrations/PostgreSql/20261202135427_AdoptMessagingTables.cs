using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Host.Notifications.Migrations.PostgreSql
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
                CREATE TABLE IF NOT EXISTS message_templates (
                    key character varying(200) NOT NULL,
                    subject character varying(400) NOT NULL,
                    body text NOT NULL,
                    updated_at timestamp with time zone NOT NULL,
                    updated_by character varying(200),
                    CONSTRAINT pk_message_templates PRIMARY KEY (key));
                CREATE TABLE IF NOT EXISTS notification_deliveries (
                    id uuid NOT NULL,
                    delivery_key character varying(400) NOT NULL,
                    outbox_id uuid NOT NULL,
                    recipient character varying(200) NOT NULL,
                    channel character varying(64) NOT NULL,
                    created_at timestamp with time zone NOT NULL,
                    claimed_until timestamp with time zone,
                    sent_at timestamp with time zone,
                    attempts integer NOT NULL,
                    last_error character varying(2000),
                    CONSTRAINT pk_notification_deliveries PRIMARY KEY (id));
                CREATE TABLE IF NOT EXISTS notifications (
                    id uuid NOT NULL,
                    user_id character varying(200) NOT NULL,
                    delivery_key character varying(400) NOT NULL,
                    subject character varying(400),
                    message text NOT NULL,
                    created_at timestamp with time zone NOT NULL,
                    read_at timestamp with time zone,
                    CONSTRAINT pk_notifications PRIMARY KEY (id));
                CREATE UNIQUE INDEX IF NOT EXISTS ix_notification_deliveries_delivery_key ON notification_deliveries (delivery_key);
                CREATE INDEX IF NOT EXISTS ix_notification_deliveries_outbox_id ON notification_deliveries (outbox_id);
                CREATE UNIQUE INDEX IF NOT EXISTS ix_notifications_delivery_key ON notifications (delivery_key);
                CREATE INDEX IF NOT EXISTS ix_notifications_user_id_created_at ON notifications (user_id, created_at);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing: the tables were adopted, not created; the engine's HandOverMessaging Down hands them back.
        }
    }
}
