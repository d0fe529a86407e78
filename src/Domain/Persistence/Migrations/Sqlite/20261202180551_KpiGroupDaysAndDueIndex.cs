using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KpiGroupDaysAndDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kpi_group_days",
                columns: table => new
                {
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    field = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    leader_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    month = table.Column<int>(type: "INTEGER", nullable: false),
                    replies_sent = table.Column<int>(type: "INTEGER", nullable: false),
                    replies_on_time = table.Column<int>(type: "INTEGER", nullable: false),
                    category_a = table.Column<int>(type: "INTEGER", nullable: false),
                    category_b = table.Column<int>(type: "INTEGER", nullable: false),
                    evaluations = table.Column<int>(type: "INTEGER", nullable: false),
                    satisfied_or_basically = table.Column<int>(type: "INTEGER", nullable: false),
                    late_tasks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kpi_group_days", x => new { x.day, x.unit_id, x.field, x.leader_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_unit_tasks_due_at_status_completed_at",
                table: "unit_tasks",
                columns: new[] { "due_at", "status", "completed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_kpi_group_days_month",
                table: "kpi_group_days",
                column: "month");

            // The day rollups start empty: forget the built rollups so readers count from the raw rows (exact) until the
            // job rebuilds every month, day groups included, on its next run.
            migrationBuilder.Sql("DELETE FROM kpi_months;");
            migrationBuilder.Sql("DELETE FROM kpi_days;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kpi_group_days");

            migrationBuilder.DropIndex(
                name: "ix_unit_tasks_due_at_status_completed_at",
                table: "unit_tasks");
        }
    }
}
