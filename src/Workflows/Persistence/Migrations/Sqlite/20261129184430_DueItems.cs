using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DueItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "light",
                table: "wf_human_tasks",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "wf_due_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    task_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    fired_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    data_json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_due_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_message_templates",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_message_templates", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_wf_due_items_fired_at_due_at",
                table: "wf_due_items",
                columns: new[] { "fired_at", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_due_items_key",
                table: "wf_due_items",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_due_items_task_id",
                table: "wf_due_items",
                column: "task_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_due_items");

            migrationBuilder.DropTable(
                name: "wf_message_templates");

            migrationBuilder.DropColumn(
                name: "light",
                table: "wf_human_tasks");
        }
    }
}
