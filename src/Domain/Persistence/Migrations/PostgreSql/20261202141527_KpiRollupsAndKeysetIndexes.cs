using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class KpiRollupsAndKeysetIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kpi_days",
                columns: table => new
                {
                    day = table.Column<int>(type: "integer", nullable: false),
                    month = table.Column<int>(type: "integer", nullable: false),
                    replies_sent = table.Column<int>(type: "integer", nullable: false),
                    replies_on_time = table.Column<int>(type: "integer", nullable: false),
                    category_a = table.Column<int>(type: "integer", nullable: false),
                    category_b = table.Column<int>(type: "integer", nullable: false),
                    suggestions_replied = table.Column<int>(type: "integer", nullable: false),
                    suggestions_consulted = table.Column<int>(type: "integer", nullable: false),
                    evaluations = table.Column<int>(type: "integer", nullable: false),
                    satisfied_or_basically = table.Column<int>(type: "integer", nullable: false),
                    not_evaluated = table.Column<int>(type: "integer", nullable: false),
                    late_tasks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kpi_days", x => x.day);
                });

            migrationBuilder.CreateTable(
                name: "kpi_dirty_days",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    day = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kpi_dirty_days", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "kpi_months",
                columns: table => new
                {
                    month = table.Column<int>(type: "integer", nullable: false),
                    unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    field = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    leader_id = table.Column<Guid>(type: "uuid", nullable: false),
                    replies_sent = table.Column<int>(type: "integer", nullable: false),
                    replies_on_time = table.Column<int>(type: "integer", nullable: false),
                    category_a = table.Column<int>(type: "integer", nullable: false),
                    category_b = table.Column<int>(type: "integer", nullable: false),
                    evaluations = table.Column<int>(type: "integer", nullable: false),
                    satisfied_or_basically = table.Column<int>(type: "integer", nullable: false),
                    late_tasks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kpi_months", x => new { x.month, x.unit_id, x.field, x.leader_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_is_key_submitted_at_id",
                table: "suggestions",
                columns: new[] { "is_key", "submitted_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_submitted_at_id",
                table: "suggestions",
                columns: new[] { "submitted_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_kpi_days_month",
                table: "kpi_days",
                column: "month");

            migrationBuilder.CreateIndex(
                name: "ix_kpi_dirty_days_day",
                table: "kpi_dirty_days",
                column: "day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kpi_days");

            migrationBuilder.DropTable(
                name: "kpi_dirty_days");

            migrationBuilder.DropTable(
                name: "kpi_months");

            migrationBuilder.DropIndex(
                name: "ix_suggestions_is_key_submitted_at_id",
                table: "suggestions");

            migrationBuilder.DropIndex(
                name: "ix_suggestions_submitted_at_id",
                table: "suggestions");
        }
    }
}
