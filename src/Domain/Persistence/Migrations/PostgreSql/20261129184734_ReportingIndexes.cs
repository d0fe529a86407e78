using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReportingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_replies_status_sent_at",
                table: "replies");

            migrationBuilder.DropIndex(
                name: "ix_evaluations_at",
                table: "evaluations");

            migrationBuilder.CreateIndex(
                name: "ix_replies_status_round_sent_at_suggestion_id_on_time_category",
                table: "replies",
                columns: new[] { "status", "round", "sent_at", "suggestion_id", "on_time", "category" });

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_at_result",
                table: "evaluations",
                columns: new[] { "at", "result" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_replies_status_round_sent_at_suggestion_id_on_time_category",
                table: "replies");

            migrationBuilder.DropIndex(
                name: "ix_evaluations_at_result",
                table: "evaluations");

            migrationBuilder.CreateIndex(
                name: "ix_replies_status_sent_at",
                table: "replies",
                columns: new[] { "status", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_at",
                table: "evaluations",
                column: "at");
        }
    }
}
